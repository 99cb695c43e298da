"""Service standards that can be targeted, and demand segments (issue 13, model side).

Hand-worked optima on two-hub networks; the working is in each docstring.
"""

from __future__ import annotations

import math

import pytest
from model_fixtures import exact_solver, make_network, make_scenario

from netdesign.optimise import design_network
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.paths import generate_paths
from netdesign.scenario.scenario import Segment


def fast_slow_network(corridors: list[dict] | None = None):
    """A (district) -> H1 -> H2 -> B; H1 -> H2 by air (25 h, 30 CNY/parcel) or by sea
    (700 h, 10 CNY/parcel); collection and distribution cost nothing and take no time.
    Sea emits 0.01 kg CO2/tkm over 10,000 km, air nothing (to check the segment weight)."""
    nodes = [{"node_id": "A"}, {"node_id": "H1", "kind": "hub"},
             {"node_id": "H2", "kind": "hub"}, {"node_id": "B", "kind": "city"}]
    hubs = [{"hub_id": "H1"}, {"hub_id": "H2"}]
    links = [
        {"link_id": "col", "from_node": "A", "to_node": "H1", "role": "collection",
         "cost_cny_per_parcel": 0.0, "transit_h": 0.0},
        {"link_id": "air", "from_node": "H1", "to_node": "H2", "mode": "air",
         "cost_cny_per_parcel": 30.0, "transit_h": 25.0, "distance_km": 10_000.0},
        {"link_id": "sea", "from_node": "H1", "to_node": "H2", "mode": "water",
         "cost_cny_per_parcel": 10.0, "transit_h": 700.0, "distance_km": 10_000.0,
         "co2_kg_per_tkm": 0.01},
        {"link_id": "dist", "from_node": "H2", "to_node": "B", "role": "distribution",
         "cost_cny_per_parcel": 0.0, "transit_h": 0.0},
    ]
    corridors = corridors or [{"corridor_id": "A>B", "origin": "A", "destination": "B"}]
    return make_network(nodes, links, hubs, corridors)


STANDARDS = {"domestic": 24.0, "neighbouring": 48.0, "global": 72.0}


def test_graded_lateness_prices_hours_late_and_changes_the_optimum() -> None:
    """Standard 24 h; air takes 25 h (1 h late), sea 700 h (676 h late). 100 parcels/day.

    Penalty = 2 CNY/parcel fixed + 0.1 CNY/(parcel h):
      air: 2 + 0.1 x 1 = 2.1,   sea: 2 + 0.1 x 676 = 69.6  (ratio 69.6 / 2.1 = 33.14).
    Path cost: air 30 + 2.1 = 32.1, sea 10 + 69.6 = 79.6 -> air; 100 x 32.1 = 3,210 CNY/day,
    of which late penalty 210.
    With the flat penalty only (0 per hour) sea costs 10 + 2 = 12 < air 32 -> sea;
    100 x 12 = 1,200 CNY/day, late penalty 200.
    """
    net = fast_slow_network()
    graded = make_scenario({"A>B": 100}, service_standards_h=STANDARDS,
                           late_penalty_cny_per_parcel=2.0,
                           late_penalty_cny_per_parcel_hour=0.1)
    paths = generate_paths(build_model_data(net, graded))
    pen = {round(float(t)): float(p) for t, p in zip(paths.time_h, paths.late_penalty,
                                                     strict=True)}
    assert pen == {25: pytest.approx(2.1), 700: pytest.approx(69.6)}
    assert pen[700] / pen[25] == pytest.approx((2 + 0.1 * 676) / (2 + 0.1 * 1))

    d = design_network(net, graded, exact_solver())
    assert d.corridor_flow.loc["A>B", "air"] == pytest.approx(100.0)
    assert d.costs["late_penalty"] == pytest.approx(210.0)
    assert d.costs["total"] == pytest.approx(3210.0)

    flat = make_scenario({"A>B": 100}, service_standards_h=STANDARDS,
                         late_penalty_cny_per_parcel=2.0)
    d = design_network(net, flat, exact_solver())
    assert d.corridor_flow.loc["A>B", "water"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(1200.0)
    assert d.costs["late_penalty"] == pytest.approx(200.0)


def test_per_class_penalty_overrides_the_default() -> None:
    """The global class's penalty (0 fixed, 1 CNY/(parcel h)) replaces the default (2, 0.1).

    A>B is global here, standard 72 h: air 25 h is on time (30 CNY), sea 628 h late:
    10 + 628 = 638 CNY -> air, 3,000 CNY/day, no late penalty.
    """
    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "service_class": "global"}])
    sc = make_scenario({"A>B": 100}, service_standards_h=STANDARDS,
                       late_penalty_cny_per_parcel=2.0, late_penalty_cny_per_parcel_hour=0.1,
                       late_penalty_by_class={"global": (0.0, 1.0)})
    paths = generate_paths(build_model_data(net, sc))
    sea = [i for i in range(paths.n) if paths.time_h[i] > 600][0]
    assert paths.late_h[sea] == pytest.approx(628.0)
    assert paths.late_penalty[sea] == pytest.approx(628.0)
    d = design_network(net, sc, exact_solver())
    assert d.costs["total"] == pytest.approx(3000.0)
    assert d.late.sum() == pytest.approx(0.0)


