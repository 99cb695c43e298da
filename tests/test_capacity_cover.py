"""The aggregate hub-capacity cut of the path formulation (`define_hub_capacity_cover`):
its row on a hand case, its absence where it cannot help, and that it never cuts off the
optimum (the same objective with and without it on hand cases)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from model_fixtures import exact_solver, hub_location_instance, line_network, make_scenario

import netdesign.optimise.model as path_model
from netdesign.optimise.api import solve_design
from netdesign.optimise.build import build
from netdesign.optimise.constraints import FAMILIES, define_hub_capacity_cover
from netdesign.optimise.model_data import build_model_data


def _capacity_line(**kw):
    """A -> H1 -> H2 -> B, 100 parcels/day; H1 sorts 30 parcels/day + modules of 25
    (1 CNY/day each); rail H1->H2 60 + modules of 50 (150 CNY/day); H2 uncapacitated."""
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=150)
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    return net, make_scenario({"A>B": 100}, **kw)


def _row(net, sc) -> dict[str, float] | None:
    """The cut as {column name: coefficient, "rhs": lower bound}, None when not written."""
    m = build(build_model_data(net, sc), "path").model
    b = m.blocks.get("hub_capacity_cover")
    if b is None:
        return None
    names = {}
    for v in m.vars.values():
        for i in range(len(v)):
            names[v.start + i] = f"{v.name}[{v.index.name(i)}]"
    out = {names[int(c)]: float(a) for c, a in zip(b.col, b.coef, strict=True) if c >= 0}
    out["rhs"] = float(b.lower[0])
    return out


def test_cut_on_capacity_line() -> None:
    """Throughput basis: H1 (the only hub with a capacity row, K = 30, Q = 25, always there)
    counts the collection leg A->H1 of every path, so b_{A>B} = 1; σ = 1. The cut:
    25 n_H1 + 1 · u_{A>B} ≥ 1 · 100 − 30 = 70."""
    assert _row(*_capacity_line(allow_unserved=True)) == {
        "hub_modules[H1]": 25.0, "unserved[A>B]": 1.0, "rhs": 70.0}


def test_cut_on_the_design_day() -> None:
    """Peak factor 1.2, utilisation 0.8: σ = 1.5; 25 n_H1 + 1.5 u ≥ 1.5 · 100 − 30 = 120."""
    row = _row(*_capacity_line(allow_unserved=True, peak_factor=1.2, max_utilisation=0.8))
    assert row == pytest.approx({"hub_modules[H1]": 25.0, "unserved[A>B]": 1.5, "rhs": 120.0})


def test_no_cut_when_a_corridor_can_bypass_every_capacitated_hub() -> None:
    """H2 capacitated (50), H1 not; A>B can go A->H1->B by a distribution link H1->B and
    never pass H2, so b = min(1, 0) = 0 and the right-hand side 0 − 50 < 0: no row."""
    net = line_network()
    net.hubs.loc["H2", "capacity_parcels_per_day"] = 50.0
    net.links.loc["H1-B"] = {"from_node": "H1", "to_node": "B", "role": "distribution",
                             "cost_cny_per_parcel": 10.5, "distance_km": 1000.0,
                             "transit_h": 1.0, "co2_kg_per_tkm": 0.0,
                             "capacity_parcels_per_day": math.inf,
                             "module_parcels_per_day": 0.0, "module_cost_cny_per_year": 0.0,
                             "min_weekly_frequency": math.nan, "mode": "road"}
    assert _row(net, make_scenario({"A>B": 100})) is None


def _solve(net, sc, with_cut: bool, monkeypatch: pytest.MonkeyPatch):
    families = FAMILIES if with_cut else tuple(f for f in FAMILIES
                                               if f is not define_hub_capacity_cover)
    monkeypatch.setattr(path_model, "FAMILIES", families)
    return solve_design(net, sc, exact_solver(), formulation="path")


def _hub_location(allow_unserved: bool):
    net, sc, _w = hub_location_instance(5, 7, capacity=60.0)
    return net, make_scenario(dict(sc.demand), allocation="single",
                              allow_unserved=allow_unserved, hub_capacity_basis="collected")


CASES = {
    "capacity_line": lambda: _capacity_line(),
    "capacity_line_unserved": lambda: _capacity_line(allow_unserved=True),
    "capacity_line_peak": lambda: _capacity_line(peak_factor=1.3, max_utilisation=0.85),
    "no_expansion": lambda: _capacity_line(allow_unserved=True, expansion=False),
    "hub_location_5": lambda: _hub_location(False),
    "hub_location_5_unserved": lambda: _hub_location(True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cut_never_cuts_off_the_optimum(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same status and objective with and without the cut; the cut is in the model built with
    it (so the comparison is not of two identical models)."""
    net, sc = CASES[case]()
    assert _row(net, sc) is not None
    with_cut = _solve(net, sc, True, monkeypatch)
    without = _solve(net, sc, False, monkeypatch)
    assert with_cut.report.status == without.report.status == "optimal"
    assert with_cut.report.rows == without.report.rows + 1
    assert with_cut.report.objective == pytest.approx(without.report.objective, rel=1e-7)
    assert np.isclose(with_cut.costs["total"], without.costs["total"], rtol=1e-7)
