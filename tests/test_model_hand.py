"""Hand-worked optima of tiny networks, checked against the solver."""

from __future__ import annotations

import pytest
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.optimise import design_network


def test_rail_module_bought_when_it_pays() -> None:
    """A -> H1 -> H2 -> B, 100 parcels/day.

    Door to door: road 1 + 10 + 2 + 0.5 + 0.5 = 14 CNY/parcel, rail 1 + 6 + 2 + 1 = 10.
    Rail holds 60 parcels/day; one module adds 50 for 150 CNY/day. Without it: 60 x 10 +
    40 x 14 = 1,160 CNY/day; with it: 100 x 10 + 150 = 1,150 CNY/day -> buy one module.
    Transport 100 x (1 + 6 + 2) = 900, handling 100, capacity 150.
    CO2: 100 parcels x 1.2 kg/1000 x 1000 km x 0.03 kg/tkm = 3.6 kg = 0.0036 t/day
    (collection and distribution have factor 0).
    """
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=150)
    d = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert d.report.status == "optimal"
    assert d.costs["total"] == pytest.approx(1150.0)
    assert d.report.objective == pytest.approx(1150.0)
    assert d.costs["transport"] == pytest.approx(900.0)
    assert d.costs["handling"] == pytest.approx(100.0)
    assert d.costs["capacity"] == pytest.approx(150.0)
    assert d.links.loc["rail", "modules_added"] == 1
    assert d.links.loc["rail", "capacity_parcels_per_day"] == pytest.approx(110.0)
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(100.0)
    assert d.parcel_km["rail"] == pytest.approx(100_000.0)
    assert d.co2_t_per_day == pytest.approx(0.0036)
    # departures/week = 7 x (60/50 existing + 1 added) = 15.4
    assert d.links.loc["rail", "departures_per_week"] == pytest.approx(15.4)


def test_rail_module_not_bought_when_too_dear() -> None:
    """Same network, module 170 CNY/day > the 40 x 4 = 160 CNY/day it saves:
    60 by rail, 40 by road, 60 x 10 + 40 x 14 = 1,160 CNY/day."""
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=170)
    d = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert d.costs["total"] == pytest.approx(1160.0)
    assert d.links.loc["rail", "modules_added"] == 0
    assert d.corridor_flow.loc["A>B", "road"] == pytest.approx(40.0)
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(60.0)
    assert d.unserved.sum() == pytest.approx(0.0)
