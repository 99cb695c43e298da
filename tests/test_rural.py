"""The rural tier (issue 15, "into villages"): hand-worked optima of tiny cases.

Every case is the line network A -> H1 -> H2 -> B of `model_fixtures.line_network` with B a
rural county of one township ``T`` (villages and distances as given). All of B's residents
live in villages (urban population 0), so a village's parcels/day are the corridor demand into
B divided by the villages (`scenario.rural`). Route costs are per departure (cost_cny_per_km
0 unless said), the design day equals the average day (σ = 1).

Each optimum is checked twice (fixture `exact`): with the block solved first by enumeration and
fixed (the default, `optimise.rural.exact_plan`) and with HiGHS branching on it.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.config.schema import RuralConfig
from netdesign.data.network import Network
from netdesign.optimise import design_network
from netdesign.optimise.build import build
from netdesign.optimise.handoff import solve_standard_form
from netdesign.optimise.linear import LinearModel
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.rural import FAMILIES as RURAL_FAMILIES
from netdesign.optimise.rural import (
    RuralData,
    define_rural_variables,
    exact_plan,
    rural_objective,
)
from netdesign.scenario.rural import rural_input

VAN = {"capacity_per_departure": 300, "cost_cny_per_departure": 100}


def rural_net(villages: int = 1, bus_runs: float | None = None) -> Network:
    """The line network with B a rural county of one township T with `villages` villages."""
    net = line_network()
    nodes = net.nodes.copy()
    nodes.loc["B", "rural"] = True
    counties = pd.DataFrame({"name_en": ["B county"], "name_zh": ["B县"],
                             "villages": [villages], "population": [1000.0],
                             "urban_population": [0.0], "area_km2": [100.0]},
                            index=pd.Index(["B"], name="county_node"))
    towns = pd.DataFrame({"county_node": ["B"], "name_en": ["T"], "name_zh": ["T乡"],
                          "villages": [villages], "trunk_km": [10.0], "village_km": [5.0],
                          "bus_runs_per_week": [bus_runs], "min_weekly_frequency": [None]},
                         index=pd.Index(["T"], name="township_id"))
    return Network(nodes=nodes, links=net.links, hubs=net.hubs, corridors=net.corridors,
                   history=net.history, rural={"counties": counties, "townships": towns})


@pytest.fixture(params=[True, False], ids=["enumerated", "mip"], autouse=True)
def exact(request, monkeypatch):
    """Run each test with the rural block fixed by enumeration and left to the MIP."""
    monkeypatch.setattr(RuralInputDefaults, "fix_exact", request.param)
    return request.param


class RuralInputDefaults:
    fix_exact = True


def solve(net: Network, per_week_into_b: float, rural: dict, up_per_week: float = 0.0):
    """Solve with A>B carrying `per_week_into_b`/7 parcels/day (and B>A the upward ones)."""
    cfg = RuralConfig.model_validate(rural)
    demand = pd.Series({"A>B": per_week_into_b / 7.0, "B>A": up_per_week / 7.0})
    corridors = net.corridors
    if "B>A" not in corridors.index:
        corridors = pd.concat([corridors, pd.DataFrame(
            {"origin": ["B"], "destination": ["A"], "service_class": ["domestic"]},
            index=pd.Index(["B>A"], name="corridor_id"))])
        net = Network(nodes=net.nodes, links=net.links, hubs=net.hubs, corridors=corridors,
                      history=net.history, rural=net.rural)
    ri = dataclasses.replace(rural_input(cfg, net.rural, net.corridors, demand),
                             fix_exact=RuralInputDefaults.fix_exact)
    sc = make_scenario(demand.to_dict(), allow_unserved=True, rural=ri)
    return design_network(net, sc, exact_solver()), sc


def test_500_parcels_a_week_get_three_departures_not_seven() -> None:
    """One village route with 500 parcels/week; van 300 parcels and 100 CNY per departure,
    minimum 3/week. Capacity alone needs ⌈500/300⌉ = 2 departures; the obligation makes it 3
    (not the 7 of a daily module). The trunk route carries the same 500: 3 as well.
    Rural cost = (3 + 3) x 100 / 7 CNY/day."""
    d, _ = solve(rural_net(), 500.0, {"modes": {"van": VAN}})
    dep = d.extra["rural_departures"]
    assert dep.loc["T:village", "van"] == 3
    assert dep.loc["T:trunk", "van"] == 3
    assert d.extra["rural_cost_cny_per_day"] == pytest.approx(600.0 / 7.0)


def test_10_parcels_a_week_still_get_three() -> None:
    """10 parcels/week fill a thirtieth of one van, yet the route gets 3 departures/week."""
    d, _ = solve(rural_net(), 10.0, {"modes": {"van": VAN}})
    assert d.extra["rural_departures"].loc["T:village", "van"] == 3


def test_capacity_beyond_the_minimum() -> None:
    """1,000 parcels/week need ⌈1000/300⌉ = 4 departures > the minimum 3."""
    d, _ = solve(rural_net(), 1000.0, {"modes": {"van": VAN}})
    assert d.extra["rural_departures"].loc["T:village", "van"] == 4


def test_village_routes_count_n_times() -> None:
    """12 villages of 10 parcels/week each (120 into B): each village route 3 departures;
    cost = 12 routes x 3 x 100 + trunk 3 x 100 = 3,900 CNY/week = 557.14 CNY/day."""
    d, _ = solve(rural_net(villages=12), 120.0, {"modes": {"van": VAN}})
    dep = d.extra["rural_departures"]
    assert dep.loc["T:village", "van"] == 3
    assert d.extra["rural_cost_cny_per_day"] == pytest.approx(3900.0 / 7.0)


def test_bus_twice_plus_van_once() -> None:
    """A village route of 20 parcels/week; the rural bus runs twice a week (timetable), 30
    parcels and 10 CNY per run; the van 300 parcels and 60 CNY per departure; minimum 3.

    Plans meeting 3/week: bus 2 + van 1 = 2 x 10 + 60 = 80 CNY/week; van 3 = 180; bus 3 is
    not in the timetable. Optimum: the bus twice plus the van once (80 CNY/week). The trunk
    (no bus on it) takes the van 3 times: 180. Rural cost (80 + 180) / 7 CNY/day."""
    rural = {"modes": {
        "van": {"capacity_per_departure": 300, "cost_cny_per_departure": 60},
        "bus": {"capacity_per_departure": 30, "cost_cny_per_departure": 10,
                "timetable": True, "tiers": ["village"]}}}
    d, _ = solve(rural_net(bus_runs=2), 20.0, rural)
    dep = d.extra["rural_departures"]
    assert dep.loc["T:village", "bus"] == 2
    assert dep.loc["T:village", "van"] == 1
    assert dep.loc["T:trunk", "bus"] == 0
    assert dep.loc["T:trunk", "van"] == 3
    assert d.extra["rural_cost_cny_per_day"] == pytest.approx(260.0 / 7.0)


COLD_MODES = {
    "van": {"capacity_per_departure": 300, "cost_cny_per_departure": 50},
    "cold_van": {"capacity_per_departure": 100, "cold_chain_capacity_per_departure": 100,
                 "cost_cny_per_departure": 80},
    "bus": {"capacity_per_departure": 30, "cost_cny_per_departure": 10, "tiers": ["village"]}}


def test_cold_chain_produce_rides_only_cold_capable_vehicles() -> None:
    """A village sends up 150 parcels/week of produce, all cold chain (share 1), receives 10.

    Without the cold row the cheapest plan would be the bus: 5 runs x 30 = 150 parcels for
    50 CNY/week. Cold produce may ride only the cold van (100 per departure): ⌈150/100⌉ = 2
    cold vans (160) + 1 bus for the third departure (10) = 170 CNY/week; the van (50, no cold
    capacity) is dearer than the bus. Trunk: 2 cold vans + 1 van = 210 (bus not on trunks)."""
    rural = {"modes": COLD_MODES, "produce_cold_chain_share": 1.0}
    d, _ = solve(rural_net(), 10.0, rural, up_per_week=150.0)
    dep = d.extra["rural_departures"]
    assert dep.loc["T:village"].to_dict() == {"van": 0, "cold_van": 2, "bus": 1}
    assert dep.loc["T:trunk"].to_dict() == {"van": 1, "cold_van": 2, "bus": 0}
    assert d.extra["rural_cost_cny_per_day"] == pytest.approx(380.0 / 7.0)


def test_cold_chain_without_a_cold_vehicle_is_infeasible() -> None:
    """Same produce, the cold van removed from village routes: buses and vans have room for
    150 parcels but no cold-chain capacity, so no plan exists (the solver says infeasible)
    rather than putting cold produce on them."""
    modes = {**COLD_MODES, "cold_van": {**COLD_MODES["cold_van"], "tiers": ["trunk"]}}
    d, _ = solve(rural_net(), 10.0, {"modes": modes, "produce_cold_chain_share": 1.0},
                 up_per_week=150.0)
    assert d.report.status == "infeasible"


def test_rural_block_sizes() -> None:
    """One integer per (route, mode) a mode may run: 2 routes x van, bus only on the village
    route with a bus line -> 3 integers; rows: capacity 2, min 2, max 2 (no cold)."""
    rural = {"modes": {"van": VAN, "bus": {"capacity_per_departure": 30,
                                           "cost_cny_per_departure": 10, "timetable": True,
                                           "tiers": ["village"]}}}
    net = rural_net(bus_runs=2)
    demand = pd.Series({"A>B": 1.0})
    sc = make_scenario(demand.to_dict(), rural=rural_input(
        RuralConfig.model_validate(rural), net.rural, net.corridors, demand))
    m = build(build_model_data(net, sc), "path").model
    assert len(m.rural_departures) == 3
    assert {n: len(b.index) for n, b in m.blocks.items() if n.startswith("rural")} == {
        "rural_capacity": 2, "rural_min_frequency": 2, "rural_max_frequency": 2}


def test_no_bus_line_means_no_bus() -> None:
    """bus_runs_per_week 0 in the townships table: the bus may not run there (van 3x)."""
    rural = {"modes": {"van": VAN, "bus": {"capacity_per_departure": 30,
                                           "cost_cny_per_departure": 1, "timetable": True,
                                           "tiers": ["village"]}}}
    d, _ = solve(rural_net(bus_runs=0), 10.0, rural)
    assert d.extra["rural_departures"].loc["T:village"].to_dict() == {"van": 3, "bus": 0}


def test_village_part_of_county_parcels() -> None:
    """Half the residents in villages (r = 0.5), a village resident getting half a town
    resident's parcels (a = 0.5): villages get a r / (1 − (1 − a) r) = 0.25 / 0.75 = 1/3 of
    the county's 210 parcels/day in = 70 parcels/day, split over 2 villages = 35 each; the
    trunk carries 70; produce likewise from 42/day out: 7 per village, 10 % cold."""
    net = rural_net(villages=2)
    net.rural["counties"].loc["B", "urban_population"] = 500.0
    cfg = RuralConfig.model_validate({"modes": COLD_MODES,
                                      "village_vs_town_parcels_per_resident": 0.5,
                                      "produce_cold_chain_share": 0.1})
    corridors = pd.concat([net.corridors, pd.DataFrame(
        {"origin": ["B"], "destination": ["A"], "service_class": ["domestic"]},
        index=pd.Index(["B>A"], name="corridor_id"))])
    r = rural_input(cfg, net.rural, corridors, pd.Series({"A>B": 210.0, "B>A": 42.0}))
    assert r.routes.loc["T:village", ["routes", "down", "up", "cold"]].tolist() == \
        pytest.approx([2.0, 35.0, 7.0, 0.7])
    assert r.routes.loc["T:trunk", ["routes", "down", "up"]].tolist() == \
        pytest.approx([1.0, 70.0, 14.0])


def test_enumeration_matches_the_mip_on_random_routes() -> None:
    """40 random routes (volumes 0..1,500 parcels/week, cold 0..30 %, bus timetables 0..14):
    the enumerated plan costs exactly what HiGHS finds for the block (gap 1e-9)."""
    rng = np.random.default_rng(7)
    n = 40
    rd = RuralData(
        route_ids=[f"R{i}" for i in range(n)], route_county=["B"] * n,
        route_township=[f"T{i}" for i in range(n)], route_tier=np.ones(n, int),
        n_routes=rng.integers(1, 20, n).astype(float), km=rng.uniform(2, 20, n),
        down=rng.uniform(0, 1500, n) / 7, up=rng.uniform(0, 900, n) / 7,
        cold=np.zeros(n), min_weekly=np.full(n, 3.0), max_weekly=np.full(n, 14.0),
        mode_ids=["van", "cold_van", "bus"], capacity=np.array([300.0, 150.0, 30.0]),
        cold_capacity=np.array([0.0, 150.0, 0.0]),
        max_dep=np.column_stack([np.full(n, 14.0), np.full(n, 14.0),
                                 rng.integers(0, 15, n).astype(float)]),
        cost=np.column_stack([30 + 4 * rng.uniform(2, 20, n), 40 + 5.2 * rng.uniform(2, 20, n),
                              np.full(n, 8.0)]))
    rd.cold = rd.up * rng.uniform(0, 0.3, n)
    plan, solved = exact_plan(rd)
    assert solved.all()
    enumerated = float((rd.n_routes[:, None] * rd.cost * plan).sum() / 7)
    rd.fix_exact = False
    m = LinearModel("rural only")
    ctx = SimpleNamespace(data=SimpleNamespace(rural=rd), rural=define_rural_variables(m, rd))
    for family in RURAL_FAMILIES:
        family(m, ctx)
    m.minimise(rural_objective(m, rd))
    out, _ = solve_standard_form(m.compile(), exact_solver())
    assert out.status == "optimal"
    assert out.objective == pytest.approx(enumerated, rel=1e-9)


def test_results_and_report_section() -> None:
    """The hand case of `test_bus_twice_plus_van_once` as results variables and the report's
    coverage table: the village served 3 times a week -> coverage 1; cost per village per
    year = (80 + 180) CNY/week / 7 x 365 / 1 village = 13,557 CNY; parcels per day = 20/7;
    the section lists the county with 100.0 %."""
    from netdesign.report.rural import county_table, rural_section_html
    from netdesign.results.dataset import design_to_dataset

    rural = {"modes": {
        "van": {"capacity_per_departure": 300, "cost_cny_per_departure": 60},
        "bus": {"capacity_per_departure": 30, "cost_cny_per_departure": 10,
                "timetable": True, "tiers": ["village"]}}}
    net = rural_net(bus_runs=2)
    d, sc = solve(net, 20.0, rural)
    corridors = net.corridors
    if "B>A" not in corridors.index:
        corridors = pd.concat([corridors, pd.DataFrame(
            {"origin": ["B"], "destination": ["A"], "service_class": ["domestic"]},
            index=pd.Index(["B>A"], name="corridor_id"))])
    net = Network(nodes=net.nodes, links=net.links, hubs=net.hubs, corridors=corridors,
                  history=net.history, rural=net.rural)
    ds = design_to_dataset(net, sc, d)
    assert float(ds["village_coverage"].sel(scenario="test", county="B")) == 1.0
    assert ds["rural_departures_per_week"].sel(scenario="test", route="T:village").values \
        .tolist() == [1.0, 2.0]
    assert float(ds["rural_cost_per_village"].sel(scenario="test", county="B")) == \
        pytest.approx(260.0 / 7.0 * 365.0)
    assert float(ds["rural_parcels"].sel(scenario="test", county="B")) == \
        pytest.approx(20.0 / 7.0)
    row = county_table(ds, "test")[0]
    assert row["departures"] == 3.0 and row["bus_share"] == pytest.approx(2.0 / 3.0)
    html = rural_section_html(ds, "en")
    assert "B county" in html and "100.0%" in html and "Villages served ≥ 3×/week" in html
