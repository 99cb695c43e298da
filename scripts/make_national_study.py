"""Generate a large synthetic national study (data folder + study YAML) for sweep benchmarks.

    .venv/bin/python scripts/make_national_study.py --out out/national            # 300 cities
    .venv/bin/python scripts/make_national_study.py --out out/n100 --cities 100 --corridors 2000

Writes OUT/{nodes,links,hubs,corridors,history}.csv and OUT/national.yaml (a study with a
16-scenario sweep: 2 years x 2 growth cases x 2 carbon prices x 2 policies). Seeded: the same
arguments give byte-identical files.

The network: `--cities` cities scattered over eastern China (population lognormal), `--hubs`
sorting hubs (road|rail) at the largest cities, `--airports` air cargo hubs (road|air) and
`--ports` seaports (road|rail|water). Every city has road collection and distribution links to
its two nearest hubs and its nearest airport; hubs form a road mesh, hubs within
`--rail-km` of each other a rail network, airports a full air mesh, ports a coastal water chain.
So every corridor has a path with one line-haul leg (hub-hub road, or airport-airport air).
Corridors: `--corridors` ordered city pairs sampled by a gravity model (population product
over distance); history: monthly parcels 2019-01..2024-12 with trend, seasonality and noise.
Unit rates follow tests/fixtures/make_tiny.py (road 0.40, rail 0.20, air 2.00, water 0.03
CNY per tonne-km; CO2 0.077 / 0.028 / 0.755 / 0.016 kg per tonne-km).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

PARCEL_T = 0.0012  # tonnes per parcel (1.2 kg)
# mode: circuity, CNY per tonne-km, fixed CNY/parcel, km/h, terminal dwell h, kg CO2/t-km,
#       module parcels/day, module CNY/yr per 100 km
MODE = {
    "road": (1.25, 0.40, 0.05, 65.0, 1.0, 0.077, 6_000, 250_000),
    "rail": (1.20, 0.20, 0.10, 160.0, 3.0, 0.028, 20_000, 500_000),
    "air": (1.05, 2.00, 0.30, 700.0, 3.0, 0.755, 15_000, 1_500_000),
    "water": (1.15, 0.03, 0.20, 30.0, 24.0, 0.016, 50_000, 300_000),
}
SEASON = np.array([0.95, 0.72, 1.00, 0.98, 1.00, 1.05, 0.95, 0.96, 1.00, 1.02, 1.32, 1.12])
SEASON = SEASON / SEASON.mean()
MONTHS = pd.period_range("2019-01", "2024-12", freq="M")
REGIONS = ((30.0, "East"), (35.0, "Central"), (90.0, "North"))


def gc_km(lat1, lon1, lat2, lon2):
    """Great-circle distance, km (numpy broadcasting)."""
    la1, lo1, la2, lo2 = (np.radians(x) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def make_cities(rng: np.random.Generator, n: int) -> pd.DataFrame:
    lat = rng.uniform(21.0, 41.0, n)
    lon = rng.uniform(104.0, 122.0, n)
    pop = np.sort(rng.lognormal(mean=1.0, sigma=0.9, size=n))[::-1]  # million people
    ids = [f"C{i:04d}" for i in range(n)]
    region = [next(name for top, name in REGIONS if la < top) for la in lat]
    return pd.DataFrame({
        "node_id": ids, "name_en": [f"City {i}" for i in range(n)],
        "name_zh": [f"城市{i}" for i in range(n)], "kind": "city", "lat": lat.round(4),
        "lon": lon.round(4), "country": "CN", "region": region, "rural": "false",
        "pop_m": pop,
    })


def make_facilities(cities: pd.DataFrame, n_hubs: int, n_airports: int, n_ports: int
                    ) -> pd.DataFrame:
    """Hubs at the largest cities, airports at the next ones, ports at the easternmost."""
    rows = []
    big = cities.head(n_hubs + n_airports)
    for i, c in enumerate(big.itertuples()):
        kind, prefix = ("hub", "H") if i < n_hubs else ("airport", "A")
        rows.append((f"{prefix}_{c.node_id}", kind, c.lat + 0.02, c.lon + 0.02, c.region))
    for c in cities.sort_values("lon", ascending=False).head(n_ports).itertuples():
        rows.append((f"P_{c.node_id}", "port", c.lat - 0.02, c.lon + 0.05, c.region))
    fac = pd.DataFrame(rows, columns=["node_id", "kind", "lat", "lon", "region"])
    fac["name_en"] = fac["node_id"].str.replace("_", " ")
    fac["name_zh"] = fac["node_id"]
    fac["country"], fac["rural"] = "CN", "false"
    return fac


def link_row(f, t, mode, role, km, cap):
    circ, rate, fixed, speed, dwell, co2, module, module_cost = MODE[mode]
    return {"link_id": f"{f}-{t}-{mode}", "from_node": f, "to_node": t, "mode": mode,
            "role": role, "distance_km": round(km * circ),
            "cost_cny_per_parcel": round(fixed + rate * PARCEL_T * km * circ, 3),
            "transit_h": round(dwell + km * circ / speed, 1), "co2_kg_per_tkm": co2,
            "capacity_parcels_per_day": round(cap, -2), "module_parcels_per_day": module,
            "module_cost_cny_per_year": round(module_cost * max(1.0, km / 100.0), -3),
            "min_weekly_frequency": ""}


def make_links(cities: pd.DataFrame, fac: pd.DataFrame, rail_km: float,
               per_city_parcels: np.ndarray) -> pd.DataFrame:
    rows = []
    hubs, airports, ports = (fac[fac["kind"] == k] for k in ("hub", "airport", "port"))
    d_hub = gc_km(cities["lat"].to_numpy()[:, None], cities["lon"].to_numpy()[:, None],
                  hubs["lat"].to_numpy()[None, :], hubs["lon"].to_numpy()[None, :])
    d_air = gc_km(cities["lat"].to_numpy()[:, None], cities["lon"].to_numpy()[:, None],
                  airports["lat"].to_numpy()[None, :], airports["lon"].to_numpy()[None, :])
    for i, c in enumerate(cities.itertuples()):
        vol = per_city_parcels[i]
        near = np.argsort(d_hub[i])[:2]
        targets = [(hubs.iloc[j].node_id, d_hub[i, j], 0.7 * vol) for j in near]
        a = int(np.argmin(d_air[i]))
        targets.append((airports.iloc[a].node_id, d_air[i, a], 0.2 * vol))
        for node, km, cap in targets:
            km = max(float(km), 5.0)
            rows.append(link_row(c.node_id, node, "road", "collection", km, cap))
            rows.append(link_row(node, c.node_id, "road", "distribution", km, cap))
    trunk_cap = per_city_parcels.sum() / max(1, len(hubs)) * 0.3

    def mesh(group: pd.DataFrame, mode: str, max_km: float, cap: float) -> None:
        g = group.reset_index(drop=True)
        d = gc_km(g["lat"].to_numpy()[:, None], g["lon"].to_numpy()[:, None],
                  g["lat"].to_numpy()[None, :], g["lon"].to_numpy()[None, :])
        for i in range(len(g)):
            for j in range(len(g)):
                if i != j and d[i, j] <= max_km:
                    rows.append(link_row(g.node_id[i], g.node_id[j], mode, "linehaul",
                                         max(float(d[i, j]), 5.0), cap))

    mesh(hubs, "road", math.inf, trunk_cap)
    mesh(hubs, "rail", rail_km, 0.5 * trunk_cap)
    mesh(airports, "air", math.inf, 0.2 * trunk_cap)
    # ports: a chain along the coast (sorted by latitude), both directions
    p = ports.sort_values("lat").reset_index(drop=True)
    for i in range(len(p) - 1):
        km = float(gc_km(p.lat[i], p.lon[i], p.lat[i + 1], p.lon[i + 1]))
        for a, b in ((i, i + 1), (i + 1, i)):
            rows.append(link_row(p.node_id[a], p.node_id[b], "water", "linehaul", km, trunk_cap))
    # each port to its nearest hub (road and rail) so that water legs can be reached
    for q in p.itertuples():
        d = gc_km(q.lat, q.lon, hubs["lat"].to_numpy(), hubs["lon"].to_numpy())
        h = hubs.iloc[int(np.argmin(d))].node_id
        km = max(float(d.min()), 5.0)
        for mode in ("road", "rail"):
            rows.append(link_row(h, q.node_id, mode, "linehaul", km, trunk_cap))
            rows.append(link_row(q.node_id, h, mode, "linehaul", km, trunk_cap))
    return pd.DataFrame(rows).drop_duplicates("link_id")


def make_corridors(rng: np.random.Generator, cities: pd.DataFrame, n: int
                   ) -> tuple[pd.DataFrame, np.ndarray]:
    """`n` distinct ordered city pairs, gravity-weighted; and their 2024 parcels/day."""
    lat, lon, pop = (cities[c].to_numpy() for c in ("lat", "lon", "pop_m"))
    d = gc_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    w = pop[:, None] * pop[None, :] / np.maximum(d, 50.0)
    np.fill_diagonal(w, 0.0)
    flat = w.ravel() / w.sum()
    n = min(n, int((flat > 0).sum()))
    pick = rng.choice(flat.size, size=n, replace=False, p=flat)
    o, dd = np.divmod(np.sort(pick), len(cities))
    per_day = 8e6 * flat[np.sort(pick)] / flat[pick].sum() * rng.lognormal(0, 0.3, n)
    ids = cities["node_id"].to_numpy()
    cor = pd.DataFrame({"corridor_id": [f"{ids[a]}>{ids[b]}" for a, b in zip(o, dd, strict=True)],
                        "origin": ids[o], "destination": ids[dd], "service_class": "domestic"})
    return cor, np.maximum(per_day, 5.0)


def make_history(rng: np.random.Generator, cor: pd.DataFrame, per_day: np.ndarray
                 ) -> pd.DataFrame:
    t = np.arange(len(MONTHS))
    growth = rng.uniform(0.04, 0.16, len(cor))
    mid_2024 = len(MONTHS) - 6.5
    trend = (per_day * 30.4)[:, None] * (1 + growth[:, None]) ** ((t[None, :] - mid_2024) / 12)
    noise = np.exp(rng.normal(0, 0.04, trend.shape))
    y = np.round(trend * SEASON[MONTHS.month.to_numpy() - 1][None, :] * noise)
    return pd.DataFrame({
        "corridor_id": np.repeat(cor["corridor_id"].to_numpy(), len(MONTHS)),
        "month": np.tile(MONTHS.astype(str).to_numpy(), len(cor)),
        "parcels": y.ravel().astype(np.int64),
    })


def study_yaml(name: str) -> str:
    return f"""# Synthetic national study generated by scripts/make_national_study.py (seeded).
