"""Tiny hand-built Networks and Scenarios for the network-design model tests (no loader).

Columns follow netdesign/data/schema.py; index names follow netdesign/data/network.py.
Defaults make every row valid; tests override only what they exercise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
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


def two_hub_network() -> Network:
    """A collects to H1 or H2 (1 CNY each); H1->B1 and H2->B2 distribute for 1 CNY, the cross
    distributions H1->B2, H2->B1 cost 5; line-haul H1<->H2 costs 3 (road, zero time)."""
    nodes = [{"node_id": n} for n in ("A", "B1", "B2")] + [
        {"node_id": h, "kind": "hub"} for h in ("H1", "H2")]
    hubs = [{"hub_id": "H1"}, {"hub_id": "H2"}]
    L = []
    for h in ("H1", "H2"):
        L.append({"link_id": f"A-{h}", "from_node": "A", "to_node": h, "role": "collection",
                  "cost_cny_per_parcel": 1.0})
        for b in ("B1", "B2"):
            near = h[-1] == b[-1]
            L.append({"link_id": f"{h}-{b}", "from_node": h, "to_node": b,
                      "role": "distribution", "cost_cny_per_parcel": 1.0 if near else 5.0})
    L += [{"link_id": "H1-H2", "from_node": "H1", "to_node": "H2", "cost_cny_per_parcel": 3.0},
          {"link_id": "H2-H1", "from_node": "H2", "to_node": "H1", "cost_cny_per_parcel": 3.0}]
    corr = [{"corridor_id": "A>B1", "origin": "A", "destination": "B1"},
            {"corridor_id": "A>B2", "origin": "A", "destination": "B2"}]
    return make_network(nodes, L, hubs, corr)


def hub_location_instance(n: int, seed: int, capacity: float = math.inf):
    """n nodes, each an optional hub (fixed cost, capacity on collected volume); links
    3/0.75/2 CNY per km; flows W_ij between all pairs including i = i."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    ids = [f"N{i}" for i in range(n)]
    nodes = [{"node_id": i, "kind": "hub"} for i in ids]
    hubs = [{"hub_id": i, "optional": True, "fixed_cost_cny_per_year": float(f),
             "capacity_parcels_per_day": capacity}
            for i, f in zip(ids, rng.uniform(500, 1500, n), strict=True)]
    links = []
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            km = float(np.hypot(*(xy[a] - xy[b])))
            for role, unit in (("collection", 3.0), ("linehaul", 0.75), ("distribution", 2.0)):
                links.append({"link_id": f"{role}{a}-{b}", "from_node": ids[a],
                              "to_node": ids[b], "role": role, "distance_km": km,
                              "cost_cny_per_parcel": unit * km, "transit_h": 0.0})
    W = rng.uniform(0, 10, (n, n)).round(2)
    corr = [{"corridor_id": f"{ids[a]}>{ids[b]}", "origin": ids[a], "destination": ids[b]}
            for a in range(n) for b in range(n)]
    net = make_network(nodes, links, hubs, corr)
    demand = {f"{ids[a]}>{ids[b]}": W[a, b] for a in range(n) for b in range(n)}
    sc = make_scenario(demand, allocation="single", allow_unserved=False,
                       hub_capacity_basis="collected", days_per_year=365.0)
    return net, sc, W
