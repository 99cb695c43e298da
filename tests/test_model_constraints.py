"""One test per constraint family, on tiny hand-built networks with hand-worked answers."""

from __future__ import annotations

import math

import pytest
from model_fixtures import exact_solver, line_network, make_scenario, two_hub_network

from netdesign.optimise import design_network


def _slow_rail_network(rail_transit_h: float) -> object:
    """line_network with road 10 h and rail `rail_transit_h` between the hubs."""
    net = line_network()
    net.links.loc["road", "transit_h"] = 10.0
    net.links.loc["rail", "transit_h"] = rail_transit_h
    return net


def test_service_standard_forbid_cuts_the_slow_path() -> None:
    """Rail (10 CNY/parcel door to door) takes 1 + 30 + 1 = 32 h > 24 h; road (14 CNY) takes
    12 h. With policy forbid all 100 parcels go by road: 1,400 CNY/day, nothing late."""
    net = _slow_rail_network(30.0)
    d = design_network(net, make_scenario({"A>B": 100}, service_policy="forbid"), exact_solver())
    assert d.corridor_flow.loc["A>B", "road"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(1400.0)
    assert d.late.sum() == 0.0


def test_service_standard_penalty_reports_late_volume() -> None:
    """Same network, policy penalty 2 CNY/late parcel: rail 10 + 2 = 12 < 14 by road, so
    all 100 parcels go by rail and are reported late; late penalty 200 CNY/day."""
    net = _slow_rail_network(30.0)
    sc = make_scenario({"A>B": 100}, service_policy="penalty", late_penalty_cny_per_parcel=2.0)
    d = design_network(net, sc, exact_solver())
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(100.0)
    assert d.late.loc["A>B"] == pytest.approx(100.0)
    assert d.costs["late_penalty"] == pytest.approx(200.0)
    assert d.costs["total"] == pytest.approx(1200.0)


def test_service_standard_counts_handling_and_customs() -> None:
    """Rail 20 h + collection/distribution 2 h = 22 h fits 24 h, but 1.5 h handling at each
    hub makes 25 h: late. An international corridor adds customs_h at the hubs it passes."""
    net = _slow_rail_network(20.0)
    sc = make_scenario({"A>B": 100}, service_policy="forbid")
    assert design_network(net, sc, exact_solver()).corridor_flow.loc["A>B", "rail"] == \
        pytest.approx(100.0)
    net.hubs.loc[:, "handling_h"] = 1.5
    assert design_network(net, sc, exact_solver()).corridor_flow.loc["A>B", "road"] == \
        pytest.approx(100.0)
    net.hubs.loc[:, "handling_h"] = 0.0
    net.hubs.loc["H2", "customs_h"] = 3.0
    net.nodes.loc["B", "country"] = "JP"
    assert design_network(net, sc, exact_solver()).corridor_flow.loc["A>B", "road"] == \
        pytest.approx(100.0)


def test_min_frequency_forces_a_module() -> None:
    """B is rural; its feeder H2->B holds 10 parcels/day = one 10-parcel departure a day
    (7/week). The rural minimum of 14/week needs ceil(14/7 - 10/10) = 1 module (5 CNY/day)
    although the 8 parcels/day fit: cost 8 x 10 (rail path) + 5 = 85 CNY/day."""
    net = line_network()
    net.nodes.loc["B", "rural"] = True
    net.links.loc["dist", ["capacity_parcels_per_day", "module_parcels_per_day",
                           "module_cost_cny_per_year"]] = [10.0, 10.0, 5.0 * 365]
    d = design_network(net, make_scenario({"A>B": 8}, rural_min_weekly_frequency=14.0),
                       exact_solver())
    assert d.links.loc["dist", "modules_added"] == 1
    assert d.links.loc["dist", "departures_per_week"] == pytest.approx(14.0)
    assert d.costs["total"] == pytest.approx(85.0)
    # with the default 3/week the existing daily departure is enough
    d3 = design_network(net, make_scenario({"A>B": 8}), exact_solver())
    assert d3.links.loc["dist", "modules_added"] == 0
    assert d3.costs["total"] == pytest.approx(80.0)


def test_carbon_cap_shifts_mode_split() -> None:
    """Road 10 CNY and 0.12 kg CO2/parcel (1.2 kg x 1000 km x 0.1 kg/tkm), rail made dearer
    (road cheaper door to door) at 0.036 kg. Cap 7.8 kg/day for 100 parcels:
    0.12 r + 0.036 (100 - r) <= 7.8 -> r <= 50. So 50 by road, 50 by rail."""
    net = line_network()
    net.links.loc["rail", "cost_cny_per_parcel"] = 12.0
    free = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert free.corridor_flow.loc["A>B", "road"] == pytest.approx(100.0)
    assert free.co2_t_per_day == pytest.approx(0.012)
    d = design_network(net, make_scenario({"A>B": 100}, co2_cap_t_per_day=0.0078),
                       exact_solver())
    assert d.corridor_flow.loc["A>B", "road"] == pytest.approx(50.0)
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(50.0)
    assert d.co2_t_per_day == pytest.approx(0.0078)


def test_carbon_price_in_objective() -> None:
    """With rail at 12 CNY, door to door road costs 14 and rail 16 CNY/parcel. A carbon price of
    20,000 CNY/t adds 2.4 to road (0.12 kg) and 0.72 to rail: 16.4 < 16.72, still road.
    At 30,000 CNY/t: road 14 + 3.6 = 17.6 > rail 16 + 1.08 = 17.08: all rail, carbon cost
    100 x 0.036e-3 t x 30,000 = 108 CNY/day."""
    net = line_network()
    net.links.loc["rail", "cost_cny_per_parcel"] = 12.0
    lo = design_network(net, make_scenario({"A>B": 100}, carbon_price_cny_per_t=20_000.0),
                        exact_solver())
    assert lo.corridor_flow.loc["A>B", "road"] == pytest.approx(100.0)
    assert lo.costs["carbon"] == pytest.approx(240.0)
    d = design_network(net, make_scenario({"A>B": 100}, carbon_price_cny_per_t=30_000.0),
                       exact_solver())
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(100.0)
    assert d.costs["carbon"] == pytest.approx(108.0)
    assert d.costs["total"] == pytest.approx(1708.0)


def test_hub_capacity_expanded_in_integer_modules() -> None:
    """H1 sorts 30 parcels/day; modules of 25 at 1 CNY/day. 100 parcels need
    ceil(70/25) = 3 modules -> capacity 105; cost 100 x 10 + 3 = 1,003 CNY/day."""
    net = line_network()
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    d = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert d.hubs.loc["H1", "modules_added"] == 3
    assert d.hubs.loc["H1", "capacity_parcels_per_day"] == pytest.approx(105.0)
    assert d.costs["total"] == pytest.approx(1003.0)


def test_hub_capacity_cap_limits_expansion() -> None:
    """A policy cap of 80 parcels/day at H1 allows floor((80-30)/25) = 2 modules: 80 served,
    20 unserved at 500 CNY: 80 x 10 + 2 + 20 x 500 = 10,802 CNY/day."""
    net = line_network()
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    d = design_network(net, make_scenario({"A>B": 100}, hub_capacity_cap={"H1": 80.0}),
                       exact_solver())
    assert d.hubs.loc["H1", "modules_added"] == 2
    assert d.unserved.loc["A>B"] == pytest.approx(20.0)
    assert d.costs["total"] == pytest.approx(10_802.0)


def test_single_allocation_respected() -> None:
    """Multiple allocation: A>B1 via H1 (2), A>B2 via H2 (2): 100 x 2 + 60 x 2 = 320.
    Single: A uses one hub. A@H1: 100 x 2 + 60 x (1 + 3 + 1) = 500; A@H2: 100 x 5 + 60 x 2
    = 620 -> 500, all of A's parcels collected at H1."""
    net = two_hub_network()
    dem = {"A>B1": 100, "A>B2": 60}
    multi = design_network(net, make_scenario(dem), exact_solver())
    assert multi.costs["total"] == pytest.approx(320.0)
    single = design_network(net, make_scenario(dem, allocation="single"), exact_solver())
    assert single.costs["total"] == pytest.approx(500.0)
    assert single.links.loc["A-H1", "flow_parcels_per_day"] == pytest.approx(160.0)
    assert single.links.loc["A-H2", "flow_parcels_per_day"] == pytest.approx(0.0)
    assert single.links.loc["H1-H2", "flow_parcels_per_day"] == pytest.approx(60.0)


@pytest.mark.parametrize(("fixed_per_day", "opens"), [(150.0, True), (250.0, False)])
def test_optional_hub_opened_only_when_worth_it(fixed_per_day: float, opens: bool) -> None:
    """H2 optional with fixed cost F CNY/day; without H2 the 100 parcels go A->H1->B directly
    (12 CNY); through H2 they cost 1 + 6 + 2 + handling 1 = 10: saving 200 CNY/day.
    F = 150 -> open (1,000 + 150); F = 250 -> closed (1,200)."""
    net = line_network()
    net.hubs.loc["H2", ["optional", "fixed_cost_cny_per_year"]] = [True, fixed_per_day * 365]
    extra = {"link_id": "H1-B", "from_node": "H1", "to_node": "B", "role": "distribution",
             "cost_cny_per_parcel": 10.5, "distance_km": 1000.0, "transit_h": 1.0,
             "co2_kg_per_tkm": 0.0, "capacity_parcels_per_day": math.inf,
             "module_parcels_per_day": 0.0, "module_cost_cny_per_year": 0.0,
             "min_weekly_frequency": math.nan, "mode": "road"}
    net.links.loc["H1-B"] = {k: v for k, v in extra.items() if k != "link_id"}
    d = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert bool(d.hubs.loc["H2", "is_open"]) is opens
    assert d.costs["total"] == pytest.approx(1150.0 if opens else 1200.0)
    if not opens:
        assert d.hubs.loc["H2", "capacity_parcels_per_day"] == 0.0


def test_mode_share_floor() -> None:
    """Road cheaper (rail at 12 CNY); rail floor 40 % of line-haul parcel-km (both legs are
    1000 km): 40 parcels by rail, 60 by road: 60 x 14 + 40 x 16 = 1,480 CNY/day."""
    net = line_network()
    net.links.loc["rail", "cost_cny_per_parcel"] = 12.0
    sc = make_scenario({"A>B": 100}, mode_share_bounds={"rail": (0.4, None)})
    d = design_network(net, sc, exact_solver())
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(40.0)
    assert d.parcel_km["rail"] / sum(d.parcel_km.values()) == pytest.approx(0.4)
    assert d.costs["total"] == pytest.approx(1480.0)


def test_mode_share_ceiling() -> None:
    """Rail cheaper (10 vs 14); rail at most 25 %: 25 by rail, 75 by road = 1,300 CNY/day."""
    sc = make_scenario({"A>B": 100}, mode_share_bounds={"rail": (None, 0.25)})
    d = design_network(line_network(), sc, exact_solver())
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(25.0)
    assert d.costs["total"] == pytest.approx(1300.0)


def test_unserved_slack_reports_the_corridor() -> None:
    """Corridor A>C has no link into C: its 30 parcels/day are unserved at 500 CNY each
    (15,000 CNY/day) while A>B is served by rail (100 x 10)."""
    net = line_network()
    net.nodes.loc["C"] = net.nodes.loc["B"]
    net.corridors.loc["A>C"] = {"origin": "A", "destination": "C", "service_class": "domestic"}
    d = design_network(net, make_scenario({"A>B": 100, "A>C": 30}), exact_solver())
    assert d.unserved.loc["A>C"] == pytest.approx(30.0)
    assert d.unserved.loc["A>B"] == pytest.approx(0.0)
    assert d.costs["unserved_penalty"] == pytest.approx(15_000.0)
    assert d.costs["total"] == pytest.approx(16_000.0)
    assert d.corridor_flow.loc["A>C"].sum() == 0.0


def test_transfer_only_at_hubs_that_can() -> None:
    """Rail (10 CNY door to door) needs a road -> rail transfer at H1 and rail -> road at H2.
    When H1 transfers road only, the rail path is not admissible: all road, 14 CNY/parcel."""
    net = line_network()
    net.hubs.loc["H1", "transfer_modes"] = ("road",)
    d = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert d.corridor_flow.loc["A>B", "road"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(1400.0)


def test_no_expansion_solves_with_existing_capacity_only() -> None:
    """H1 sorts 30 parcels/day (modules of 25 at 1 CNY/day); rail holds 60 (modules of 50 at
    150 CNY/day). With expansion: 3 hub modules (105 >= 100) and one rail module (110), all
    100 parcels by rail: 100 x 10 + 3 + 150 = 1,153 CNY/day. With `expansion=False` nothing
    is added: H1 passes 30 (by rail, 10 CNY), 70 unserved at 500: 300 + 35,000 = 35,300."""
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=150)
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    grow = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert grow.costs["total"] == pytest.approx(1153.0)
    assert grow.hubs.loc["H1", "modules_added"] == 3
    assert grow.links.loc["rail", "modules_added"] == 1
    fixed = design_network(net, make_scenario({"A>B": 100}, expansion=False), exact_solver())
    assert fixed.costs["total"] == pytest.approx(35_300.0)
    assert fixed.hubs["modules_added"].sum() == 0 and fixed.links["modules_added"].sum() == 0
    assert fixed.unserved.loc["A>B"] == pytest.approx(70.0)
    assert fixed.corridor_flow.loc["A>B", "rail"] == pytest.approx(30.0)


def test_no_expansion_keeps_optional_hubs_closed() -> None:
    """The optional hub H2 that pays off at 150 CNY/day (1,150 < 1,200) stays closed when the
    scenario allows no expansion: all 100 parcels A->H1->B directly, 1,200 CNY/day."""
    net = line_network()
    net.hubs.loc["H2", ["optional", "fixed_cost_cny_per_year"]] = [True, 150.0 * 365]
    extra = {"from_node": "H1", "to_node": "B", "role": "distribution",
             "cost_cny_per_parcel": 10.5, "distance_km": 1000.0, "transit_h": 1.0,
             "co2_kg_per_tkm": 0.0, "capacity_parcels_per_day": math.inf,
             "module_parcels_per_day": 0.0, "module_cost_cny_per_year": 0.0,
             "min_weekly_frequency": math.nan, "mode": "road"}
    net.links.loc["H1-B"] = extra
    d = design_network(net, make_scenario({"A>B": 100}, expansion=False), exact_solver())
    assert not bool(d.hubs.loc["H2", "is_open"])
    assert d.costs["total"] == pytest.approx(1200.0)
