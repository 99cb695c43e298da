"""Golden LP tests: the LP text of every constraint family, compared with reviewed baselines.

Each case builds a model (no solve), turns it into a Pyomo ConcreteModel
(`pyomo_export.to_pyomo`) and writes it with Pyomo's LP writer (symbolic labels): rows
``c_<sense>_<family>(<labels>)_`` in family order, one term per line. The text is compared
with ``tests/golden/<case>.lp``; a difference fails with the diff of each family that
changed, so a change to the model shows family by family.

Cases: the tiny fixture (``tests/fixtures/tiny``, demand = its 2024 history / 366, rounded to
whole parcels/day) and hand cases for the families it does not contain (CO2 cap, mode-share
floor and ceiling, on-time floor, single allocation, optional hubs, minimum frequency,
expansion switched off) plus the hub-flow formulation on a 3-node hub-location instance.

Regenerating after an intended model change (then review the diff by hand against
docs/model.md before committing the new baselines):

    .venv/bin/python -m pytest tests/test_model_golden.py --update-golden
    git diff tests/golden/

Besides the text comparison, every case's LP file is read back by HiGHS and solved, and the
Pyomo model of the tiny fixture and of a hand case is solved through Pyomo's own HiGHS
interface: both must give the optimum of the direct route (matrix -> highspy), so the Pyomo
model and the LP text are the model that is solved.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pytest
from model_fixtures import (
    exact_solver,
    hub_location_instance,
    line_network,
    make_scenario,
    two_hub_network,
)

from netdesign.optimise.api import solve_design
from netdesign.optimise.build import build
from netdesign.optimise.handoff import new_highs
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.pyomo_export import write_lp
from netdesign.scenario.scenario import Scenario

GOLDEN = Path(__file__).resolve().parent / "golden"
TINY = Path(__file__).resolve().parent / "fixtures" / "tiny" / "tiny.yaml"


def _tiny():
    from netdesign.pipeline import load_study

    net = load_study(TINY).network
    h = net.history
    demand = (h[h["month"].dt.year == 2024].groupby("corridor_id")["parcels"].sum() / 366.0)
    return net, Scenario(name="tiny-2024", year=2024, demand=demand.round())


def _capacity_line(**kw):
    """line_network with rail capacity 60 + modules of 50 (150 CNY/day) and H1 sorting 30
    parcels/day + modules of 25 (1 CNY/day); 100 parcels/day A>B, unserved slack allowed."""
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=150)
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    return net, make_scenario({"A>B": 100}, **kw)


def _min_frequency():
    """B rural; H2->B holds one 10-parcel departure a day; 14 departures/week required."""
    net = line_network()
    net.nodes.loc["B", "rural"] = True
    net.links.loc["dist", ["capacity_parcels_per_day", "module_parcels_per_day",
                           "module_cost_cny_per_year"]] = [10.0, 10.0, 5.0 * 365]
    return net, make_scenario({"A>B": 8}, rural_min_weekly_frequency=14.0)


def _co2_cap():
    """Road 0.12 kg CO2/parcel, rail 0.036; cap 7.8 kg/day = 0.0078 t/day."""
    net = line_network()
    net.links.loc["rail", "cost_cny_per_parcel"] = 12.0
    return net, make_scenario({"A>B": 100}, co2_cap_t_per_day=0.0078)


def _mode_share():
    """Rail at least 40 %, road at most 70 % of line-haul parcel-km."""
    net = line_network()
    net.links.loc["rail", "cost_cny_per_parcel"] = 12.0
    return net, make_scenario({"A>B": 100},
                              mode_share_bounds={"rail": (0.4, None), "road": (None, 0.7)})


def _on_time_floor():
    """Global A>B, 100 parcels/day: air 25 h (on time) or sea 700 h (late) against 72 h, no
    late penalty; on-time floor 0.6 of the class's demand (a row >= 60)."""
    from test_service_segments import STANDARDS, fast_slow_network

    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "service_class": "global"}])
    return net, make_scenario({"A>B": 100}, service_standards_h=STANDARDS,
                              late_penalty_cny_per_parcel=0.0, on_time_floor={"global": 0.6})


def _single_allocation():
    return two_hub_network(), make_scenario({"A>B1": 100, "A>B2": 60}, allocation="single")


def _optional_hub():
    """H2 optional (150 CNY/day), capacity 50 + modules of 25 (2 CNY/day); A>B may skip it
    by the distribution link H1->B."""
    net = line_network()
    net.hubs.loc["H2", ["optional", "fixed_cost_cny_per_year", "capacity_parcels_per_day",
                        "module_parcels_per_day", "module_cost_cny_per_year"]] = [
        True, 150.0 * 365, 50.0, 25.0, 2.0 * 365]
    net.links.loc["H1-B"] = {"from_node": "H1", "to_node": "B", "role": "distribution",
                             "cost_cny_per_parcel": 10.5, "distance_km": 1000.0,
                             "transit_h": 1.0, "co2_kg_per_tkm": 0.0,
                             "capacity_parcels_per_day": math.inf,
                             "module_parcels_per_day": 0.0, "module_cost_cny_per_year": 0.0,
                             "min_weekly_frequency": math.nan, "mode": "road"}
    return net, make_scenario({"A>B": 100})


