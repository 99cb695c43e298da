"""Tiny hand-built Networks and Scenarios for the network-design model tests (no loader).

Columns follow netdesign/data/schema.py; index names follow netdesign/data/network.py.
Defaults make every row valid; tests override only what they exercise.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.scenario.scenario import Scenario

NODE_DEFAULTS = {"name_en": "", "name_zh": "", "kind": "district", "lat": 30.0, "lon": 120.0,
                 "country": "CN", "region": "Hangzhou", "rural": False}
LINK_DEFAULTS = {"mode": "road", "role": "linehaul", "distance_km": 100.0,
                 "cost_cny_per_parcel": 1.0, "transit_h": 1.0, "co2_kg_per_tkm": 0.0,
                 "capacity_parcels_per_day": math.inf, "module_parcels_per_day": 0.0,
                 "module_cost_cny_per_year": 0.0, "min_weekly_frequency": math.nan}
HUB_DEFAULTS = {"capacity_parcels_per_day": math.inf, "module_parcels_per_day": 0.0,
                "module_cost_cny_per_year": 0.0, "handling_cost_cny_per_parcel": 0.0,
                "handling_h": 0.0, "transfer_modes": ("road", "rail", "water", "air"),
                "fixed_cost_cny_per_year": 0.0, "optional": False, "customs_h": 0.0,
                "max_modules": math.nan}


def _table(rows: list[dict[str, Any]], defaults: dict[str, Any], index: str) -> pd.DataFrame:
    df = pd.DataFrame([{**defaults, **r} for r in rows])
    return df.set_index(index)


def make_network(nodes: list[dict], links: list[dict], hubs: list[dict],
                 corridors: list[dict]) -> Network:
    """nodes need node_id (kind defaults to district); hubs need hub_id (also a node);
    links need link_id, from_node, to_node; corridors need corridor_id, origin, destination."""
    node_df = _table(nodes, NODE_DEFAULTS, "node_id")
    link_df = _table(links, LINK_DEFAULTS, "link_id")
    hub_df = _table(hubs, HUB_DEFAULTS, "hub_id")
    corr_df = _table([{"service_class": "domestic", **c} for c in corridors], {}, "corridor_id")
    hist = pd.DataFrame({"corridor_id": [], "month": [], "parcels": []})
    return Network(nodes=node_df, links=link_df, hubs=hub_df, corridors=corr_df, history=hist,
                   source="test", version="test")


def make_scenario(demand: dict[str, float], **kw: Any) -> Scenario:
    """A scenario with the given parcels/day per corridor; keyword overrides as in Scenario."""
    kw.setdefault("collection_h", 0.0)
    return Scenario(name="test", year=2030, demand=pd.Series(demand, dtype=float), **kw)


def exact_solver(**kw: Any) -> SolverConfig:
    """HiGHS options for exact answers on tiny models."""
    return SolverConfig(**{"mip_rel_gap": 1e-9, "time_limit_s": 60.0, **kw})


def line_network(rail_cap: float = math.inf, rail_module: float = 0.0,
                 rail_module_cost_per_day: float = 0.0) -> Network:
    """A (district) -> H1 -> H2 -> B (city); H1 -> H2 by road (10 CNY) or rail (6 CNY).

    Collection A->H1 1 CNY, distribution H2->B 2 CNY, handling 0.5 CNY at H1 and at H2
    (per parcel), so the door-to-door cost is 14 CNY by road and 10 CNY by rail.
    """
    nodes = [{"node_id": "A"}, {"node_id": "H1", "kind": "hub"}, {"node_id": "H2", "kind": "hub"},
             {"node_id": "B", "kind": "city"}]
    hubs = [{"hub_id": "H1", "handling_cost_cny_per_parcel": 0.5},
            {"hub_id": "H2", "handling_cost_cny_per_parcel": 0.5}]
    links = [
        {"link_id": "col", "from_node": "A", "to_node": "H1", "role": "collection",
         "cost_cny_per_parcel": 1.0, "distance_km": 20.0},
        {"link_id": "road", "from_node": "H1", "to_node": "H2", "cost_cny_per_parcel": 10.0,
         "distance_km": 1000.0, "co2_kg_per_tkm": 0.1},
        {"link_id": "rail", "from_node": "H1", "to_node": "H2", "mode": "rail",
         "cost_cny_per_parcel": 6.0, "distance_km": 1000.0, "co2_kg_per_tkm": 0.03,
         "capacity_parcels_per_day": rail_cap, "module_parcels_per_day": rail_module,
         "module_cost_cny_per_year": rail_module_cost_per_day * 365.0},
        {"link_id": "dist", "from_node": "H2", "to_node": "B", "role": "distribution",
         "cost_cny_per_parcel": 2.0, "distance_km": 20.0},
    ]
    return make_network(nodes, links, hubs, [{"corridor_id": "A>B", "origin": "A",
                                              "destination": "B"}])
