"""Outage stress tests (`netdesign stress`, `evaluate.stress`) on hand-worked cases.

Network: A -> H1 -> H2 -> B (collection 1, road H1->H2 10, distribution 2 CNY/parcel, 1 h
each: 13 CNY, 3 h, on time against the 24 h standard) and, in the case with an alternative,
A -> H1 -> H3 -> B (road H1->H3 15 CNY, 30 h: 18 CNY, 32 h, 8 h late: penalty 2 + 0.5 x 8 =
6 CNY, so 24 CNY). Demand 100 parcels/day. A parcel waiting a day costs 2 + 24 x 0.5 = 14 CNY
(late by a day); one still waiting when the window ends is unserved (500 CNY).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from model_fixtures import exact_solver, make_network, make_scenario

from netdesign.config.schema import DisruptionConfig, StudyConfig
from netdesign.evaluate.stress import stress_design, stress_table
from netdesign.optimise.resolve import FixedCapacity


def _network(alternative: bool):
    nodes = [{"node_id": "A"}, {"node_id": "H1", "kind": "hub"},
             {"node_id": "H2", "kind": "hub"}, {"node_id": "H3", "kind": "hub"},
             {"node_id": "B", "kind": "city"}]
    hubs = [{"hub_id": h} for h in ("H1", "H2", "H3")]
    links = [
        {"link_id": "col", "from_node": "A", "to_node": "H1", "role": "collection",
         "cost_cny_per_parcel": 1.0},
        {"link_id": "h1h2", "from_node": "H1", "to_node": "H2", "cost_cny_per_parcel": 10.0},
        {"link_id": "dist2", "from_node": "H2", "to_node": "B", "role": "distribution",
         "cost_cny_per_parcel": 2.0},
    ]
    if alternative:
        links += [
            {"link_id": "h1h3", "from_node": "H1", "to_node": "H3",
             "cost_cny_per_parcel": 15.0, "transit_h": 30.0},
            {"link_id": "dist3", "from_node": "H3", "to_node": "B", "role": "distribution",
             "cost_cny_per_parcel": 2.0},
        ]
    return make_network(nodes, links, hubs, [{"corridor_id": "A>B", "origin": "A",
                                               "destination": "B"}])


def _design(alternative: bool, **disruptions: DisruptionConfig):
    net = _network(alternative)
    sc = make_scenario({"A>B": 100.0}, allow_unserved=True, service_policy="penalty",
                       service_standards_h={"domestic": 24.0},
                       late_penalty_cny_per_parcel=2.0, late_penalty_cny_per_parcel_hour=0.5)
    cfg = StudyConfig(name="hand", disruptions=disruptions, solver=exact_solver())
    return SimpleNamespace(study=SimpleNamespace(cfg=cfg, network=net), scenario=sc,
                           capacity=FixedCapacity())


def test_hub_closed_without_alternative_leaves_parcels_unserved():
    """H2 closed 2 days, no recovery day: day 1 all 100 wait (14 CNY each), day 2 the 200
    waiting are unserved at the window's end. Baseline: 2 x 1,300. Extra cost 1,400 +
    100,000 − 2,600 = 98,800 CNY; unserved 200; backlog 100 parcel-days."""
    d = _design(False, h2=DisruptionConfig(hubs=["H2"], days=2, recovery_days=0))
    t = stress_table(stress_design(d))
    assert t.loc["h2", "unserved_parcels"] == pytest.approx(200.0)
    assert t.loc["h2", "backlog_parcel_days"] == pytest.approx(100.0)
    assert t.loc["h2", "extra_cost_cny"] == pytest.approx(98_800.0)


def test_hub_closed_with_alternative_costs_extra_and_is_late():
    """H2 closed 1 day, 1 recovery day: the 100 parcels go via H3 (24 CNY instead of 13,
    cheaper than waiting: 14 + 13 = 27), 8 h late: extra cost 1,100 CNY, 100 late parcels,
    nothing unserved or waiting."""
    d = _design(True, h2=DisruptionConfig(hubs=["H2"], days=1, recovery_days=1))
    t = stress_table(stress_design(d))
    assert t.loc["h2", "unserved_parcels"] == pytest.approx(0.0, abs=1e-6)
    assert t.loc["h2", "backlog_parcel_days"] == pytest.approx(0.0, abs=1e-6)
    assert t.loc["h2", "late_parcels"] == pytest.approx(100.0)
    assert t.loc["h2", "extra_cost_cny"] == pytest.approx(1_100.0)


def test_halved_link_sends_the_rest_around_or_makes_it_wait():
    """h1h2 keeps half of a 100 parcels/day capacity for 1 day: 50 go direct, 50 via H3
    (11 CNY more each): extra 550 CNY, 50 late."""
    d = _design(True, cut=DisruptionConfig(links=["h1h2"], capacity_share=0.5, days=1,
                                            recovery_days=1))
    d.study.network.links.loc["h1h2", "capacity_parcels_per_day"] = 100.0
    t = stress_table(stress_design(d))
    assert t.loc["cut", "extra_cost_cny"] == pytest.approx(550.0)
    assert t.loc["cut", "late_parcels"] == pytest.approx(50.0)


def test_disruption_config_is_validated():
    with pytest.raises(ValueError, match="days"):
        DisruptionConfig(hubs=["H2"], days=0)
    with pytest.raises(ValueError, match="at least one"):
        DisruptionConfig(days=1)
    with pytest.raises(ValueError, match="closed"):
        DisruptionConfig(mode="air", corridors=["*"], capacity_share=0.5, days=1)
