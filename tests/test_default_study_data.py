"""The embedded default study (netdesign/data/default/hangzhou): shape, paths, history, determinism.

Checks are against the schema (netdesign/data/schema.py), the path grammar of
docs/architecture.md (with a small search written here, independent of netdesign's own), and
published figures: the national express series 206.7 (2015) -> 1,750.8 (2024) 亿件, i.e. a
ratio of 8.47 (SPB via china-express-facts.md §1.1), the parameter values named in
DATA_SOURCES.md, and great-circle distances worked out by hand.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
import yaml

from netdesign.data import schema

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "netdesign" / "data" / "default" / "hangzhou"
BUILDER = ROOT / "scripts" / "build_hangzhou_study.py"
TABLES = ("nodes", "links", "hubs", "corridors", "history")
ZHEJIANG = ("Hangzhou", "Zhejiang")


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in TABLES}


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", None), errors="raise")


# ----------------------------------------------------------------------------- schema
@pytest.mark.parametrize("name", TABLES)
def test_columns_follow_schema(t, name):
    # optional columns may be left out (e.g. corridors.segment until the data writes it)
    present = set(t[name].columns)
    assert list(t[name].columns) == [c.name for c in schema.TABLES[name]
                                     if c.required or c.name in present]


@pytest.mark.parametrize("name", TABLES)
def test_values_follow_schema(t, name):
    df = t[name]
    for col in schema.TABLES[name]:
        if col.name not in df and not col.required:
            continue
        s = df[col.name]
        if col.required:
            assert (s != "").all(), f"{name}.{col.name} has blanks"
        filled = s[s != ""]
        if col.choices:
            assert set(filled) <= set(col.choices), f"{name}.{col.name}"
        if col.dtype in ("float", "int"):
            v = pd.to_numeric(filled, errors="raise")
            if col.min is not None:
                assert (v >= col.min).all(), f"{name}.{col.name} below {col.min}"
            if col.dtype == "int":
                assert (v == v.round()).all()
        if col.dtype == "bool":
            assert set(filled) <= {"true", "false"}


def test_ids_unique_and_known(t):
    nodes = set(t["nodes"]["node_id"])
    assert t["nodes"]["node_id"].is_unique and t["links"]["link_id"].is_unique
    assert t["corridors"]["corridor_id"].is_unique and t["hubs"]["hub_id"].is_unique
    assert set(t["hubs"]["hub_id"]) <= nodes
    assert set(t["links"]["from_node"]) | set(t["links"]["to_node"]) <= nodes
    assert set(t["corridors"]["origin"]) | set(t["corridors"]["destination"]) <= nodes
    for modes in t["hubs"]["transfer_modes"]:
        assert modes.split("|") and set(modes.split("|")) <= set(schema.MODES)


def test_links_only_use_modes_their_ends_serve(t):
    hub_modes = {h: set(m.split("|")) for h, m in zip(t["hubs"]["hub_id"],
                                                        t["hubs"]["transfer_modes"], strict=True)}
    kind = dict(zip(t["nodes"]["node_id"], t["nodes"]["kind"], strict=True))
    for a, b, mode in zip(t["links"]["from_node"], t["links"]["to_node"], t["links"]["mode"],
                          strict=True):
        for n in (a, b):
            serves = hub_modes.get(n, set(schema.KIND_MODES[kind[n]]))
            assert mode in serves, (a, b, mode)


def test_named_hubs_and_nodes_present(t):
    hubs = t["hubs"].set_index("hub_id")
    for h in ("HGH", "HGH_IEC", "HZ_YRD_EXPRESS_PARK", "HZ_XIAONAN", "HZ_JIANGDONG",
              "HZ_WEST_HSR", "HZ_QIANTANG", "NINGBO_PORT", "YIWU_RAIL"):
        assert hubs.loc[h, "optional"] == "false"
    assert (hubs["optional"] == "true").sum() >= 1  # the open/close decision is exercised
    assert (_num(hubs.loc[hubs["optional"] == "true", "fixed_cost_cny_per_year"]) > 0).all()
    for h in ("HGH_IEC", "NINGBO_PORT", "YIWU_RAIL"):  # international gateways clear customs
        assert float(hubs.loc[h, "customs_h"]) > 0
    assert hubs.loc["HGH", "customs_h"] == ""  # the domestic air-express hub does not
    # The international express centre: 71,000 t/yr design capacity (2020) / 365 / 1.2 kg.
    assert float(hubs.loc["HGH_IEC", "capacity_parcels_per_day"]) == pytest.approx(
        71_000e3 / 365 / 1.2, rel=0.02)
    nodes = t["nodes"].set_index("node_id")
    rural = nodes[nodes["rural"] == "true"]
    assert set(rural.index) == {"HZ_TONGLU", "HZ_CHUNAN", "HZ_JIANDE", "HZ_LINAN", "HZ_FUYANG"}
    assert (nodes["kind"] == "industrial_park").sum() >= 3
    for city in ("KR_SEOUL", "JP_TOKYO", "JP_OSAKA", "TH_BANGKOK", "SG_SINGAPORE",
                 "VN_HO_CHI_MINH", "US_LOS_ANGELES", "US_NEW_YORK", "DE_FRANKFURT", "GB_LONDON",
                 "BE_LIEGE", "AE_DUBAI", "RU_MOSCOW", "AU_SYDNEY", "ES_MADRID"):
        assert city in nodes.index


def test_hub_handling_cost_is_zto_sorting_cost(t):
    """Sorting hubs charge ZTO's reported sorting cost, 0.26 CNY/parcel (Q2 2024)."""
    hubs = t["hubs"].set_index("hub_id")
    assert float(hubs.loc["HZ_XIAONAN", "handling_cost_cny_per_parcel"]) == 0.26