def test_two_segments_on_one_corridor_route_by_their_own_standard() -> None:
    """Same O-D, two segments: `parcel` (domestic standard 30 h here) and `restock`
    (standard 800 h, 12 kg parcels = 10 reference parcels of 1.2 kg). Flat penalty 50.

    parcel:  air 25 h is on time: 30 CNY; sea 700 h is late: 10 + 50 = 60 -> air.
    restock: per parcel air 10 x 30 = 300, sea 10 x 10 = 100, on time (700 <= 800) -> sea.
    Cost: 100 x 30 + 20 x 100 = 5,000 CNY/day, no lateness.
    CO2 of restock by sea: 20 parcels x 12 kg = 0.24 t x 10,000 km x 0.01 kg/tkm
    = 24 kg = 0.024 t/day.
    """
    net = fast_slow_network([
        {"corridor_id": "A>B", "origin": "A", "destination": "B", "segment": "parcel"},
        {"corridor_id": "A>B:restock", "origin": "A", "destination": "B",
         "segment": "restock"}])
    segments = {"parcel": Segment(weight_kg=1.2),
                "restock": Segment(weight_kg=12.0, standards_h={"domestic": 800.0})}
    sc = make_scenario({"A>B": 100, "A>B:restock": 20},
                       service_standards_h={**STANDARDS, "domestic": 30.0},
                       late_penalty_cny_per_parcel=50.0, segments=segments)
    d = design_network(net, sc, exact_solver())
    assert d.corridor_flow.loc["A>B", "air"] == pytest.approx(100.0)
    assert d.corridor_flow.loc["A>B:restock", "water"] == pytest.approx(20.0)
    assert d.costs["total"] == pytest.approx(5000.0)
    assert d.late.sum() == pytest.approx(0.0)
    assert d.co2_t_per_day == pytest.approx(0.024)


def test_segment_modes_bind_its_line_haul() -> None:
    """A segment allowed only water and rail takes the sea leg although it is late:
    100 x (10 + 50 flat penalty) = 6,000 CNY/day; unrestricted it flies (30 CNY, on time at
    a 30 h standard): 3,000 CNY/day."""
    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "segment": "bulk"}])
    kw = {"service_standards_h": {**STANDARDS, "domestic": 30.0},
          "late_penalty_cny_per_parcel": 50.0}
    d = design_network(net, make_scenario({"A>B": 100}, segments={
        "bulk": Segment(modes=("water", "rail"))}, **kw), exact_solver())
    assert d.corridor_flow.loc["A>B", "water"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(6000.0)
    d = design_network(net, make_scenario({"A>B": 100}, segments={"bulk": Segment()}, **kw),
                       exact_solver())
    assert d.corridor_flow.loc["A>B", "air"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(3000.0)


def test_undefined_segment_is_an_input_error() -> None:
    from netdesign.errors import InputError

    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "segment": "pallets"}])
    with pytest.raises(InputError) as exc:
        build_model_data(net, make_scenario({"A>B": 1}, segments={"parcel": Segment()}))
    text = str(exc.value)
    assert "corridors" in text and "segment" in text and "pallets" in text


