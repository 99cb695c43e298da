"""`robust_design(RESULTS, OUT, k)`: plan capacity over K demand draws (SAA) and value it.

What `netdesign robust-design` runs, in order:

1. The study and the mean-forecast design of `scenario` are read back from ``RESULTS``
   (`design.load_design`, capacity rule "planned" by default: the design's own peak day and
   utilisation, so the mean design reproduces its own cost).
2. K in-sample draws (seed) and M fresh draws (seed + 1) of the design year's demand
   (`design.draw_demands`: the forecasts' joint paths).
3. The SAA design: capacity chosen once for the K draws (`saa.saa_design`, the extensive
   form; the study's solver options, `time_limit_s` overridable).
4. Both designs evaluated out of sample on the same M fresh draws with the Dask runner
   (`runner.evaluate_design`: ``OUT/mean/``, ``OUT/saa/``, resumable).
5. Optionally the first H fresh draws designed with hindsight (one full design solve each:
   the wait-and-see cost) for EVPI.
6. Optionally (`n_minus_1` = a share s) a third plan: the cheapest capacity for the mean day
   that keeps unserved parcels ≤ s of demand when any one of `hubs` is closed
   (`saa.n_minus_1_design`), evaluated on the same fresh draws (``OUT/n_minus_1/``).

Figures (CNY/day; E over the fresh draws):

    VSS  = E cost(mean design) − E cost(SAA design)
    EVPI = E_H cost(SAA design) − E_H cost(hindsight design)   (over the H draws only)

A hindsight solve that stops at its time limit gives an upper bound of the wait-and-see cost,
so EVPI from it is a lower bound; EVPI from the solves' best bounds is the upper one (both are
written). ``OUT/results.nc``: per plan (``mean_forecast``, ``saa``) and fresh draw the cost,
unserved and late parcels, the plans' capacity, the hindsight cost per draw, and the figures
as attributes; ``OUT/value.csv`` the same figures as a table.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.errors import Problem, raise_if_errors
from netdesign.evaluate.design import SolvedDesign, draw_demands, load_design
from netdesign.evaluate.runner import DEFAULT_SEED, EvaluationOutcome, evaluate_design
from netdesign.evaluate.saa import SAADesign, hindsight_solves, n_minus_1_design, saa_design
from netdesign.evaluate.summary import draw_figures
from netdesign.optimise.resolve import FixedCapacity

PLANS = ("mean_forecast", "saa", "n_minus_1")
"""The plans compared (the last only with an N-1 share)."""


@dataclass
class RobustOutcome:
    """The SAA design, both evaluations, the figures (CNY/day) and phase wall times (s)."""

    out_dir: Path
    saa: SAADesign
    evaluations: dict[str, EvaluationOutcome]
    figures: dict[str, float]
    results: xr.Dataset
    phases: dict[str, float] = field(default_factory=dict)


def check_n_minus_1(share: float | None, hubs: list[str] | None, network) -> list[Problem]:
    """s in [0, 1]; every named hub a hub of the network."""
    out = []
    if share is not None and not 0.0 <= share <= 1.0:
        out.append(Problem("command line", "--n-minus-1", "share", share,
                           "a share of demand in [0, 1]"))
    known = set(map(str, network.hubs.index))
    out += [Problem("command line", "--hub", "hub", h, "a hub id of the study's hubs.csv")
            for h in hubs or [] if h not in known]
    if hubs and share is None:
        out.append(Problem("command line", "--hub", "hub", ", ".join(hubs),
                           "--hub only with --n-minus-1 SHARE"))
    return out


def check_counts(k: Any, fresh: Any, hindsight: Any) -> list[Problem]:
    """K ≥ 1, M ≥ 1 and 0 ≤ H ≤ M, integers."""
    def bad(v, lo):
        return isinstance(v, bool) or not isinstance(v, int | np.integer) or v < lo

    out = []
    if bad(k, 1):
        out.append(Problem("command line", "--scenarios", "K", k, "an integer >= 1 (draws "
                           "the capacity is planned over)"))
    if bad(fresh, 1):
        out.append(Problem("command line", "--fresh", "M", fresh, "an integer >= 1 (fresh "
                           "draws both designs are evaluated on)"))
    if bad(hindsight, 0) or (not bad(fresh, 1) and hindsight > fresh):
        out.append(Problem("command line", "--hindsight", "H", hindsight,
                           f"an integer from 0 to --fresh ({fresh})"))
    return out


def robust_design(results_dir: str | Path, out_dir: str | Path, k: int, *, fresh: int = 50,
                  hindsight: int = 0, seed: int = DEFAULT_SEED, scenario: str | None = None,
                  capacity: str = "planned", time_limit_s: float | None = None,
                  workers: int | None = None, scheduler: str | None = None,
                  n_minus_1: float | None = None, hubs: list[str] | None = None,
                  design: SolvedDesign | None = None) -> RobustOutcome:
    """Plan over `k` draws, evaluate both designs on `fresh` draws, EVPI over `hindsight` of
    them, optionally an N-1 plan (share `n_minus_1`, closures of `hubs`, default all) too
    (module docstring). Raises `InputError` (exit 2, nothing written) for bad counts, share
    or hub ids, a bad output folder or a results folder without the design."""
    from netdesign.results.io import check_out_dir

    raise_if_errors(check_counts(k, fresh, hindsight) + check_out_dir(out_dir),
                    "cannot plan over scenarios")
    design = design or load_design(results_dir, scenario, capacity=capacity)
    raise_if_errors(check_n_minus_1(n_minus_1, hubs, design.study.network),
                    "cannot plan over scenarios")
    out_dir = Path(out_dir)
    phases: dict[str, float] = {}
    net, sc = design.study.network, design.scenario
    solver = design.study.cfg.solver
    if time_limit_s is not None:
        solver = solver.model_copy(update={"time_limit_s": float(time_limit_s)})
    sample = draw_demands(design, int(k), seed)
    test = draw_demands(design, int(fresh), seed + 1)

    t = time.perf_counter()
    saa = saa_design(net, sc, sample.to_numpy(float), solver)
    phases["saa_solve_s"] = time.perf_counter() - t

    plans = {"mean_forecast": design, "saa": _as_design(design, saa, "saa")}
    nm1 = None
    if n_minus_1 is not None:
        t = time.perf_counter()
        nm1 = n_minus_1_design(net, sc, solver, float(n_minus_1), hubs or None)
        phases["n_minus_1_solve_s"] = time.perf_counter() - t
        plans["n_minus_1"] = _as_design(design, nm1, "n_minus_1")

    t = time.perf_counter()
    evals = {}
    for plan, d in plans.items():
        evals[plan] = evaluate_design(design.results_dir, out_dir / plan, int(fresh),
                                      demands=test, design=d, workers=workers,
                                      scheduler=scheduler)
    phases["evaluate_s"] = time.perf_counter() - t

    t = time.perf_counter()
    H = int(hindsight)
    ws = hindsight_solves(net, sc, test.to_numpy(float)[:H], solver) if H else None
    phases["hindsight_s"] = time.perf_counter() - t

    costs = {p: draw_figures(evals[p].results) for p in plans}
    figures = value_figures(costs["mean_forecast"]["total_cost"].to_numpy(float),
                            costs["saa"]["total_cost"].to_numpy(float), ws)
    figures.update(saa_in_sample_cny_per_day=saa.objective, saa_mip_gap=saa.mip_gap,
                   mean_design_own_cost_cny_per_day=float(sum(design.cost.values())))
    if nm1 is not None:
        c = costs["n_minus_1"]["total_cost"].to_numpy(float)
        figures.update(n_minus_1_share=float(n_minus_1),
                       n_minus_1_own_cost_cny_per_day=nm1.objective,
                       n_minus_1_design_cost_cny_per_day=float(np.nanmean(c)))
    caps = {p: d.capacity for p, d in plans.items()}
    ds = value_dataset(design, saa, caps, costs, ws, figures, sample, test, phases)
    _write(ds, figures, out_dir)
    return RobustOutcome(out_dir, saa, evals, figures, ds, phases)


def value_figures(mean_cost: np.ndarray, saa_cost: np.ndarray,
                  hindsight: tuple[np.ndarray, np.ndarray] | None) -> dict[str, float]:
    """VSS and EVPI (CNY/day) from per-draw costs of the two designs (same fresh draws) and,
    for the first H draws, the hindsight designs' (cost, best bound).

    E.g. mean design 1,450 and 1,450, SAA design 0 and 2,800 on two draws: VSS = 1,450 −
    1,400 = 50; hindsight costs 0 and 2,500 (bounds 0, 2,400): EVPI = 1,400 − 1,250 = 150,
    its upper end 1,400 − 1,200 = 200."""
    ok = np.isfinite(mean_cost) & np.isfinite(saa_cost)
    out = {"fresh_draws": float(ok.sum()),
           "mean_design_cost_cny_per_day": float(mean_cost[ok].mean()),
           "saa_design_cost_cny_per_day": float(saa_cost[ok].mean())}
    diff = mean_cost[ok] - saa_cost[ok]
    out["vss_cny_per_day"] = float(diff.mean())
    out["vss_std_error_cny_per_day"] = float(diff.std(ddof=1) / np.sqrt(len(diff))) \
        if len(diff) > 1 else float("nan")
    if hindsight is not None:
        ws, bound = hindsight
        h = len(ws)
        e_saa = float(saa_cost[:h].mean())
        out.update(hindsight_draws=float(h), saa_design_cost_on_hindsight_draws=e_saa,
                   wait_and_see_cost_cny_per_day=float(ws.mean()),
                   evpi_cny_per_day=e_saa - float(ws.mean()),
                   evpi_upper_cny_per_day=e_saa - float(bound.mean()))
    return out


def _as_design(design: SolvedDesign, planned: SAADesign, suffix: str) -> SolvedDesign:
    """`design` with the capacity of `planned` (its scenario named ``<name>_<suffix>``)."""
    return dataclasses.replace(design, capacity=planned.capacity, scenario=dataclasses.replace(
        design.scenario, name=f"{design.scenario.name}_{suffix}"))


def value_dataset(design: SolvedDesign, saa: SAADesign, capacity: dict[str, FixedCapacity],
                  costs: dict[str, pd.DataFrame], hindsight, figures: dict[str, float],
                  sample: pd.DataFrame, test: pd.DataFrame, phases: dict[str, float]
                  ) -> xr.Dataset:
    """plan × draw figures, the plans' capacity, hindsight cost per draw; figures as attrs."""
    from netdesign.results import schema
    from netdesign.results.provenance import provenance_attrs

    plans = list(capacity)
    draws = costs["mean_forecast"].index.to_numpy()
    data = {m: (("plan", "draw"), np.vstack([costs[p][m].to_numpy(float) for p in plans]))
            for m in ("total_cost", "unserved", "late", "max_hub_utilisation", "on_time_share")}
    hs = np.full(len(draws), np.nan)
    if hindsight is not None:
        hs[:len(hindsight[0])] = hindsight[0]
    data["hindsight_cost"] = (("draw",), hs)
    caps = list(capacity.values())
    links = sorted({str(x) for c in caps for x in c.link_modules})
    hubs = sorted({str(x) for c in caps for x in (*c.hub_modules, *c.hub_open)})
    data["link_modules_added"] = (("plan", "link"), np.array(
        [[float(c.link_modules.get(lk, 0.0)) for lk in links] for c in caps]))
    data["hub_modules_added"] = (("plan", "hub"), np.array(
        [[float(c.hub_modules.get(h, 0.0)) for h in hubs] for c in caps]))
    data["hub_open"] = (("plan", "hub"), np.array(
        [[float(bool(c.hub_open.get(h, False))) for h in hubs] for c in caps]))
    data["sample_demand_total"] = (("sample",), sample.sum(axis=1).to_numpy(float))
    data["draw_demand_total"] = (("draw",), test.sum(axis=1).to_numpy(float)[draws])
    ds = xr.Dataset(data, coords={"plan": plans, "draw": draws, "link": links,
                                  "hub": hubs, "sample": np.arange(len(sample))})
    ds.attrs.update(provenance_attrs(design.study))
    ds.attrs.update({f"value_{k}": float(v) for k, v in figures.items()})
    ds.attrs.update(evaluated_design=design.scenario.name,
                    evaluated_results=str(design.results_dir), saa_status=saa.status,
                    saa_rows=saa.rows, saa_cols=saa.cols, saa_scenarios=len(sample),
                    **{f"phase_{k}": float(v) for k, v in phases.items()})
    return schema.annotate(ds)


def value_table(ds: xr.Dataset) -> pd.DataFrame:
    """figure → value, from the attributes ``value_*`` of a robust-design results.nc."""
    rows = {k[len("value_"):]: float(v) for k, v in ds.attrs.items() if k.startswith("value_")}
    return pd.DataFrame({"value": rows}).rename_axis("figure")


def _write(ds: xr.Dataset, figures: dict[str, float], out_dir: Path) -> None:
    from netdesign.evaluate.runner import write_results_nc
    from netdesign.results.io import write_frame_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    write_results_nc(ds, out_dir)
    write_frame_atomic(pd.DataFrame({"figure": list(figures), "value": list(figures.values())}),
                       out_dir / "value.csv")