# ----------------------------------------------------------------------------- corridors
def _direction(t) -> pd.Series:
    region = dict(zip(t["nodes"]["node_id"], t["nodes"]["region"], strict=True))
    cor = t["corridors"]
    return pd.Series(["out" if region[o] in ZHEJIANG else "in" for o in cor["origin"]],
                     index=cor["corridor_id"])


def test_corridor_counts(t):
    """>= 1,500 corridors in total, with both directions well represented."""
    cor = t["corridors"]
    direction = _direction(t).value_counts()
    assert len(cor) >= 1500
    assert direction["out"] >= 500 and direction["in"] >= 500
    region = dict(zip(t["nodes"]["node_id"], t["nodes"]["region"], strict=True))
    domestic = {d for d in cor["destination"] if region[d] == "Domestic"}
    assert len(domestic) >= 25
    assert set(cor["service_class"]) == set(schema.SERVICE_CLASSES)
    cls = {"Domestic": "domestic", "Neighbouring": "neighbouring", "Global": "global"}
    for o, d, sc in zip(cor["origin"], cor["destination"], cor["service_class"], strict=True):
        far = d if region[d] not in ZHEJIANG else o
        assert region[o] in ZHEJIANG or region[d] in ZHEJIANG
        assert cls[region[far]] == sc


# ----------------------------------------------------------------------------- paths
def enumerate_paths(t, max_linehaul_legs: int = 2) -> dict[str, list[tuple[str, ...]]]:
    """All paths of every corridor, each as the tuple of its line-haul modes.

    Grammar: [collection] linehaul x 1..L [distribution]; every intermediate node is a hub;
    no node twice; a change of mode only at a hub whose transfer_modes hold both modes.
    """
    hub_modes = {h: set(m.split("|")) for h, m in zip(t["hubs"]["hub_id"],
                                                        t["hubs"]["transfer_modes"], strict=True)}
    between = defaultdict(list)  # (from, to) -> [(mode, role)]
    succ = defaultdict(set)  # hub -> hubs reachable by one line-haul link
    for a, b, mode, role in zip(t["links"]["from_node"], t["links"]["to_node"],
                                t["links"]["mode"], t["links"]["role"], strict=True):
        between[(a, b)].append((mode, role))
        if role == "linehaul" and a in hub_modes and b in hub_modes:
            succ[a].add(b)

    def can_change(hub, m1, m2):
        return m1 == m2 or {m1, m2} <= hub_modes[hub]

    def from_hub(h, last, legs, visited, d, found):
        for mode, role in between.get((h, d), ()):
            if not can_change(h, last, mode):
                continue
            if role == "distribution" and legs:
                found.append(legs)
            elif role == "linehaul" and len(legs) < max_linehaul_legs:
                found.append(legs + (mode,))
        if len(legs) >= max_linehaul_legs:
            return
        for h2 in succ[h] - visited:
            for mode, role in between[(h, h2)]:
                if role == "linehaul" and can_change(h, last, mode):
                    from_hub(h2, mode, legs + (mode,), visited | {h2}, d, found)

    paths = {}
    first = defaultdict(list)
    for (a, b), lst in between.items():
        if b in hub_modes:
            first[a].extend((b, mode, role) for mode, role in lst)
    for cid, o, d in zip(t["corridors"]["corridor_id"], t["corridors"]["origin"],
                         t["corridors"]["destination"], strict=True):
        found: list[tuple[str, ...]] = []
        for h, mode, role in first[o]:
            if role == "collection":
                from_hub(h, mode, (), {o, h}, d, found)
            elif role == "linehaul":
                from_hub(h, mode, (mode,), {o, h}, d, found)
        paths[cid] = found
    return paths