# ---------------------------------------------------------------------------------------------
# configuration: standards by year, per-class penalties, floors as a sweep axis, segments
# ---------------------------------------------------------------------------------------------
def test_service_standards_by_year() -> None:
    """Defaults 24/48/72 h, 5 CNY fixed, 0 per hour; from 2030 global is 72 h with
    0.5 CNY/(parcel h); from 2035 global is 48 h (penalties not restated: the 2035 entry
    leaves them empty, so they are the defaults again, not the 2030 ones)."""
    from netdesign.config.schema import ServiceConfig

    svc = ServiceConfig(late_penalty_cny_per_parcel=5.0, by_year={
        2030: {"late_penalty_cny_per_parcel_hour": {"domestic": 0.0, "neighbouring": 0.0,
                                                    "global": 0.5}},
        2035: {"standards_h": {"global": 48.0}}})
    y2025, y2032, y2040 = svc.for_year(2025), svc.for_year(2032), svc.for_year(2040)
    assert y2025.standards_h["global"] == 72.0 and y2025.late_hourly["global"] == 0.0
    assert y2032.standards_h["global"] == 72.0 and y2032.late_hourly["global"] == 0.5
    assert y2040.standards_h == {"domestic": 24.0, "neighbouring": 48.0, "global": 48.0}
    assert y2040.late_hourly["global"] == 0.0 and y2040.late_fixed["global"] == 5.0


def test_per_class_penalty_must_name_every_class() -> None:
    from pydantic import ValidationError

    from netdesign.config.schema import ServiceConfig

    with pytest.raises(ValidationError, match="missing neighbouring, global"):
        ServiceConfig(late_penalty_cny_per_parcel_hour={"domestic": 1.0})


def test_on_time_floor_sweep_axis_names_and_floors() -> None:
    """A sweep over the global floor: one scenario per (year, floor), named ..._otg-<floor>,
    each with the policy's floors overridden for the global class only."""
    from netdesign.config.schema import StudyConfig
    from netdesign.scenario.grid import expand_sweep

    cfg = StudyConfig.model_validate({
        "name": "t", "policies": {"circle": {"on_time_floor": {"domestic": 0.8}}},
        "scenarios": [{"year": 2035, "policy": "circle"}],
        "sweep": {"axes": {"policy": ["circle"], "on_time_floor_global": [0.5, 0.95]}}})
    scs = expand_sweep(cfg)
    assert [s.name for s in scs] == ["2035_g-base_c-base_co2-0_p-circle_otg-0.5",
                                     "2035_g-base_c-base_co2-0_p-circle_otg-0.95"]
    assert scs[1].on_time_floor(cfg.policies["circle"]) == {"domestic": 0.8, "global": 0.95}


def test_config_segment_undefined_in_corridors_names_file_row_field() -> None:
    from netdesign.config.schema import StudyConfig
    from netdesign.errors import InputError
    from netdesign.scenario.build import check_segments

    cfg = StudyConfig.model_validate({"name": "t", "segments": {
        "parcel": {}, "direct_mail": {"weight_kg": 0.3}}})
    net = fast_slow_network([
        {"corridor_id": "A>B", "origin": "A", "destination": "B", "segment": "direct_mail"},
        {"corridor_id": "A>B:x", "origin": "A", "destination": "B", "segment": "pallet"}])
    with pytest.raises(InputError) as exc:
        check_segments(cfg, net)
    text = str(exc.value)
    assert "corridors.csv" in text and "row 2" in text and "'segment'" in text
    assert "'pallet'" in text


# ---------------------------------------------------------------------------------------------
# on-time floors (a constraint, not a penalty) and weekly departures
# ---------------------------------------------------------------------------------------------
def _global_network(air_cap: float = math.inf):
    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "service_class": "global"}])
    net.links.loc["air", "capacity_parcels_per_day"] = air_cap
    return net


def test_on_time_floor_is_met_exactly() -> None:
    """Global class, standard 72 h, no late penalty: air (25 h, on time) 30 CNY, sea (700 h,
    late) 10 CNY, 100 parcels/day. Without a floor all go by sea (1,000 CNY/day, 0 % on
    time). With a floor of 0.6: 60 by air, 40 by sea = 60 x 30 + 40 x 10 = 2,200 CNY/day,
    exactly 60 % on time (more air only costs more)."""
    kw = {"service_standards_h": STANDARDS, "late_penalty_cny_per_parcel": 0.0}
    net = _global_network()
    d = design_network(net, make_scenario({"A>B": 100}, **kw), exact_solver())
    assert d.costs["total"] == pytest.approx(1000.0)
    assert d.late.sum() == pytest.approx(100.0)
    d = design_network(net, make_scenario({"A>B": 100}, on_time_floor={"global": 0.6}, **kw),
                       exact_solver())
    assert d.report.status == "optimal"
    assert d.corridor_flow.loc["A>B", "air"] == pytest.approx(60.0)
    assert d.late.sum() == pytest.approx(40.0)
    assert d.costs["total"] == pytest.approx(2200.0)