def _hubflow():
    net, sc, _w = hub_location_instance(3, 5, capacity=25.0)
    return net, sc


CASES: dict[str, tuple[Callable, str]] = {
    "tiny": (_tiny, "path"),
    "capacity_line": (_capacity_line, "path"),
    "no_expansion": (lambda: _capacity_line(expansion=False), "path"),
    "min_frequency": (_min_frequency, "path"),
    "co2_cap": (_co2_cap, "path"),
    "mode_share": (_mode_share, "path"),
    "on_time_floor": (_on_time_floor, "path"),
    "single_allocation": (_single_allocation, "path"),
    "optional_hub": (_optional_hub, "path"),
    "hubflow": (_hubflow, "hubflow"),
}


def _lp(case: str, tmp_path: Path) -> tuple[str, object, object, str]:
    make, formulation = CASES[case]
    net, sc = make()
    built = build(build_model_data(net, sc), formulation)
    assert built.formulation == formulation and built.model is not None
    lp = tmp_path / f"{case}.lp"
    write_lp(built.model, lp)
    return lp.read_text(encoding="utf-8"), net, sc, formulation


def _sections(text: str) -> dict[str, list[str]]:
    """LP text split by constraint family (row names ``c_<sense>_<family>(...)_:``), plus the
    objective and the bounds/integer sections."""
    out: dict[str, list[str]] = {"objective": []}
    key = "objective"
    for line in text.splitlines():
        m = re.match(r"^[cr]_[elu]_(.+?)(\(.*\))?_:$", line)
        if m:
            key = m.group(1)
        elif line in ("bounds", "general", "binary"):
            key = "bounds"
        out.setdefault(key, []).append(line)
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_lp_matches_golden(case: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    text, *_ = _lp(case, tmp_path)
    path = GOLDEN / f"{case}.lp"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no baseline {path}: run with --update-golden and review it"
    want = path.read_text(encoding="utf-8")
    if text == want:
        return
    old, new = _sections(want), _sections(text)
    report = []
    for name in list(dict.fromkeys([*old, *new])):
        if old.get(name) != new.get(name):
            diff = difflib.unified_diff(old.get(name, []), new.get(name, []),
                                        f"golden/{case}.lp [{name}]", f"model [{name}]",
                                        lineterm="", n=1)
            report.append("\n".join(list(diff)[:60]))
    pytest.fail(f"{case}: LP differs from the reviewed baseline in "
                f"{sum(old.get(n) != new.get(n) for n in dict.fromkeys([*old, *new]))} "
                f"section(s):\n" + "\n".join(report))


@pytest.mark.parametrize("case", list(CASES))
def test_lp_file_solves_to_the_model_optimum(case: str, tmp_path: Path) -> None:
    """HiGHS reads the LP text and finds the optimum `solve_design` finds in memory."""
    _text, net, sc, formulation = _lp(case, tmp_path)
    lp = tmp_path / f"{case}.lp"
    solver = exact_solver()
    h = new_highs()  # HiGHS keeps one thread count per process: use the product's setting
    h.setOptionValue("threads", solver.threads)
    h.setOptionValue("mip_rel_gap", solver.mip_rel_gap)
    assert h.readModel(str(lp)) == highspy.HighsStatus.kOk
    h.run()
    design = solve_design(net, sc, solver, formulation=formulation)
    if design.report.status == "infeasible":
        assert h.getModelStatus() == highspy.HighsModelStatus.kInfeasible
        return
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(design.report.objective,
                                                                 rel=1e-9, abs=1e-9)
    assert np.isfinite(design.costs["total"])


@pytest.mark.parametrize("case", ["tiny", "capacity_line", "hubflow"])
def test_pyomo_model_solved_by_pyomo_equals_the_direct_route(case: str) -> None:
    """The Pyomo ConcreteModel (`Built.pyomo_model`), solved through Pyomo's HiGHS interface
    (`pyomo.contrib.solver` "highs"), reaches the optimum of the direct route."""
    import pyomo.environ as pyo
    from pyomo.contrib.solver.common.factory import SolverFactory

    make, formulation = CASES[case]
    net, sc = make()
    solver = exact_solver()
    direct = solve_design(net, sc, solver, formulation=formulation)
    pm = build(build_model_data(net, sc), formulation).pyomo_model()
    res = SolverFactory("highs").solve(
        pm, solver_options={"threads": solver.threads, "mip_rel_gap": solver.mip_rel_gap})
    assert str(res.termination_condition).endswith("convergenceCriteriaSatisfied")
    assert pyo.value(pm.total_cost) == pytest.approx(direct.report.objective, rel=1e-9)