# Used to measure memory and time per scenario (docs/sweeps.md, docs/benchmarks.md).
name: {name}
title: {{en: Synthetic national network, zh: 合成全国网络}}
data:
  dir: .
forecast:
  method: seasonal_naive      # thousands of corridors: the cheap method keeps forecasting short
  backtest_origins: 0
  reconcile: false
network:
  max_linehaul_legs: 2
growth_cases: {{base: 0.0, high: 0.03}}
cost_cases: {{base: {{}}}}
policies:
  none: {{}}
  rail_push: {{mode_share: {{rail: {{min: 0.15}}}}}}
scenarios:
  - {{year: 2025}}
  - {{year: 2030}}
solver:
  time_limit_s: 600
  mip_rel_gap: 0.01
sweep:
  axes:
    year: [2025, 2030]
    growth: [base, high]
    carbon_price_cny_per_t: [0, 200]
    policy: [none, rail_push]
  retries: 1
"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="Output folder.")
    ap.add_argument("--cities", type=int, default=300)
    ap.add_argument("--corridors", type=int, default=20_000)
    ap.add_argument("--hubs", type=int, default=30)
    ap.add_argument("--airports", type=int, default=10)
    ap.add_argument("--ports", type=int, default=6)
    ap.add_argument("--rail-km", type=float, default=1_200.0,
                    help="Rail links between hubs up to this great-circle distance, km.")
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--name", default="national")
    args = ap.parse_args(argv)
    if args.hubs + args.airports > args.cities:
        ap.error("--hubs + --airports must not exceed --cities")

    rng = np.random.default_rng(args.seed)
    cities = make_cities(rng, args.cities)
    fac = make_facilities(cities, args.hubs, args.airports, args.ports)
    cor, per_day = make_corridors(rng, cities, args.corridors)
    per_city = np.zeros(len(cities))
    idx = {c: i for i, c in enumerate(cities["node_id"])}
    for o, d, v in zip(cor["origin"], cor["destination"], per_day, strict=True):
        per_city[idx[o]] += v
        per_city[idx[d]] += v
    links = make_links(cities, fac, args.rail_km, np.maximum(per_city, 100.0))
    history = make_history(rng, cor, per_day)

    through = pd.concat([links.groupby("to_node")["capacity_parcels_per_day"].sum()])
    modes = {"hub": "road|rail", "airport": "road|air", "port": "road|rail|water"}
    hubs = pd.DataFrame({
        "hub_id": fac["node_id"],
        "capacity_parcels_per_day": (0.8 * through.reindex(fac["node_id"]).fillna(1e4)
                                     .to_numpy()).round(-3),
        "module_parcels_per_day": 20_000, "module_cost_cny_per_year": 4_000_000,
        "handling_cost_cny_per_parcel": fac["kind"].map({"hub": 0.26, "airport": 0.8,
                                                         "port": 0.5}).to_numpy(),
        "handling_h": fac["kind"].map({"hub": 2.0, "airport": 1.5, "port": 6.0}).to_numpy(),
        "transfer_modes": fac["kind"].map(modes).to_numpy(),
        "fixed_cost_cny_per_year": "", "optional": "false", "customs_h": "", "max_modules": "",
    })
    node_cols = ["node_id", "name_en", "name_zh", "kind", "lat", "lon", "country", "region",
                 "rural"]
    nodes = pd.concat([cities[node_cols], fac[node_cols]], ignore_index=True)

    args.out.mkdir(parents=True, exist_ok=True)
    for name, df in (("nodes", nodes), ("links", links), ("hubs", hubs), ("corridors", cor),
                     ("history", history)):
        df.to_csv(args.out / f"{name}.csv", index=False, lineterminator="\n")
    (args.out / f"{args.name}.yaml").write_text(study_yaml(args.name), encoding="utf-8")
    print(f"{args.out}: {len(nodes)} nodes ({len(cities)} cities, {len(fac)} hubs), "
          f"{len(links)} links, {len(cor)} corridors, {len(history)} history rows, "
          f"{per_day.sum():,.0f} parcels/day in 2024")


if __name__ == "__main__":
    main()
