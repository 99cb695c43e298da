"""Synthetic multimodal express networks for benchmarks and solver-behaviour tests.

`synthetic_network(size, seed)` -> (Network, Scenario). Districts collect to their nearest
hubs by road; hubs are joined by road, rail (most pairs) and air (far pairs); cities are served
by line-haul from nearby hubs; links and hubs have finite capacity with integer modules; some
hubs are optional. Sizes (approximate path-flow variables): small ~2k, medium ~20k, large
~200k (a few thousand integers).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netdesign.data.network import Network
from netdesign.scenario.scenario import Scenario

SIZES = {  # districts, hubs, cities, collection hubs per district, serving hubs per city
    "tiny": (4, 4, 6, 2, 2),
    "small": (10, 6, 20, 2, 2),
    "medium": (25, 10, 60, 2, 3),
    "large": (60, 18, 150, 2, 3),
}
MODE_KM_COST = {"road": 0.012, "rail": 0.007, "air": 0.03}   # CNY per parcel-km
MODE_SPEED = {"road": 70.0, "rail": 90.0, "air": 600.0}      # km/h incl. dwell
MODE_CO2 = {"road": 0.1, "rail": 0.03, "air": 0.8}           # kg CO2 per t-km
MODE_MODULE = {"road": 800.0, "rail": 3000.0, "air": 1500.0}  # parcels/day per departure


def synthetic_network(size: str = "small", seed: int = 0) -> tuple[Network, Scenario]:
    n_d, n_h, n_c, k_col, k_srv = SIZES[size]
    rng = np.random.default_rng(seed)
    hub_xy = rng.uniform(0, 2000, (n_h, 2))
    dist_xy = rng.normal(1000, 60, (n_d, 2))          # districts around the study city
    city_xy = rng.uniform(-500, 2500, (n_c, 2))
    hubs = [f"H{i}" for i in range(n_h)]
    dists = [f"D{i}" for i in range(n_d)]
    cities = [f"C{i}" for i in range(n_c)]
    nodes = pd.DataFrame({
        "node_id": hubs + dists + cities,
        "kind": ["hub"] * n_h + ["district"] * n_d + ["city"] * n_c,
        "lat": 30.0, "lon": 120.0, "country": "CN", "region": "X",
        "rural": [False] * (n_h + n_d) + list(rng.random(n_c) < 0.1)})
    nodes["name_en"] = nodes["node_id"]
    nodes["name_zh"] = nodes["node_id"]
    nodes = nodes.set_index("node_id")
    links: list[dict] = []

    def add(a: str, b: str, km: float, mode: str, role: str, cap_mult: float) -> None:
        km = max(km, 5.0)
        module = MODE_MODULE[mode] if role == "linehaul" else 500.0
        links.append({
            "link_id": f"{role[0]}-{a}-{b}-{mode}", "from_node": a, "to_node": b, "mode": mode,
            "role": role, "distance_km": km,
            "cost_cny_per_parcel": 0.3 + MODE_KM_COST[mode] * km,
            "transit_h": 1.0 + km / MODE_SPEED[mode], "co2_kg_per_tkm": MODE_CO2[mode],
            "capacity_parcels_per_day": float(rng.integers(1, 4)) * module * cap_mult,
            "module_parcels_per_day": module,
            "module_cost_cny_per_year": 365.0 * (150.0 + 0.6 * km) * (module / 800.0),
            "min_weekly_frequency": math.nan})

    def d(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.hypot(*(a - b)))

    for i, dn in enumerate(dists):
        near = np.argsort(np.hypot(*(hub_xy - dist_xy[i]).T))[:k_col]
        for h in near:
            add(dn, hubs[h], d(dist_xy[i], hub_xy[h]), "road", "collection", 1.0)
    for a in range(n_h):
        for b in range(n_h):
            if a == b:
                continue
            km = d(hub_xy[a], hub_xy[b])
            add(hubs[a], hubs[b], km, "road", "linehaul", 1.0)
            if (a + b) % 3 != 0:
                add(hubs[a], hubs[b], km * 1.1, "rail", "linehaul", 1.0)
            if km > 900:
                add(hubs[a], hubs[b], km, "air", "linehaul", 1.0)
    for i, cn in enumerate(cities):
        near = np.argsort(np.hypot(*(hub_xy - city_xy[i]).T))[:k_srv]
        for h in near:
            km = d(hub_xy[h], city_xy[i])
            add(hubs[h], cn, km, "road", "linehaul", 0.5)
            if h % 2 == 0:
                add(hubs[h], cn, km * 1.1, "rail", "linehaul", 0.5)
    link_df = pd.DataFrame(links).set_index("link_id")
    hub_df = pd.DataFrame({
        "hub_id": hubs,
        "capacity_parcels_per_day": rng.integers(1, 4, n_h) * 20_000.0,
        "module_parcels_per_day": 10_000.0, "module_cost_cny_per_year": 365.0 * 3000.0,
        "handling_cost_cny_per_parcel": rng.uniform(0.3, 0.8, n_h),
        "handling_h": rng.uniform(1.0, 3.0, n_h),
        "transfer_modes": [("road", "rail", "air") if i % 4 else ("road", "air")
                           for i in range(n_h)],
        "fixed_cost_cny_per_year": 365.0 * 20_000.0,
        "optional": [i % 3 == 2 for i in range(n_h)], "customs_h": 0.0,
        "max_modules": math.nan}).set_index("hub_id")
    pairs = [(o, c) for o in dists for c in cities]
    corr = pd.DataFrame({"corridor_id": [f"{o}>{c}" for o, c in pairs],
                         "origin": [o for o, _ in pairs], "destination": [c for _, c in pairs],
                         "service_class": rng.choice(["domestic", "neighbouring"], len(pairs),
                                                     p=[0.7, 0.3])}).set_index("corridor_id")
    demand = pd.Series(np.round(rng.lognormal(4.0, 1.0, len(pairs)), 1), index=corr.index)
    hist = pd.DataFrame({"corridor_id": [], "month": [], "parcels": []})
    net = Network(nodes=nodes, links=link_df, hubs=hub_df, corridors=corr, history=hist,
                  source=f"synthetic:{size}:{seed}", version=str(seed))
    scen = Scenario(name=f"synthetic-{size}", year=2030, demand=demand,
                    service_standards_h={"domestic": 36.0, "neighbouring": 60.0, "global": 96.0},
                    carbon_price_cny_per_t=100.0, max_linehaul_legs=2)
    return net, scen
