"""Sweeps of staged plans (`sweep.plans`, docs/sweeps.md "Sweeps of plans"): case names and
validation, and a plan sweep of the tiny study on a real local Dask cluster.

The tiny plan: periods 2025 and 2030 (5 years each), growth `high`, utilisation cap 0.85, one
module committed at PORT_NGB by 2025; solved to a zero gap. The sweep: discount rate 0 and
0.2 x peak factor 1.0 and 1.5, and a case `no_money` with no capex allowed in 2025 (the
commitment cannot be paid for: infeasible, its diagnosis names the commitment).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr
import yaml
from test_plan_cli import _config
from test_study_api import flat_forecasts

from netdesign.config.loader import load_config
from netdesign.errors import InputError
from netdesign.optimise.plan_costs import PlanCosts
from netdesign.pipeline import load_study
from netdesign.sweep import list_scenarios, run_sweep
from netdesign.sweep.plan_cases import expand_plan_sweep

PLANNING = {"periods": [2025, 2030], "max_utilisation": 0.85, "cases": {"growth": "high"},
            "committed": [{"hub": "PORT_NGB", "by": 2025, "modules": 1}]}


def _sweep_config(tmp_path, tiny_config, plans):
    path = _config(tmp_path, tiny_config, **PLANNING)
    raw = yaml.safe_load(path.read_text())
    raw["sweep"] = {"plans": plans, "retries": 1}
    raw["solver"]["mip_rel_gap"] = 0.0
    path.write_text(yaml.safe_dump(raw))
    return path


def test_case_names_and_configs(tmp_path, tiny_config):
    """The product of the axes in the canonical order (discount_rate before peak_factor),
    then the explicit cases; each case's config has its values in `planning`."""
    cfg = _sweep_config(tmp_path, tiny_config, {
        "axes": {"peak_factor": [1.0, 1.5], "discount_rate": [0.04, 0.08]},
        "cases": [{"name": "tight", "budget_cny": {2025: 1e8}}, {"growth": "base"}]})
    cases = expand_plan_sweep(load_config(cfg))
    assert [c.name for c in cases] == ["r-0.04_pf-1", "r-0.04_pf-1.5", "r-0.08_pf-1",
                                       "r-0.08_pf-1.5", "tight", "g-base"]
    assert cases[3].cfg.planning.discount_rate == 0.08
    assert cases[3].cfg.planning.peak_factor == 1.5
    assert cases[4].cfg.planning.budget_cny == {2025: 1e8}
    assert cases[4].cfg.planning.discount_rate == 0.06  # the study's
    assert cases[5].cfg.planning.cases.growth == "base"
    assert list_scenarios(cfg, ["r-0.08*"]) == ["r-0.08_pf-1", "r-0.08_pf-1.5"]


def test_bad_plan_sweeps_are_named_at_once(tmp_path, tiny_config):
    cfg = _sweep_config(tmp_path, tiny_config, {
        "axes": {"discount_rate": [0.05, 1.5], "growth": ["base", "nope"]},
        "cases": [{"budget_cny": {2025: 0}}]})
    with pytest.raises(InputError) as err:
        expand_plan_sweep(load_config(cfg))
    where = {p.location for p in err.value.problems}
    assert "sweep.plans.axes.discount_rate" in where
    assert "sweep.plans.cases[0].name" in where
    assert any(p.location.endswith(".growth") and p.value == "nope"
               for p in err.value.problems)
    raw = yaml.safe_load(cfg.read_text())
    raw["sweep"]["axes"] = {"year": [2025]}
    cfg.write_text(yaml.safe_dump(raw))
    with pytest.raises(InputError, match="either plans or scenarios"):
        load_config(cfg)


@pytest.fixture(scope="module")
def plan_sweep(tmp_path_factory, tiny_config):
    tmp = tmp_path_factory.mktemp("plansweep")
    cfg = _sweep_config(tmp, tiny_config, {
        "axes": {"discount_rate": [0.0, 0.2], "peak_factor": [1.0, 1.5]},
        "cases": [{"name": "no_money", "budget_cny": {2025: 0}}]})
    study = load_study(load_config(cfg))
    out = tmp / "out"
    fc = flat_forecasts(study.network)
    first = run_sweep(cfg, out, workers=2, progress=False, forecasts=fc)
    again = run_sweep(cfg, out, workers=2, progress=False, forecasts=fc)
    return first, again, out


