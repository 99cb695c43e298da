"""A small synthetic results dataset that follows the results schema (docs/architecture.md).

Values are generated (seeded random numbers made internally consistent: capacity = existing +
added, shares sum to 1, total cost = sum of components, ...). They are inputs for the report,
compare and export tests, not expected outputs: tests compute what they expect from the
dataset itself.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

MODES = ("road", "rail", "water", "air")
SERVICE_CLASSES = ("domestic", "neighbouring", "global")
COST_COMPONENTS = ("transport", "handling", "capacity", "carbon", "late_penalty",
                   "unserved_penalty")
STATS = ("mean", "lo_80", "hi_80", "lo_95", "hi_95")

# node id, name_en, name_zh, kind, lat, lon, rural
NODES = [
    ("HZ_SHANGCHENG", "Shangcheng District", "上城区", "district", 30.24, 120.17, False),
    ("HZ_XIAOSHAN_PARK", "Xiaoshan Industrial Park", "萧山工业园", "industrial_park",
     30.17, 120.27, False),
    ("HGH", "Hangzhou Sorting Hub", "杭州分拨中心", "hub", 30.30, 120.10, False),
    ("HZ_RAIL", "Hangzhou Rail Terminal", "杭州铁路货运站", "rail_terminal", 30.32, 120.20, False),
    ("HZ_AIR", "Xiaoshan Airport Cargo", "萧山机场货站", "airport", 30.23, 120.43, False),
    ("NB_PORT", "Ningbo-Zhoushan Port", "宁波舟山港", "port", 29.87, 121.85, False),
    ("CHUNAN", "Chun'an County", "淳安县", "county", 29.61, 119.04, True),
    ("TONGLU", "Tonglu County", "桐庐县", "county", 29.80, 119.69, True),
    ("CITY_BEIJING", "Beijing", "北京", "city", 39.90, 116.40, False),
    ("CITY_SHANGHAI", "Shanghai", "上海", "city", 31.23, 121.47, False),
    ("CITY_TOKYO", "Tokyo", "东京", "city", 35.68, 139.69, False),
    ("CITY_LONDON", "London", "伦敦", "overseas_gateway", 51.51, -0.13, False),
]
HUBS = ("HGH", "HZ_RAIL", "HZ_AIR", "NB_PORT")
# link id, from, to, mode, role, distance km, min weekly frequency
LINKS = [
    ("L01", "HZ_SHANGCHENG", "HGH", "road", "collection", 15.0, np.nan),
    ("L02", "HZ_XIAOSHAN_PARK", "HGH", "road", "collection", 22.0, np.nan),
    ("L03", "HGH", "HZ_RAIL", "road", "linehaul", 12.0, np.nan),
    ("L04", "HGH", "HZ_AIR", "road", "linehaul", 35.0, np.nan),
    ("L05", "HGH", "NB_PORT", "road", "linehaul", 150.0, np.nan),
    ("L06", "HGH", "CITY_BEIJING", "road", "linehaul", 1270.0, np.nan),
    ("L07", "HZ_RAIL", "CITY_BEIJING", "rail", "linehaul", 1280.0, np.nan),
    ("L08", "HGH", "CITY_SHANGHAI", "road", "linehaul", 180.0, np.nan),
    ("L09", "HZ_RAIL", "CITY_SHANGHAI", "rail", "linehaul", 160.0, np.nan),
    ("L10", "HZ_AIR", "CITY_TOKYO", "air", "linehaul", 1900.0, np.nan),
    ("L11", "NB_PORT", "CITY_TOKYO", "water", "linehaul", 1850.0, np.nan),
    ("L12", "HZ_AIR", "CITY_LONDON", "air", "linehaul", 9200.0, np.nan),
    ("L13", "HGH", "CHUNAN", "road", "distribution", 150.0, 5.0),
    ("L14", "HGH", "TONGLU", "road", "distribution", 90.0, 3.0),
    ("L15", "CITY_BEIJING", "HZ_RAIL", "rail", "linehaul", 1280.0, np.nan),
]
# corridor origin, destination, service class
CORRIDORS = [
    ("HZ_SHANGCHENG", "CITY_BEIJING", "domestic"),
    ("HZ_XIAOSHAN_PARK", "CITY_BEIJING", "domestic"),
    ("HZ_SHANGCHENG", "CITY_SHANGHAI", "domestic"),
    ("HZ_XIAOSHAN_PARK", "CITY_TOKYO", "neighbouring"),
    ("HZ_SHANGCHENG", "CITY_TOKYO", "neighbouring"),
    ("HZ_XIAOSHAN_PARK", "CITY_LONDON", "global"),
    ("CITY_BEIJING", "CHUNAN", "domestic"),
    ("CITY_SHANGHAI", "TONGLU", "domestic"),
]
DEFAULT_SCENARIOS = (
    # name, year, growth, costs, carbon price CNY/t, policy
    ("2030-base", 2030, "base", "base", 100.0, "none"),
    ("2035-high", 2035, "high", "base", 100.0, "none"),
    ("2035-high-co2_300", 2035, "high", "base", 300.0, "rail_push"),
)


def build_results(scenarios=DEFAULT_SCENARIOS, seed: int = 7, history_months: int = 36,
                  horizon: int = 24, failed: str | None = None) -> xr.Dataset:
    """A schema-conformant results dataset with `scenarios` (name, year, growth, costs,
    carbon price, policy). `failed` names a scenario whose figures are NaN (status 'error')."""
    rng = np.random.default_rng(seed)
    names = [s[0] for s in scenarios]
    n_s, n_c, n_m = len(scenarios), len(CORRIDORS), len(MODES)
    corridor_ids = [f"{o}>{d}" for o, d, _ in CORRIDORS]
    hub_ids = list(HUBS)
    link_ids = [lk[0] for lk in LINKS]

    demand = rng.uniform(2_000, 60_000, size=(n_s, n_c)).round(1)
    demand *= np.array([1.0 + 0.15 * (s[1] - 2030) / 5 for s in scenarios])[:, None]
    unserved = np.where(rng.random((n_s, n_c)) < 0.3, rng.uniform(0, 0.05, (n_s, n_c)), 0.0)
    unserved = (unserved * demand).round(1)
    mix = rng.dirichlet(np.ones(n_m), size=(n_s, n_c))
    flow = (demand - unserved)[:, :, None] * mix
    late = ((demand - unserved) * rng.uniform(0, 0.1, (n_s, n_c))).round(1)
    mode_parcels = flow.sum(axis=1)
    parcel_km = mode_parcels * np.array([400.0, 1100.0, 1800.0, 5000.0])[None, :]
    mode_share = parcel_km / parcel_km.sum(axis=1, keepdims=True)

    existing = np.array([400_000.0, 120_000.0, 60_000.0, 90_000.0])
    added = rng.choice([0.0, 0.0, 20_000.0, 40_000.0], size=(n_s, len(hub_ids)))
    added[0, :] = [0.0, 20_000.0, 0.0, 0.0]
    capacity = existing[None, :] + added
    throughput = capacity * rng.uniform(0.4, 0.95, size=capacity.shape)
    utilisation = throughput / capacity

    link_existing = rng.uniform(5_000, 80_000, size=len(link_ids)).round(-2)
    modules = rng.integers(0, 4, size=(n_s, len(link_ids))).astype(float)
    modules[0, :] = 0.0
    modules[0, 6] = 2.0
    link_capacity = link_existing[None, :] + modules * 8_000.0
    link_flow = link_capacity * rng.uniform(0.0, 0.9, size=link_capacity.shape)
    link_flow[:, 14] = 0.0  # one unused leg
    departures = rng.integers(3, 15, size=(n_s, len(link_ids))).astype(float) * 7

    cost = rng.uniform(1e5, 5e6, size=(n_s, len(COST_COMPONENTS)))
    cost[:, 3] = [s[4] for s in scenarios]
    cost[:, 3] *= rng.uniform(50, 200, size=n_s)
    total_cost = cost.sum(axis=1)
    co2 = rng.uniform(300, 1500, size=n_s)
    on_time_by_class = rng.uniform(0.7, 1.0, size=(n_s, len(SERVICE_CLASSES)))
    on_time = rng.uniform(0.75, 0.98, size=n_s)
    mip_gap = rng.uniform(0, 0.01, size=n_s)
    objective = total_cost.copy()
    best_bound = objective * (1 - mip_gap)
    status = np.array(["optimal"] * n_s, dtype=object)

    month_index = pd.period_range("2023-01", periods=history_months, freq="M")
    fc_index = pd.period_range(month_index[-1] + 1, periods=horizon, freq="M")
    level = rng.uniform(1e5, 2e6, size=n_c)
    season = 1 + 0.15 * np.sin(2 * np.pi * np.arange(history_months + horizon) / 12)
    trend = 1 + 0.01 * np.arange(history_months + horizon)
    base = level[:, None] * season[None, :] * trend[None, :]
    history = base[:, :history_months] * rng.normal(1, 0.03, size=(n_c, history_months))
    mean = base[:, history_months:]
    widen = np.sqrt(np.arange(1, horizon + 1))[None, :] * 0.02 * mean
    forecast = np.stack([mean, mean - 1.28 * widen, mean + 1.28 * widen,
                         mean - 1.96 * widen, mean + 1.96 * widen], axis=-1)

    sc = ("scenario",)
    ds = xr.Dataset(
        {
            "demand": (sc + ("corridor",), demand),
            "flow": (sc + ("corridor", "mode"), flow),
            "unserved": (sc + ("corridor",), unserved),
            "late": (sc + ("corridor",), late),
            "parcel_km": (sc + ("mode",), parcel_km),
            "mode_share": (sc + ("mode",), mode_share),
            "mode_parcels": (sc + ("mode",), mode_parcels),
            "hub_capacity": (sc + ("hub",), capacity),
            "hub_capacity_existing": (("hub",), existing),
            "hub_capacity_added": (sc + ("hub",), added),
            "hub_throughput": (sc + ("hub",), throughput),
            "hub_utilisation": (sc + ("hub",), utilisation),
            "link_flow": (sc + ("link",), link_flow),
            "link_capacity": (sc + ("link",), link_capacity),
            "link_modules_added": (sc + ("link",), modules),
            "link_departures_per_week": (sc + ("link",), departures),
            "cost": (sc + ("cost_component",), cost),
            "total_cost": (sc, total_cost),
            "co2": (sc, co2),
            "on_time_share": (sc, on_time),
            "on_time_share_by_class": (sc + ("service_class",), on_time_by_class),
            "status": (sc, status),
            "mip_gap": (sc, mip_gap),
            "objective": (sc, objective),
            "best_bound": (sc, best_bound),
            "solve_seconds": (sc, rng.uniform(1, 30, size=n_s)),
            "history": (("corridor", "month"), history),
            "forecast": (("corridor", "forecast_month", "stat"), forecast),
        },
        coords={
            "scenario": names,
            "year": (sc, [s[1] for s in scenarios]),
            "growth": (sc, [s[2] for s in scenarios]),
            "costs": (sc, [s[3] for s in scenarios]),
            "carbon_price": (sc, [s[4] for s in scenarios]),
            "policy": (sc, [s[5] for s in scenarios]),
            "demand_quantile": (sc, ["mean"] * n_s),
            "corridor": corridor_ids,
            "corridor_origin": ("corridor", [c[0] for c in CORRIDORS]),
            "corridor_destination": ("corridor", [c[1] for c in CORRIDORS]),
            "corridor_service_class": ("corridor", [c[2] for c in CORRIDORS]),
            "mode": list(MODES),
            "hub": hub_ids,
            "hub_name_en": ("hub", [next(n[1] for n in NODES if n[0] == h) for h in hub_ids]),
            "hub_name_zh": ("hub", [next(n[2] for n in NODES if n[0] == h) for h in hub_ids]),
            "link": link_ids,
            "link_from": ("link", [lk[1] for lk in LINKS]),
            "link_to": ("link", [lk[2] for lk in LINKS]),
            "link_mode": ("link", [lk[3] for lk in LINKS]),
            "link_role": ("link", [lk[4] for lk in LINKS]),
            "link_distance_km": ("link", [lk[5] for lk in LINKS]),
            "link_min_weekly_frequency": ("link", [lk[6] for lk in LINKS]),
            "node": [n[0] for n in NODES],
            "node_name_en": ("node", [n[1] for n in NODES]),
            "node_name_zh": ("node", [n[2] for n in NODES]),
            "node_kind": ("node", [n[3] for n in NODES]),
            "node_lat": ("node", [n[4] for n in NODES]),
            "node_lon": ("node", [n[5] for n in NODES]),
            "node_rural": ("node", np.array([n[6] for n in NODES], dtype=np.int8)),
            "service_class": list(SERVICE_CLASSES),
            "cost_component": list(COST_COMPONENTS),
            "month": month_index.to_timestamp().to_numpy(),
            "forecast_month": fc_index.to_timestamp().to_numpy(),
            "stat": list(STATS),
        },
    )
    if failed is not None:
        for name in ds.data_vars:
            if "scenario" in ds[name].dims and ds[name].dtype.kind == "f":
                ds[name].loc[{"scenario": failed}] = np.nan
        ds["status"].loc[{"scenario": failed}] = "error"
    for name in ds.data_vars:
        ds[name].attrs.setdefault("units", "1")
        ds[name].attrs.setdefault("long_name", name)
    reports = {n: {"status": str(ds["status"].sel(scenario=n).values),
                   "gap": float(ds["mip_gap"].sel(scenario=n)),
                   "message": "" if n != failed else "solver crashed (synthetic)"}
               for n in names}
    ds.attrs.update({
        "study": "synthetic-test",
        "config_yaml": ("name: synthetic-test\ntitle:\n  zh: 合成测试研究\n  en: Synthetic test "
                        "study\nsolver:\n  mip_rel_gap: 0.01\nscenarios:\n"
                        "  years: [2030, 2035]\n"),
        "config_hash": "0123456789abcdef",
        "data_source": "tests/report_fixtures.py",
        "data_version": "synthetic-v1",
        "package_versions": json.dumps({"netdesign": "0.1.0", "pyomo": "6.8.0",
                                        "highspy": "1.16.0"}),
        "solver_reports": json.dumps(reports),
        "created_utc": "2026-11-30T08:00:00Z",
        "netdesign_version": "0.1.0",
    })
    return ds


def write_results(path, **kwargs) -> xr.Dataset:
    """Build the synthetic dataset and write it to `path` (netCDF); returns the dataset."""
    ds = build_results(**kwargs)
    ds.to_netcdf(path)
    return ds


# ------------------------------------------------------------------ every section kind
# A results dataset with every section the default study's report has (issue 19, print): the
# demand segments of the corridors, the base-year check (the `calibration` attribute, as
# `netdesign run` writes it), a rural tier of five counties with two townships each (the
# variables of `results.rural`) and 16 parks (`results.parks`, as many as the default study),
# beside the scenarios, forecasts and network of build_results.
SEGMENTS = ("parcel", "parcel", "parcel", "direct_mail", "direct_mail", "direct_mail",
            "parcel", "parcel")  # per corridor of CORRIDORS
CALIBRATION = [
    ("Parcels per day, study city", 4.6e6, 4.8e6, "parcels/day", "Hangzhou Postal Bureau"),
    ("Rail share of parcel-km", 0.012, 0.010, "share", "China Railway, annual report"),
    ("Air share of parcel-km", 0.021, 0.025, "share", "CAAC statistical bulletin"),
    ("Water share of parcel-km", 0.004, None, "share", "none published"),
    ("CO2 per parcel", 0.25, 0.27, "kg CO2e/parcel", "Kang et al. 2021"),
    ("Domestic on-time share", 0.93, 0.95, "share", "State Post Bureau, service report"),
    ("Hub utilisation, design day", 0.82, 0.85, "share", "operator statements"),
    ("Cross-border parcels per day", 1.1e5, 1.2e5, "parcels/day", "Hangzhou customs"),
]
RURAL_COUNTIES = [("tonglu", "Tonglu", "桐庐县", 181), ("chunan", "Chun'an", "淳安县", 383),
                  ("jiande", "Jiande", "建德市", 251), ("linan", "Lin'an", "临安区", 273),
                  ("fuyang", "Fuyang", "富阳区", 275)]
RURAL_MODES = ("truck", "cold_truck", "van", "cold_van", "bus")


def with_all_sections(ds: xr.Dataset, seed: int = 11) -> xr.Dataset:
    """`ds` (from build_results) plus demand segments, a base-year check, a rural tier and 16
    industrial parks (into factories, `results.parks`)."""
    rng = np.random.default_rng(seed)
    ds = ds.assign_coords(corridor_segment=("corridor", list(SEGMENTS)))
    ds.attrs["calibration"] = json.dumps(
        [{"figure": f, "model": m, "observed": o, "unit": u, "source": s}
         for f, m, o, u, s in CALIBRATION])
    routes, county, township, tier, villages = [], [], [], [], []
    for cid, _, _, n_villages in RURAL_COUNTIES:
        for k, share in enumerate((0.6, 0.4)):
            town = f"{cid}_t{k}"
            for route_tier, n in (("trunk", 1.0), ("village", round(n_villages * share))):
                routes.append(f"{town}:{route_tier}")
                county.append(cid)
                township.append(town)
                tier.append(route_tier)
                villages.append(n if route_tier == "village" else 0.0)
    n_sc, n_r, n_c = ds.sizes["scenario"], len(routes), len(RURAL_COUNTIES)
    is_village = np.array(tier) == "village"
    dep = np.zeros((n_sc, n_r, len(RURAL_MODES)))
    dep[:, ~is_village, 0] = rng.integers(3, 8, (n_sc, int((~is_village).sum())))
    dep[:, is_village, 2] = rng.integers(1, 4, (n_sc, int(is_village.sum())))
    dep[:, is_village, 4] = rng.integers(0, 3, (n_sc, int(is_village.sum())))
    ds = ds.assign_coords(
        route=routes, route_county=("route", county), route_township=("route", township),
        route_tier=("route", tier), route_villages=("route", np.array(villages, float)),
        route_min_weekly_frequency=("route", np.full(n_r, 3.0)), rural_mode=list(RURAL_MODES),
        county=[c[0] for c in RURAL_COUNTIES],
        county_name_en=("county", [c[1] for c in RURAL_COUNTIES]),
        county_name_zh=("county", [c[2] for c in RURAL_COUNTIES]),
        county_villages=("county", np.array([c[3] for c in RURAL_COUNTIES], float)))
    cost = rng.uniform(2e3, 9e3, (n_sc, n_c))
    parcels = rng.uniform(2e3, 2e4, (n_sc, n_c))
    S = ("scenario",)
    parks = [f"PARK_{k:02d}" for k in range(16)]
    park_segments = ["parts_inbound", "order_outbound", "reverse"]
    P = ("scenario", "park")
    ds = ds.assign_coords(park=parks, segment=park_segments).assign(
        park_demand=((*P, "segment"), rng.uniform(500, 20_000, (n_sc, 16, 3))),
        park_flow=((*P, "mode"), rng.uniform(0, 10_000, (n_sc, 16, ds.sizes["mode"]))),
        park_tonnes=(P, rng.uniform(5, 200, (n_sc, 16))),
        park_tonne_km=(P, rng.uniform(1e3, 5e4, (n_sc, 16))),
        park_on_time_share=(P, rng.uniform(0.6, 1.0, (n_sc, 16))),
        park_cost=(P, rng.uniform(1e4, 2e5, (n_sc, 16))),
        park_dc_capacity=(P, rng.choice([np.nan, 0.0, 30_000.0], (n_sc, 16))))
    return ds.assign(
        rural_departures_per_week=((*S, "route", "rural_mode"), dep),
        village_coverage=((*S, "county"), rng.uniform(0.85, 1.0, (n_sc, n_c))),
        rural_cost=((*S, "county"), cost),
        rural_cost_per_village=((*S, "county"),
                                cost * 365.0 / np.array([c[3] for c in RURAL_COUNTIES])),
        rural_cost_per_parcel=((*S, "county"), cost / parcels),
        rural_parcels=((*S, "county"), parcels),
        rural_on_time_share=((*S, "county"), rng.uniform(0.6, 0.9, (n_sc, n_c))),
        urban_on_time_share=(S, rng.uniform(0.9, 0.99, n_sc)))
