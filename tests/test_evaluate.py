"""A fixed design under demand draws (`netdesign evaluate`, `optimise.resolve`).

Hand cases on `line_network` (A -> H1 -> H2 -> B, road 14 CNY door to door, rail 10 CNY
with no existing capacity and modules of 100 parcels/day at 50 CNY/day), then the tiny study
end to end: draws equal to the design's demand reproduce its cost, resume after SIGKILL,
a real dask.distributed cluster gives the local figures, bad input exits 2.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.optimise.api import solve_design
from netdesign.optimise.resolve import FixedCapacity, Resolver, fresh_solve

NETDESIGN = str(Path(sys.executable).parent / "netdesign")


def _line(demand: float):
    net = line_network(rail_cap=0.0, rail_module=100.0, rail_module_cost_per_day=50.0)
    sc = make_scenario({c: demand for c in net.corridors.index}, allow_unserved=True)
    return net, sc


def test_resolver_reproduces_the_designs_cost_and_reroutes_more_demand():
    """Demand 150/day: the design buys 2 rail modules (100 CNY/day) and sends all 150 by
    rail: 150 x 10 + 100 = 1,600 CNY/day. Fixed, demand 300/day: 200 by rail (the modules'
    capacity) at 10, 100 by road at 14: 2,000 + 1,400 + 100 = 3,500 CNY/day; demand 80/day:
    80 x 10 + 100 = 900 (the modules are paid for whether used or not)."""
    net, sc = _line(150.0)
    design = solve_design(net, sc, exact_solver(), formulation="path")
    assert design.costs["total"] == pytest.approx(1600.0)
    cap = FixedCapacity.from_design(design)
    r = Resolver(net, sc, cap, exact_solver(), reference_demand=np.array([300.0]))
    assert not r.is_mip  # every integer column fixed: an LP
    assert r.solve(np.array([150.0])).costs["total"] == pytest.approx(1600.0)
    more = r.solve(np.array([300.0]))
    assert more.costs["total"] == pytest.approx(3500.0)
    assert more.links.loc["rail", "flow_parcels_per_day"] == pytest.approx(200.0)
    assert r.solve(np.array([80.0])).costs["total"] == pytest.approx(900.0)
    # the same draw built from scratch gives the same answer
    assert fresh_solve(net, sc, cap, exact_solver(), np.array([300.0])).costs["total"] \
        == pytest.approx(3500.0)


def test_integer_columns_fixed_by_their_bounds_leave_an_lp_that_warm_starts():
    """In the default study the rural tier's departures are integer columns fixed by their
    own bounds (lower = upper); HiGHS solves a model with integer columns as a MIP and keeps
    no basis between runs, so the fixed design must drop their integrality. Here a column of
    the hand case (the rail link's flow at 0, so 150 parcels/day by road, 14 CNY: 2,100
    CNY/day) is made integer with lower = upper: the model stays an LP, and re-solving the
    same demand starts from the kept basis (no simplex iteration)."""
    net, sc = _line(150.0)

    class MarkedResolver(Resolver):
        def _fix(self, sf, cap):
            j = self.model.link_flow.columns[list(self.model.link_flow.ids).index(
                self.data.link_ids.index("rail"))]
            sf.integrality[j], sf.col_lower[j], sf.col_upper[j] = 1, 0.0, 0.0
            super()._fix(sf, cap)

    r = MarkedResolver(net, sc, FixedCapacity(), exact_solver())
    assert not r.is_mip
    assert r.solve(np.array([150.0])).costs["total"] == pytest.approx(2100.0)
    r.solve(np.array([150.0]))
    assert r.highs.getInfo().basis_validity == 1
    assert r.highs.getInfo().simplex_iteration_count == 0


def test_a_fresh_solve_below_the_designs_demand_keeps_its_hub_modules():
    """H2 made optional (20 CNY/day to open) with no capacity but modules of 100 parcels/day
    at 10 CNY/day. Demand 150: open H2, 2 modules (40 CNY/day), 150 x 10 (rail) = 1,540.
    Fixed, demand 80: 80 x 10 + 40 = 840. A model built from 80 alone bounds H2's modules by
    what 80 parcels/day need (N̄ = 1 in hub_modules_open: n − N̄ y ≤ 0), so the design's 2
    modules would make it infeasible: the fresh build must use the design's demand too."""
    net = line_network()
    net.hubs.loc["H2", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year", "optional", "fixed_cost_cny_per_year"]] = \
        [0.0, 100.0, 10.0 * 365, True, 20.0 * 365]
    sc = make_scenario({"A>B": 150.0}, allow_unserved=True)
    design = solve_design(net, sc, exact_solver(), formulation="path")
    assert design.costs["total"] == pytest.approx(1540.0)
    cap = FixedCapacity.from_design(design)
    assert cap.hub_modules["H2"] == pytest.approx(2.0)
    assert fresh_solve(net, sc, cap, exact_solver(), np.array([80.0])).costs["total"] \
        == pytest.approx(840.0)


def test_a_design_holding_more_modules_than_its_reference_demand_needs_is_kept():
    """The same hand case, the Resolver built from a scenario of 80 parcels/day only (as when
    a design's demand is read back a hair lower than it was solved with, and N̄ rounds one
    module down): the fixed design's 2 modules at H2 exceed N̄ = 1, but with capacity fixed
    hub_modules_open only bounds the design's own modules and is relaxed, so the draw of 80
    costs 80 x 10 + 40 = 840 CNY/day, not "infeasible"."""
    net = line_network()
    net.hubs.loc["H2", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year", "optional", "fixed_cost_cny_per_year"]] = \
        [0.0, 100.0, 10.0 * 365, True, 20.0 * 365]
    design = solve_design(net, make_scenario({"A>B": 150.0}, allow_unserved=True),
                          exact_solver(), formulation="path")
    cap = FixedCapacity.from_design(design)
    low = make_scenario({"A>B": 80.0}, allow_unserved=True)
    out = Resolver(net, low, cap, exact_solver()).solve(np.array([80.0]))
    assert out.report.status == "optimal"
    assert out.costs["total"] == pytest.approx(840.0)


def test_a_closed_capacity_shows_as_unserved_without_alternative():
    """No road link and no rail module: every parcel is unserved (500 CNY each)."""
    net, sc = _line(150.0)
    net.links.loc["road", "capacity_parcels_per_day"] = 0.0
    r = Resolver(net, sc, FixedCapacity(), exact_solver())
    d = r.solve(np.array([150.0]))
    assert d.unserved.sum() == pytest.approx(150.0)
    assert d.costs["unserved_penalty"] == pytest.approx(150.0 * 500.0)


def test_n_draws_must_be_positive(tmp_path: Path):
    out = tmp_path / "out"
    proc = subprocess.run([NETDESIGN, "evaluate", str(tmp_path), "--scenarios", "0",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "--scenarios" in proc.stderr and ">= 1" in proc.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- the tiny study
@pytest.fixture(scope="module")
def tiny_results(tiny_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`netdesign run` of the tiny study (fast forecast settings, no backtest)."""
    from netdesign.pipeline import run_study

    raw = yaml.safe_load(tiny_config.read_text(encoding="utf-8"))
    raw["data"]["dir"] = str(tiny_config.parent.resolve())
    raw["forecast"] = {"method": "seasonal_naive", "backtest_origins": 0, "workers": 1,
                       "cache": False}
    raw["solver"]["mip_rel_gap"] = 1e-6
    base = tmp_path_factory.mktemp("tinyrun")
    cfg = base / "tiny.yaml"
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    run_study(cfg, base / "out", progress=False)
    return base / "out"


@pytest.mark.slow
def test_draws_equal_to_the_mean_reproduce_the_designs_cost(tiny_results: Path,
                                                            tmp_path: Path):
    from netdesign.evaluate.design import load_design
    from netdesign.evaluate.runner import evaluate_design

    d = load_design(tiny_results, capacity="planned")
    mean = pd.DataFrame([d.scenario.demand.to_numpy()] * 3, columns=d.scenario.demand.index)
    o = evaluate_design(tiny_results, tmp_path / "ev", 3, workers=0, demands=mean, design=d)
    assert o.failed == []
    own = sum(d.cost.values())
    np.testing.assert_allclose(o.results["total_cost"].values, own, rtol=1e-6)
    assert o.summary.loc["total_cost", "worst"] == pytest.approx(own, rel=1e-6)
    assert (tmp_path / "ev" / "results.nc").is_file()
    assert o.results.sizes["draw"] == 3


def _draw_files(out: Path) -> dict[str, tuple[int, int]]:
    return {p.stem: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (out / "scenarios").glob("draw_*.nc")}


@pytest.mark.slow
def test_resume_after_sigkill_recomputes_no_finished_draw(tiny_results: Path, tmp_path: Path):
    from netdesign.evaluate.runner import evaluate_design

    n, out = 16, tmp_path / "killed"
    proc = subprocess.Popen([NETDESIGN, "evaluate", str(tiny_results), "-n", str(n), "--out",
                             str(out), "--workers", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / "scenarios").is_dir() and len(_draw_files(out)) >= 3:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    done = _draw_files(out)
    assert 3 <= len(done) < n, f"kill came too late or too early: {sorted(done)}"
    o = evaluate_design(tiny_results, out, n, workers=0)
    assert set(o.reused) == set(done)
    assert set(o.computed) == {f"draw_{i:04d}" for i in range(n)} - set(done)
    now = _draw_files(out)
    for name, stamp in done.items():
        assert now[name] == stamp, f"{name} was recomputed"
    # the same figures as an uninterrupted run
    ref = evaluate_design(tiny_results, tmp_path / "ref", n, workers=0)
    np.testing.assert_allclose(o.results["total_cost"].values,
                               ref.results["total_cost"].values, rtol=1e-9)


@pytest.mark.slow
@pytest.mark.distributed
def test_a_dask_distributed_cluster_gives_the_local_figures(tiny_results: Path,
                                                            tmp_path: Path):
    from netdesign.evaluate.runner import evaluate_design
    from netdesign.sweep.cluster import dask_client

    n = 8
    local = evaluate_design(tiny_results, tmp_path / "local", n, workers=0)
    # a real scheduler with two process workers, reached by its address like a remote one
    with dask_client(workers=2, scheduler=None, retries=1) as client:
        remote = evaluate_design(tiny_results, tmp_path / "remote", n,
                                 scheduler=client.scheduler.address)
    assert remote.workers == 2
    pids = {t["pid"] for t in remote.timings.values()}
    assert os.getpid() not in pids
    pd.testing.assert_frame_equal(remote.summary, local.summary, rtol=1e-7)
    np.testing.assert_allclose(remote.results["total_cost"].values,
                               local.results["total_cost"].values, rtol=1e-7)