@pytest.mark.slow
def test_plan_sweep_on_dask(plan_sweep):
    """Every case solved on the cluster, one plan file each, summary.csv one row per case;
    the infeasible case is isolated (exit code 4) and named by its diagnosis; a rerun reuses
    every case (resume)."""
    first, again, out = plan_sweep
    names = ["r-0_pf-1", "r-0_pf-1.5", "r-0.2_pf-1", "r-0.2_pf-1.5", "no_money"]
    assert first.kind == "plans" and sorted(first.computed) == sorted(names)
    assert first.workers == 2
    assert first.failed == ["no_money"] and first.exit_code == 4
    assert again.computed == [] and sorted(again.reused) == sorted(names)
    assert again.failed == ["no_money"]
    s = first.summary.set_index("plan_case")
    assert list(s.index) == names
    assert (s.loc[names[:4], "status"] == "optimal").all()
    assert s.loc["no_money", "status"] == "infeasible"
    assert "commitment PORT_NGB (1 module) by 2025" in s.loc["no_money", "message"]
    assert sorted(p.name for p in (out / "plans").iterdir()) == sorted(f"{n}.nc" for n in names)
    ds = xr.open_dataset(out / "plans" / "r-0.2_pf-1.5.nc")
    assert list(ds["period"].values) == [2025, 2030]
    assert json.loads(ds.attrs["plan"])["discount_rate"] == 0.2
    cap, thr = ds["period_hub_capacity"].values, ds["period_hub_throughput"].values
    ok = np.isfinite(cap)
    assert (cap[ok] >= 1.5 / 0.85 * thr[ok] - 1e-6).all()  # the case's own design day
    ds.close()
    for n in names[:4]:  # the myopic plan is a feasible plan of the same MIP
        assert s.loc[n, "myopic_npv_total_cny"] >= s.loc[n, "npv_total_cny"] * (1 - 1e-9)


@pytest.mark.slow
def test_plan_sweep_figures_move_as_reasoned(plan_sweep):
    """By hand:
    - peak factor: the pf 1.5 plan must hold 1.5/0.85 x throughput where pf 1.0 holds 1/0.85
      x: every pf 1.5 plan is feasible at pf 1.0, so NPV(pf 1.0) <= NPV(pf 1.5), and it
      stands at least as much hub capacity in each period;
    - discount rate 0 -> 0.2: the r = 0 plan is feasible at r = 0.2; re-costed there, its
      operating NPV shrinks by at most max_t Ω_t(0.2)/Ω_t(0) and its capital NPV grows by at
      most max_t [a S_t](0.2)/[a S_t](0) (a = CRF(r, 20) + 3 %), so NPV(0.2) is at most that
      bound, which the r = 0 figures put below NPV(0): lower NPV. Building in 2025 rather
      than 2030 costs S_2025/S_2030 = 2 times as much at r = 0 and 3.5 times at r = 0.2, so
      no more is standing in 2025 at r = 0.2 (later or equal builds)."""
    first, _again, _out = plan_sweep
    s = first.summary.set_index("plan_case")
    for r in ("0", "0.2"):
        lo, hi = s.loc[f"r-{r}_pf-1"], s.loc[f"r-{r}_pf-1.5"]
        assert lo["npv_total_cny"] <= hi["npv_total_cny"] * (1 + 1e-9)
        for y in (2025, 2030):
            assert lo[f"hub_capacity_{y}_parcels_per_day"] <= \
                hi[f"hub_capacity_{y}_parcels_per_day"] + 1e-6
    c0, c2 = (PlanCosts.for_periods([2025, 2030], discount_rate=r, asset_life_years=20)
              for r in (0.0, 0.2))
    omega = max(c2.operating_weight(t) / c0.operating_weight(t) for t in (0, 1))
    capital = max(c2.investment_npv(1.0, t) / c0.investment_npv(1.0, t) for t in (0, 1))
    assert c2.service_weight(0) / c2.service_weight(1) > c0.service_weight(0) / \
        c0.service_weight(1)
    for pf in ("1", "1.5"):
        a, b = s.loc[f"r-0_pf-{pf}"], s.loc[f"r-0.2_pf-{pf}"]
        bound = a["npv_operating_cny"] * omega + a["npv_capital_cny"] * capital
        assert b["npv_total_cny"] <= bound * (1 + 1e-9)
        assert b["npv_total_cny"] < a["npv_total_cny"]
        assert b["hub_capacity_2025_parcels_per_day"] <= \
            a["hub_capacity_2025_parcels_per_day"] + 1e-6