@pytest.fixture(scope="module")
def paths(t):
    return enumerate_paths(t)


def test_every_corridor_has_a_path(paths):
    missing = [cid for cid, p in paths.items() if not p]
    assert not missing, missing[:10]


def test_path_counts_suit_the_path_based_model(paths):
    counts = pd.Series({cid: len(p) for cid, p in paths.items()})
    restocking = counts.index.str.endswith(":restocking")  # via the port or Yiwu only
    assert counts[~restocking].min() >= 3 and counts[restocking].min() >= 2
    assert 5 <= counts.median() <= 40
    assert counts.max() <= 80


def test_mode_choices_are_competitive(t, paths):
    """Far domestic corridors can go by road, rail (HSR) or air; global ones by air or water
    (and China-Europe rail where it runs)."""
    def modes(cid):
        return {m for p in paths[cid] for m in p}

    assert {"road", "rail", "air"} <= modes("HZ_YUHANG>CN_BEIJING")
    assert {"road", "rail", "air"} <= modes("CN_CHENGDU>HZ_XIHU")
    assert {"air", "water", "rail"} <= modes("HZ_XIAOSHAN>ES_MADRID:direct_mail")
    assert {"air", "water"} <= modes("US_LOS_ANGELES>HZ_BINJIANG:direct_mail")
    assert {"air", "rail"} <= modes("ZJ_YIWU>RU_MOSCOW:direct_mail")
    # restocking of overseas warehouses goes by sea, or China-Europe rail where it runs
    assert {"water", "rail"} <= modes("ZJ_YIWU>DE_WH:restocking")
    assert "water" in modes("HZ_PARK_XIASHA>US_WH_LA:restocking")


# ----------------------------------------------------------------------------- links
def _gc_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    return 6371.0 * math.acos(math.sin(p1) * math.sin(p2) +
                              math.cos(p1) * math.cos(p2) * math.cos(dl))