def test_infeasible_on_time_floor_is_diagnosed_by_class() -> None:
    """Air (the only on-time path) holds 50 parcels/day and cannot be expanded, so at most
    50 of 100 global parcels are on time: a floor of 0.6 is infeasible (unserved parcels do
    not help, they are not on time); the diagnosis names the class and the 50 % reachable."""
    net = _global_network(air_cap=50.0)
    sc = make_scenario({"A>B": 100}, service_standards_h=STANDARDS,
                       late_penalty_cny_per_parcel=0.0, on_time_floor={"global": 0.6})
    d = design_network(net, sc, exact_solver())
    assert d.report.status == "infeasible"
    msg = d.report.message
    assert "service class 'global'" in msg and "60%" in msg
    assert "at most 50.0%" in msg
    assert "on_time_floor[global]" in d.report.diagnosis.iis


def _weekly_line(module_departures: float, min_weekly: float = math.nan):
    """line_network with rail (1,000 km) having no capacity yet: each module adds 100
    parcels/day, costs 150 CNY/day and stands for `module_departures` departures/week."""
    from model_fixtures import line_network

    net = line_network(rail_cap=0.0, rail_module=100.0, rail_module_cost_per_day=150.0)
    net.links["module_departures_per_week"] = 7.0
    net.links.loc["rail", "module_departures_per_week"] = module_departures
    net.links.loc["rail", "min_weekly_frequency"] = min_weekly
    return net


def test_weekly_departures_of_a_twice_weekly_module() -> None:
    """100 parcels/day; rail 10 CNY door to door + one module (150 CNY/day) = 1,150 against
    road 1,400 -> one module. It stands for 2 departures/week, so the link reports 2
    departures/week (a daily module would report 7)."""
    d = design_network(_weekly_line(2.0), make_scenario({"A>B": 100}), exact_solver())
    assert d.costs["total"] == pytest.approx(1150.0)
    assert d.links.loc["rail", "modules_added"] == 1
    assert d.links.loc["rail", "departures_per_week"] == pytest.approx(2.0)


def test_minimum_frequency_counts_weekly_departures() -> None:
    """The rail link must run >= 3 departures/week when used. With modules of 2/week that is
    ceil(3/2) = 2 modules: 100 x 10 + 2 x 150 = 1,300 < road 1,400 -> rail, 4 departures/week.
    (Counted as daily departures one module would do: ceil(3/7) = 1.)"""
    d = design_network(_weekly_line(2.0, min_weekly=3.0), make_scenario({"A>B": 100}),
                       exact_solver())
    assert d.links.loc["rail", "modules_added"] == 2
    assert d.links.loc["rail", "departures_per_week"] == pytest.approx(4.0)
    assert d.costs["total"] == pytest.approx(1300.0)


def test_heavy_segment_uses_capacity_in_reference_parcels() -> None:
    """20 restocking cartons/day of 12 kg = 20 x 12/1.2 = 200 reference parcels on the sea
    link, which holds 100 and adds 100 per module (50 CNY/day): one module. Transport
    20 x 10 x 10 = 2,000 CNY/day + 50 = 2,050 (air is not allowed to the segment). The link
    reports 200 reference parcels/day; the corridor flow counts 20 cartons."""
    net = fast_slow_network([{"corridor_id": "A>B", "origin": "A", "destination": "B",
                              "segment": "restock"}])
    net.links.loc["sea", "capacity_parcels_per_day"] = 100.0
    net.links.loc["sea", "module_parcels_per_day"] = 100.0
    net.links.loc["sea", "module_cost_cny_per_year"] = 50.0 * 365
    sc = make_scenario({"A>B": 20}, service_standards_h={**STANDARDS, "domestic": 800.0},
                       segments={"restock": Segment(weight_kg=12.0, modes=("water",))})
    d = design_network(net, sc, exact_solver())
    assert d.links.loc["sea", "modules_added"] == 1
    assert d.links.loc["sea", "flow_parcels_per_day"] == pytest.approx(200.0)
    assert d.corridor_flow.loc["A>B", "water"] == pytest.approx(20.0)
    assert d.costs["total"] == pytest.approx(2050.0)