def test_distances_and_unit_rates(t):
    """Unit costs, module sizes and CO2 factors worked from the public figures in
    DATA_SOURCES.md (independently of the builder's code)."""
    links = t["links"].set_index("link_id")
    for c in ("distance_km", "cost_cny_per_parcel", "transit_h", "co2_kg_per_tkm",
              "module_parcels_per_day"):
        links[c] = _num(links[c])
    # HGH (30.23, 120.43) -> London (51.51, -0.13): about 9,200 km great circle (worked
    # from the spherical law of cosines); air links carry a 5 % detour.
    air = links.loc["HGH_IEC>GB_LONDON:air"]
    assert 9_100 * 1.05 < air["distance_km"] < 9_300 * 1.05
    assert air["co2_kg_per_tkm"] == 0.531  # DESNZ 2025 long-haul freight, no RF
    # Air is sold per chargeable kg: 0.01 m³ / 6,000 cm³ per kg = 1.667 kg > 1.2 kg actual.
    # International: 2.0 CNY/tkm + 4 CNY/kg terminal; a full freighter (phi = 0.6) then costs
    # 1.6 x 2.0 x 10.18 t-km/kg... per kg: 5 USD/kg x 7.19 ~ 36 CNY/kg for ~10,000 km [R].
    kg = 0.01 * 1e6 / 6000
    assert air["cost_cny_per_parcel"] == pytest.approx(
        2.0 * kg / 1000 * air["distance_km"] + 4.0 * kg, abs=0.02)
    full_per_kg = (1.6 * (air["cost_cny_per_parcel"] - 4.0 * kg) + 4.0 * kg) / kg
    assert 4.0 * 7.19 < full_per_kg < 6.7 * 7.19  # 2024 spot range 4.75-6.73 USD/kg
    # Road trunk: a 13 m semi-trailer (86 m³, 80 % full) holds 6,900 parcels of 0.01 m³, i.e.
    # 8.3 t: it fills by volume. A vehicle-km costs 0.35 CNY/tkm x 20 t = 7 CNY, shared by the
    # parcels of a full trailer including the module's fixed share (phi = 0.35).
    road = links[(links["mode"] == "road") & (links["role"] == "linehaul")]
    # one module = a trailer after each of two daily sort waves
    assert set(road["module_parcels_per_day"]) == {2 * round(86 * 0.8 / 0.01, -2)}
    expected = 7.0 / (1.35 * 6_900) * road["distance_km"]
    assert (road["cost_cny_per_parcel"] - expected).abs().max() < 1e-3
    # CO2: 44 L/100 km x 2.68 kg/L over 8.28 t = 0.142 kg/tkm (China tractor, volume-full)
    assert set(road["co2_kg_per_tkm"]) == {round(0.44 * 2.68 / 8.28, 3)}
    # road trunk at 65 km/h plus 1 h dwell
    assert ((road["transit_h"] - road["distance_km"] / 65 - 1.0).abs() < 0.01).all()
    # Rail: China electric traction 11.2 kWh/1,000 tkm x 0.5366 kg/kWh, diesel 3.27 L x 2.68,
    # 73.3 % electrified, x 2 for low-density container loads: 13.5 g/tkm (was UK 27.8).
    rail = links[(links["mode"] == "rail") & ~links.index.str.startswith("HZ_WEST_HSR")
                 & ~links["to_node"].eq("HZ_WEST_HSR")]
    assert set(rail["co2_kg_per_tkm"]) == {0.0135}
    # Yiwu -> Madrid by rail is the Yixin'ou route, 13,052 km
    assert links.loc["YIWU_RAIL>ES_MADRID:rail", "distance_km"] == pytest.approx(13_052, abs=1)
    # Ocean and China-Europe rail are priced per FEU (5,400 parcels): 2024 WCI Shanghai ->
    # Rotterdam mean 4,538 USD; rail 6,500 USD; the module's share phi = 0.3 is in the module.
    def usd_per_feu(link_id, terminal):
        return (links.loc[link_id, "cost_cny_per_parcel"] - terminal) * 1.3 * 5_400 / 7.19

    assert usd_per_feu("NINGBO_PORT>GB_LONDON:water", 0.8) == pytest.approx(4_538, rel=0.01)
    assert usd_per_feu("YIWU_RAIL>GB_LONDON:rail", 2.0) == pytest.approx(6_500, rel=0.01)
    water = links[links["mode"] == "water"]
    assert set(water["co2_kg_per_tkm"]) <= {0.0161, 0.0325, 0.0386}
    # HSR express is priced near domestic air (0.9 x per chargeable kg), not at ~1.5 CNY/kg
    hsr = links.loc["HZ_WEST_HSR>CN_BEIJING:rail"]
    assert hsr["cost_cny_per_parcel"] / 1.2 > 3.0
    assert hsr["cost_cny_per_parcel"] > 0.8 * links.loc["HGH>CN_BEIJING:air",
                                                         "cost_cny_per_parcel"]
    nodes = t["nodes"].set_index("node_id")
    lat, lon = _num(nodes["lat"]), _num(nodes["lon"])
    gc = [_gc_km(lat[a], lon[a], lat[b], lon[b]) for a, b in zip(links["from_node"],
                                                                links["to_node"], strict=True)]
    assert (links["distance_km"] >= pd.Series(gc, index=links.index) * 0.999).all()


def test_time_abroad_counts_in_door_to_door(t):
    """Links into overseas cities carry destination clearance and last mile (22 h
    neighbouring, 30 h global); into overseas warehouses, 72 h of port clearance and drayage."""
    links = t["links"].set_index("link_id")
    for c in ("distance_km", "transit_h"):
        links[c] = _num(links[c])
    air = links.loc["HGH_IEC>GB_LONDON:air"]
    assert air["transit_h"] == pytest.approx(air["distance_km"] / 700 + 4 + 30, abs=0.01)
    air = links.loc["HGH_IEC>KR_SEOUL:air"]
    assert air["transit_h"] == pytest.approx(air["distance_km"] / 700 + 4 + 22, abs=0.01)
    sea = links.loc["NINGBO_PORT>US_WH_LA:water"]
    assert sea["transit_h"] == pytest.approx(sea["distance_km"] / 30 + 48 + 72, abs=0.01)
    intl_air = links[(links["mode"] == "air") & links["from_node"].eq("HGH")]
    kinds = t["nodes"].set_index("node_id")["country"]
    assert (kinds[intl_air["to_node"]] == "CN").all()  # HGH flies domestic only


def test_rural_feeders_have_minimum_frequency(t):
    rural = set(t["nodes"].loc[t["nodes"]["rural"] == "true", "node_id"])
    links = t["links"]
    touches = links["from_node"].isin(rural) | links["to_node"].isin(rural)
    assert touches.sum() >= 10
    assert (links.loc[touches, "min_weekly_frequency"] == "3").all()
    assert (links.loc[~touches, "min_weekly_frequency"] == "").all()


def test_existing_capacity_is_whole_modules(t):
    links = t["links"]
    cap, mod = _num(links["capacity_parcels_per_day"]), _num(links["module_parcels_per_day"])
    assert (mod > 0).all()
    assert ((cap / mod) == (cap / mod).round()).all()
    assert (cap > 0).mean() > 0.5


# ----------------------------------------------------------------------------- history
@pytest.fixture(scope="module")
def history(t) -> pd.DataFrame:
    h = t["history"].copy()
    h["parcels"] = _num(h["parcels"])
    return h


def test_history_months_contiguous(t, history):
    months = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]
    assert len(history) == len(t["corridors"]) * 120
    for _cid, g in history.groupby("corridor_id", sort=False):
        assert list(g["month"]) == months
    assert set(history["corridor_id"]) == set(t["corridors"]["corridor_id"])
    assert (history["parcels"] >= 0).all()


def test_history_file_size():
    assert (DATA / "history.csv").stat().st_size < 15e6


def _aggregate(history) -> pd.DataFrame:
    agg = history.groupby("month")["parcels"].sum()
    return pd.DataFrame({"year": agg.index.str[:4].astype(int),
                         "m": agg.index.str[5:].astype(int), "parcels": agg.values})


def test_double_eleven_and_spring_festival(history):
    agg = _aggregate(history).pivot(index="year", columns="m", values="parcels")
    assert (agg[11] > agg[10] * 1.1).all()  # Double-11 peak, every year
    assert (agg[12] > agg[10]).all()  # year-end peak
    # Spring Festival (lunar new year in Jan or Feb, then volumes resume by March):
    # the lower of Jan and Feb, per day, is below March's daily rate in every year.
    jan, feb, mar = agg[1] / 31, agg[2] / 28.25, agg[3] / 31
    assert (pd.concat([jan, feb], axis=1).min(axis=1) < 0.9 * mar).all()


def test_growth_follows_national_series(history):
    """National 206.7 -> 1,750.8 亿件 (2015 -> 2024): ratio 8.47. The study aggregate keeps that
    shape within +-25 % (corridor growth rates are spread around the national one)."""
    annual = _aggregate(history).groupby("year")["parcels"].sum()
    ratio = annual[2024] / annual[2015]
    assert 8.47 * 0.75 < ratio < 8.47 * 1.25
    assert (annual.diff().dropna() > 0).all()
    national = pd.Series({2015: 206.7, 2016: 312.8, 2017: 400.6, 2018: 507.1, 2019: 635.2,
                          2020: 833.6, 2021: 1083.0, 2022: 1105.8, 2023: 1320.7, 2024: 1750.8})
    growth_gap = (annual.pct_change() - national.pct_change()).dropna().abs()
    assert growth_gap.max() < 0.10


def test_volumes_are_a_plausible_slice(t, history):
    """2024 total parcels/day: a slice of Hangzhou's long-haul express (Hangzhou ~3-3.5 % of
    1,750.8 亿 = 14-17 m/day in all) plus flows of other Zhejiang cities via Hangzhou hubs;
    international 2-4 % of it (national 2023: 30.7 of 1,320.7 亿 = 2.3 %)."""
    h24 = history[history["month"].str.startswith("2024")]
    per_corridor = h24.groupby("corridor_id")["parcels"].sum() / 366
    total = per_corridor.sum()
    assert 5e6 < total < 10e6
    cls = t["corridors"].set_index("corridor_id")["service_class"]
    intl = per_corridor[cls[per_corridor.index] != "domestic"].sum()
    assert 0.02 < intl / total < 0.04


def test_some_corridors_open_later(history):
    first = history[history["parcels"] > 0].groupby("corridor_id")["month"].min()
    late = first[first > "2015-01"]
    assert 5 <= len(late) <= 0.05 * history["corridor_id"].nunique()


# ----------------------------------------------------------------------------- builder
def test_builder_is_deterministic(tmp_path):
    subprocess.run([sys.executable, str(BUILDER), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in (*TABLES, "calibration_observed"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (DATA / f"{name}.csv").read_bytes(), name


def test_hangzhou_config_validates_and_loads():
    from netdesign.config import load_config
    from netdesign.data.loader import load_network

    cfg = load_config(ROOT / "configs" / "hangzhou.yaml")
    assert cfg.name == "hangzhou" and cfg.data.dir == "package:hangzhou"
    assert sorted(s.year for s in cfg.scenarios) == [2025, 2035, 2035]
    circle = [s for s in cfg.scenarios if s.name == "circle_2035"]
    assert len(circle) == 1 and circle[0].policy == "one_two_three"
    net = load_network(cfg)
    assert len(net.corridors) >= 1500


# ----------------------------------------------------------------------------- into factories
FACTORY_SEGMENTS = {"parts_inbound": "destination", "order_outbound": "origin",
                    "reverse": "destination"}  # segment -> the corridor end at the park


def test_parks_have_their_manufacturing_segments(t):
    """16 parks (the 4 of the first build + 12 development zones, towards the pilot's 20);
    each has inbound parts, outbound orders and reverse corridors ending/starting at it, a few
    dozen in all (56), and their weights in configs/hangzhou.yaml are the builder's."""
    nodes, cor = t["nodes"], t["corridors"]
    parks = set(nodes.loc[nodes["kind"] == "industrial_park", "node_id"])
    assert len(parks) == 16
    mfg = cor[cor["segment"].isin(list(FACTORY_SEGMENTS))]
    assert 40 <= len(mfg) <= 80
    for seg, end in FACTORY_SEGMENTS.items():
        rows = mfg[mfg["segment"] == seg]
        assert set(rows[end]) == parks, seg
        assert (rows["service_class"] == "domestic").all()
    cfg = yaml.safe_load((ROOT / "configs" / "hangzhou.yaml").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("builder", BUILDER)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for seg in FACTORY_SEGMENTS:
        assert cfg["segments"][seg]["weight_kg"] == builder.MFG_SEGMENT_KG[seg]
        assert cfg["segments"][seg]["park_flow"] in ("inbound", "outbound", "reverse")


def test_park_centres_are_optional_hubs_beside_their_park(t):
    """Six warehouse-and-distribute centres: optional, closed today (capacity 0), collecting
    only from their own park (within 3 km) and with line-haul only to that park's regions."""
    hubs, links, nodes = t["hubs"], t["links"], t["nodes"]
    dcs = hubs[hubs["hub_id"].str.startswith("HZ_DC_")]
    assert len(dcs) == 6
    assert (dcs["optional"] == "true").all() and (_num(dcs["capacity_parcels_per_day"]) == 0).all()
    kind = dict(zip(nodes["node_id"], nodes["kind"], strict=True))
    pos = {n: (float(a), float(b)) for n, a, b in zip(nodes["node_id"], nodes["lat"], nodes["lon"],
                                                      strict=True)}
    cor = t["corridors"]
    for dc in dcs["hub_id"]:
        coll = links[(links["to_node"] == dc) & (links["role"] == "collection")]
        assert len(coll) == 1 and kind[coll["from_node"].iloc[0]] == "industrial_park"
        park = coll["from_node"].iloc[0]
        assert _gc_km(*pos[park], *pos[dc]) < 3.0
        lh = links[(links["from_node"] == dc) & (links["role"] == "linehaul")]
        regions = set(cor.loc[cor["origin"] == park, "destination"]) | \
            set(cor.loc[cor["destination"] == park, "origin"])
        assert set(lh["to_node"]) <= regions and len(lh) >= 2


def test_manufacturing_volume_follows_the_national_share(history, t):
    """2024 manufacturing pieces = 9.4亿 / 507.1亿 = 1.85 % (national, 2018) of the 2024
    domestic parcels of the Hangzhou nodes (DATA_SOURCES.md), within the noise of the
    synthetic history (±3 %)."""
    cor = t["corridors"].set_index("corridor_id")
    y2024 = history[history["month"].str.startswith("2024")].groupby("corridor_id")["parcels"]\
        .sum()
    seg = cor["segment"].reindex(y2024.index)
    hz = cor["origin"].str.startswith("HZ_") | cor["destination"].str.startswith("HZ_")
    hz_parcel = y2024[(seg == "parcel") & hz.reindex(y2024.index)].sum()
    mfg = y2024[seg.isin(list(FACTORY_SEGMENTS))].sum()
    assert mfg / hz_parcel == pytest.approx(9.4 / 507.1, rel=0.03)
