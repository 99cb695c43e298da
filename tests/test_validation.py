"""Validation rules: each test breaks one thing in a copy of the tiny study and checks that the
problem names the file, the row or key, the field, the bad value and what was expected.

Row numbers are worked out from the CSV text itself (data row N = line N + 1), not from the
code under test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from netdesign.config import load_config
from netdesign.data.loader import collect_network, load_network
from netdesign.data.network import Network
from netdesign.data.paths_check import find_path
from netdesign.data.validate import validate_network
from netdesign.errors import InputError, Problem

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def study(tmp_path: Path, **edits: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
    """Copy the tiny study to tmp_path, apply `table=edit` functions, return the config."""
    for f in TINY.iterdir():
        shutil.copy(f, tmp_path / f.name)
    for table, edit in edits.items():
        path = tmp_path / f"{table}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        edit(df).to_csv(path, index=False)
    return tmp_path / "tiny.yaml"


def problems_of(config: Path, **overrides) -> list[Problem]:
    cfg = load_config(config)
    if overrides:
        cfg = cfg.with_overrides(**overrides)
    _, problems = collect_network(cfg)
    return problems


def data_row(path: Path, startswith: str) -> int:
    """1-based data row of the first line starting with `startswith` (header = line 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(startswith))


def one(problems: list[Problem], *, file: str, field: str | None, location: str | None = None,
        value=..., expected: str = "", severity: str = "error") -> Problem:
    """The single problem matching file/field/location/value; its message must name them."""
    hits = [p for p in problems if p.source.endswith(file) and p.field == field
            and (location is None or p.location == location)
            and (value is ... or p.value == value) and p.severity == severity]
    assert len(hits) == 1, f"expected one match, got {hits}\nall problems:\n" + \
        "\n".join(map(str, problems))
    p = hits[0]
    msg = str(p)
    assert file in msg
    if field:
        assert f"field '{field}'" in msg
    if location:
        assert location in msg
    if value is not ... and value is not None:
        assert repr(value) in msg
    assert expected.lower() in p.expected.lower(), p.expected
    return p


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def set_cell(key_col: str, key: str, col: str, value: str):
    def edit(df: pd.DataFrame) -> pd.DataFrame:
        assert (df[key_col] == key).sum() >= 1, f"{key} not in fixture"
        df.loc[df[key_col] == key, col] = value
        return df
    return edit


# ---------------------------------------------------------------------------------------------
def test_tiny_study_is_valid():
    problems = problems_of(TINY / "tiny.yaml")
    assert problems == []


# unknown node ids ----------------------------------------------------------------------------
def test_unknown_node_in_links(tmp_path):
    cfg = study(tmp_path, links=set_cell("link_id", "HUB_HZ-CITY_BEIJING-rail", "to_node",
                                         "CITY_BJ"))
    row = data_row(tmp_path / "links.csv", "HUB_HZ-CITY_BEIJING-rail,")
    one(problems_of(cfg), file="links.csv", field="to_node", value="CITY_BJ",
        location=f"row {row} (link_id 'HUB_HZ-CITY_BEIJING-rail')",
        expected="a node_id listed in")


def test_unknown_node_in_hubs(tmp_path):
    cfg = study(tmp_path, hubs=set_cell("hub_id", "PORT_NGB", "hub_id", "PORT_NINGBO"))
    one(problems_of(cfg), file="hubs.csv", field="hub_id", value="PORT_NINGBO",
        location="row 3 (hub_id 'PORT_NINGBO')", expected="node_id listed in")


def test_unknown_node_in_corridors(tmp_path):
    cfg = study(tmp_path, corridors=set_cell("corridor_id", "CITY_LA>HZ_XIHU", "origin",
                                             "CITY_LAX"))
    row = data_row(tmp_path / "corridors.csv", "CITY_LA>HZ_XIHU,")
    problems = problems_of(cfg)
    one(problems, file="corridors.csv", field="origin", value="CITY_LAX",
        location=f"row {row} (corridor_id 'CITY_LA>HZ_XIHU')", expected="node_id listed in")
    # the unknown origin is not also reported as "no path"
    assert not [p for p in problems if p.field == "origin -> destination"]


# duplicate ids -------------------------------------------------------------------------------
@pytest.mark.parametrize("table,key_col,key", [
    ("nodes", "node_id", "CITY_TOKYO"),
    ("links", "link_id", "AIR_HGH-CITY_TOKYO-air"),
    ("hubs", "hub_id", "AIR_HGH"),
    ("corridors", "corridor_id", "HZ_XIHU>CITY_TOKYO"),
])
def test_duplicate_ids(tmp_path, table, key_col, key):
    def dup(df):
        return pd.concat([df, df[df[key_col] == key]], ignore_index=True)

    cfg = study(tmp_path, **{table: dup})
    first = data_row(tmp_path / f"{table}.csv", f"{key},")
    n_rows = len(pd.read_csv(tmp_path / f"{table}.csv"))
    one(problems_of(cfg), file=f"{table}.csv", field=key_col, value=key,
        location=f"row {n_rows} ({key_col} {key!r})",
        expected=f"a unique {key_col}; {key!r} is already used in row {first}")


# negative or missing numbers -----------------------------------------------------------------
@pytest.mark.parametrize("table,key_col,key,col,bad,expected", [
    ("links", "link_id", "HUB_HZ-CITY_BEIJING-road", "distance_km", "-1420", "a number >= 0"),
    ("links", "link_id", "HUB_HZ-CITY_BEIJING-road", "distance_km", "", "a value"),
    ("links", "link_id", "AIR_HGH-CITY_LA-air", "cost_cny_per_parcel", "", "a value"),
    ("links", "link_id", "AIR_HGH-CITY_LA-air", "cost_cny_per_parcel", "-3", ">= 0"),
    ("links", "link_id", "PORT_NGB-CITY_LA-water", "capacity_parcels_per_day", "-5", ">= 0"),
    ("hubs", "hub_id", "HUB_HZ", "capacity_parcels_per_day", "-50000", ">= 0"),
    ("hubs", "hub_id", "AIR_HGH", "handling_cost_cny_per_parcel", "", "a value"),
    ("links", "link_id", "CO_TONGLU-HUB_HZ-road", "min_weekly_frequency", "-7", ">= 0"),
])
def test_negative_or_missing_numbers(tmp_path, table, key_col, key, col, bad, expected):
    cfg = study(tmp_path, **{table: set_cell(key_col, key, col, bad)})
    row = data_row(tmp_path / f"{table}.csv", f"{key},")
    value = None if bad == "" else float(bad)
    one(problems_of(cfg), file=f"{table}.csv", field=col, value=value,
        location=f"row {row} ({key_col} {key!r})", expected=expected)


def test_negative_and_missing_volumes(tmp_path):
    def edit(df):
        df.loc[3, "parcels"] = "-12"
        df.loc[7, "parcels"] = ""
        df.loc[9, "parcels"] = "lots"
        return df

    cfg = study(tmp_path, history=edit)
    problems = problems_of(cfg)
    cid = "HZ_XIHU>CITY_BEIJING"  # the first corridor in history.csv
    one(problems, file="history.csv", field="parcels", value=-12.0,
        location=f"row 4 (corridor_id '{cid}')", expected=">= 0")
    one(problems, file="history.csv", field="parcels", value=None,
        location=f"row 8 (corridor_id '{cid}')", expected="a value")
    one(problems, file="history.csv", field="parcels", value="lots",
        location=f"row 10 (corridor_id '{cid}')", expected="a number")
    # reported once each, not once per rule
    assert len([p for p in problems if p.field == "parcels"]) == 3


def test_many_bad_rows_are_summarised(tmp_path):
    def edit(df):
        df["parcels"] = "-1"
        return df

    problems = [p for p in problems_of(study(tmp_path, history=edit)) if p.field == "parcels"]
    assert len(problems) == 21  # 20 listed + 1 summary of the remaining 700 rows
    assert problems[-1].location == "700 more rows (rows 21 to 720)"


# corridor without a path ---------------------------------------------------------------------
def test_corridor_without_path(tmp_path):
    # Los Angeles is reached only by AIR_HGH-CITY_LA-air and PORT_NGB-CITY_LA-water
    def drop(df):
        return df[~df["link_id"].isin(["AIR_HGH-CITY_LA-air", "PORT_NGB-CITY_LA-water"])]

    cfg = study(tmp_path, links=drop)
    row = data_row(tmp_path / "corridors.csv", "HZ_XIHU>CITY_LA,")
    problems = errors(problems_of(cfg))
    p = one(problems, file="corridors.csv", field="origin -> destination",
            value="HZ_XIHU -> CITY_LA", location=f"row {row} (corridor_id 'HZ_XIHU>CITY_LA')",
            expected="a path in the network")
    assert "'CITY_LA' has no incoming link" in p.expected
    assert len(problems) == 1  # the reverse corridor CITY_LA>HZ_XIHU still has its air path


def test_path_needs_enough_linehaul_legs(tmp_path):
    """Without the district's direct road link to the airport, Xihu reaches Tokyo only via
    HUB_HZ: Xihu -road-> HUB_HZ -road-> AIR_HGH -air-> Tokyo, or via the port by rail and
    sea: two line-haul legs. So max_linehaul_legs=1 leaves the corridor without a path."""
    def drop(df):
        return df[df["link_id"] != "HZ_XIHU-AIR_HGH-road"]

    cfg = study(tmp_path, links=drop)
    assert errors(problems_of(cfg)) == []
    from netdesign.config.schema import NetworkConfig
    problems = errors(problems_of(cfg, network=NetworkConfig(max_linehaul_legs=1)))
    bad = sorted(p.value for p in problems)
    assert bad == ["HZ_XIHU -> CITY_LA", "HZ_XIHU -> CITY_TOKYO"]
    assert all("0 to 1 line-haul legs" in p.expected for p in problems)


def _net(links: list[tuple], hubs: dict[str, str], kinds: dict[str, str],
         corridors: list[tuple[str, str]]) -> Network:
    nodes = pd.DataFrame({"node_id": list(kinds), "name_en": list(kinds), "name_zh": "x",
                          "kind": list(kinds.values()), "lat": 30.0, "lon": 120.0,
                          "country": "CN", "region": "R", "rural": False}).set_index("node_id")
    lk = pd.DataFrame(links, columns=["link_id", "from_node", "to_node", "mode", "role"])
    for c in ("distance_km", "cost_cny_per_parcel", "transit_h", "co2_kg_per_tkm",
              "capacity_parcels_per_day", "module_parcels_per_day", "module_cost_cny_per_year"):
        lk[c] = 1.0
    lk["min_weekly_frequency"] = float("nan")
    hb = pd.DataFrame({"hub_id": list(hubs), "transfer_modes": [tuple(m.split("|"))
                                                               for m in hubs.values()]})
    for c in ("capacity_parcels_per_day", "module_parcels_per_day", "module_cost_cny_per_year",
              "handling_cost_cny_per_parcel", "handling_h", "fixed_cost_cny_per_year",
              "customs_h"):
        hb[c] = 1.0
    hb["optional"], hb["max_modules"] = False, float("nan")
    cor = pd.DataFrame({"corridor_id": [f"{o}>{d}" for o, d in corridors],
                        "origin": [o for o, _ in corridors],
                        "destination": [d for _, d in corridors], "service_class": "domestic"})
    months = pd.period_range("2022-01", "2023-12", freq="M")
    hist = pd.DataFrame({"corridor_id": [c for c in cor["corridor_id"] for _ in months],
                         "month": list(months) * len(cor), "parcels": 10.0})
    return Network(nodes, lk.set_index("link_id"), hb.set_index("hub_id"),
                   cor.set_index("corridor_id"), hist)


def test_path_grammar_by_hand():
    """A -col-> H1 -rail-> H2 -dist-> B, and H2 -water-> C. H1 and H2 transfer road|rail.

    Hand-worked:
    - A->B: [a1, r12, d2B] (collection, one line-haul leg, distribution; road->rail at H1 and
      rail->road at H2 are both allowed);
    - A->H1: [a1], a collection leg into a destination that is itself a hub (zero line-haul);
    - H2->B: [d2B], a distribution leg out of an origin that is itself a hub;
    - A->C: none: H2 would have to switch rail -> water, and H2 does not transfer water;
    - B->A: none: there is no link out of B;
    - with max_linehaul_legs=1 nothing changes (A->B uses one line-haul leg).
    """
    kinds = {"A": "district", "B": "city", "C": "city", "H1": "hub", "H2": "hub"}
    links = [("a1", "A", "H1", "road", "collection"), ("r12", "H1", "H2", "rail", "linehaul"),
             ("d2B", "H2", "B", "road", "distribution"),
             ("w2C", "H2", "C", "water", "linehaul")]
    net = _net(links, {"H1": "road|rail", "H2": "road|rail"}, kinds,
               [("A", "B"), ("A", "H1"), ("H2", "B"), ("A", "C"), ("B", "A")])
    assert find_path(net, "A", "B") == ["a1", "r12", "d2B"]
    assert find_path(net, "A", "H1") == ["a1"]
    assert find_path(net, "H2", "B") == ["d2B"]
    assert find_path(net, "A", "C") is None
    assert find_path(net, "B", "A") is None
    assert find_path(net, "A", "B", max_linehaul_legs=1) == ["a1", "r12", "d2B"]
    problems = validate_network(net, {"corridors": "cor.csv", "links": "links.csv"})
    nopath = {p.value: p for p in problems if p.field == "origin -> destination"}
    assert sorted(nopath) == ["A -> C", "B -> A"]
    assert nopath["B -> A"].expected.endswith("; 'B' has no outgoing link")
    # ...and the link-mode rule names the hub that cannot serve water
    one(problems, file="links.csv", field="mode", value="water",
        location="row 4 (link_id 'w2C')", expected="a mode that from_node 'H2' can serve")


def test_path_needs_more_than_a_distribution_leg_from_a_plain_origin():
    """A plain (non-hub) origin cannot start with a distribution leg, and a path cannot
    continue past a non-hub node: X -dist-> ... is not a path; X -lh-> Y(city) -lh-> H is not
    a path either (Y is not a hub)."""
    kinds = {"X": "city", "Y": "city", "H": "hub", "Z": "district"}
    links = [("xz", "X", "Z", "road", "distribution"), ("xy", "X", "Y", "road", "linehaul"),
             ("yh", "Y", "H", "road", "linehaul")]
    net = _net(links, {"H": "road"}, kinds, [("X", "Z"), ("X", "H")])
    assert find_path(net, "X", "Z") is None
    assert find_path(net, "X", "H") is None
    assert find_path(net, "X", "Y") == ["xy"]


def test_zero_linehaul_path_through_one_hub():
    """Xihu -> Tonglu in the tiny study: collection to HUB_HZ, distribution from it."""
    net = load_network(load_config(TINY / "tiny.yaml"))
    assert find_path(net, "HZ_XIHU", "CO_TONGLU") == ["HZ_XIHU-HUB_HZ-road",
                                                      "HUB_HZ-CO_TONGLU-road"]


def test_corridor_to_itself(tmp_path):
    cfg = study(tmp_path, corridors=set_cell("corridor_id", "HZ_XIHU>CO_TONGLU", "destination",
                                             "HZ_XIHU"))
    row = data_row(tmp_path / "corridors.csv", "HZ_XIHU>CO_TONGLU,")
    one(problems_of(cfg), file="corridors.csv", field="destination", value="HZ_XIHU",
        location=f"row {row} (corridor_id 'HZ_XIHU>CO_TONGLU')",
        expected="different from the origin")


# modes at nodes and link roles ---------------------------------------------------------------
def test_mode_a_plain_node_cannot_serve(tmp_path):
    # a district is served by road only (schema.KIND_MODES)
    cfg = study(tmp_path, links=set_cell("link_id", "HZ_XIHU-HUB_HZ-road", "mode", "rail"))
    row = data_row(tmp_path / "links.csv", "HZ_XIHU-HUB_HZ-road,")
    p = one(problems_of(cfg), file="links.csv", field="mode", value="rail",
            location=f"row {row} (link_id 'HZ_XIHU-HUB_HZ-road')",
            expected="a mode that from_node 'HZ_XIHU' can serve: road")
    assert "node kind 'district'" in p.expected


def test_mode_a_hub_cannot_transfer(tmp_path):
    # HUB_HZ transfers road|rail only
    cfg = study(tmp_path, links=set_cell("link_id", "HUB_HZ-CITY_BEIJING-road", "mode", "air"))
    row = data_row(tmp_path / "links.csv", "HUB_HZ-CITY_BEIJING-road,")
    p = one(problems_of(cfg), file="links.csv", field="mode", value="air",
            location=f"row {row} (link_id 'HUB_HZ-CITY_BEIJING-road')",
            expected="a mode that from_node 'HUB_HZ' can serve: rail|road")
    assert "hub transfer_modes" in p.expected


def test_collection_link_must_end_at_a_hub(tmp_path):
    cfg = study(tmp_path, links=set_cell("link_id", "HUB_HZ-CITY_BEIJING-road", "role",
                                         "distribution"),
                hubs=lambda df: df)
    problems = problems_of(cfg)
    assert errors(problems) == []  # HUB_HZ -> Beijing as a distribution link is fine
    cfg = study(tmp_path, links=set_cell("link_id", "CITY_BEIJING-HUB_HZ-road", "role",
                                         "distribution"))
    row = data_row(tmp_path / "links.csv", "CITY_BEIJING-HUB_HZ-road,")
    one(problems_of(cfg), file="links.csv", field="role", value="distribution",
        location=f"row {row} (link_id 'CITY_BEIJING-HUB_HZ-road')",
        expected="from_node to be a hub")


def test_self_loop(tmp_path):
    cfg = study(tmp_path, links=set_cell("link_id", "HUB_HZ-AIR_HGH-road", "to_node", "HUB_HZ"))
    row = data_row(tmp_path / "links.csv", "HUB_HZ-AIR_HGH-road,")
    one(problems_of(cfg), file="links.csv", field="to_node", value="HUB_HZ",
        location=f"row {row} (link_id 'HUB_HZ-AIR_HGH-road')", expected="no self-loops")


# enums and coordinates -----------------------------------------------------------------------
@pytest.mark.parametrize("table,key_col,key,col,bad,expected", [
    ("nodes", "node_id", "CITY_TOKYO", "kind", "warehouse", "one of district, city, county"),
    ("links", "link_id", "PORT_NGB-CITY_TOKYO-water", "mode", "sea",
     "one of road, rail, water, air"),
    ("links", "link_id", "PORT_NGB-CITY_TOKYO-water", "role", "feeder",
     "one of collection, linehaul, distribution"),
    ("corridors", "corridor_id", "CITY_TOKYO>HZ_XIHU", "service_class", "express",
     "one of domestic, neighbouring, global"),
    ("nodes", "node_id", "CITY_TOKYO", "lat", "95.5", "between -90 and 90"),
    ("nodes", "node_id", "CITY_LA", "lon", "-190", "between -180 and 180"),
    ("nodes", "node_id", "CITY_LA", "rural", "maybe", "true or false"),
    ("hubs", "hub_id", "PORT_NGB", "transfer_modes", "road|sea", "'|'-separated modes out of"),
    ("hubs", "hub_id", "HUB_HZ", "max_modules", "2.5", "a whole number"),
])
def test_bad_enum_and_range_values(tmp_path, table, key_col, key, col, bad, expected):
    cfg = study(tmp_path, **{table: set_cell(key_col, key, col, bad)})
    row = data_row(tmp_path / f"{table}.csv", f"{key},")
    value = float(bad) if col in ("lat", "lon") else bad
    one(problems_of(cfg), file=f"{table}.csv", field=col, value=value,
        location=f"row {row} ({key_col} {key!r})", expected=expected)


# history -------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["2019-01-15", "201901", "Jan 2019", "2019-13", "2019-1"])
def test_non_monthly_dates(tmp_path, bad):
    cfg = study(tmp_path, history=lambda df: df.replace({"month": {"2019-01": bad}}))
    problems = errors(problems_of(cfg))
    p = one(problems, file="history.csv", field="month", value=bad,
            location="row 1 (corridor_id 'HZ_XIHU>CITY_BEIJING')",
            expected="a calendar month formatted YYYY-MM")
    assert p.location in str(p)
    assert len([q for q in problems if q.field == "month"]) == 10  # one per corridor


def test_duplicate_month(tmp_path):
    def dup(df):
        return pd.concat([df, df.iloc[[5]]], ignore_index=True)

    cfg = study(tmp_path, history=dup)
    one(problems_of(cfg), file="history.csv", field="month", value="2019-06",
        location="row 721 (corridor_id 'HZ_XIHU>CITY_BEIJING')",
        expected="one row per corridor and month; this month is already in row 6")


def test_gap_inside_history(tmp_path):
    cid = "CITY_TOKYO>HZ_XIHU"

    def gap(df):
        return df[~((df["corridor_id"] == cid) & df["month"].isin(["2021-03", "2021-04"]))]

    one(problems_of(study(tmp_path, history=gap)), file="history.csv", field="month",
        value="2021-03, 2021-04", location=f"corridor_id {cid!r}",
        expected="consecutive months from 2019-01 to 2024-12 (missing: 2021-03, 2021-04)")


def test_history_for_unknown_corridor(tmp_path):
    cfg = study(tmp_path, history=lambda df: df.replace(
        {"corridor_id": {"CITY_LA>HZ_XIHU": "CITY_LA>HZ_BINJIANG"}}))
    first = data_row(tmp_path / "history.csv", "CITY_LA>HZ_BINJIANG,")
    problems = problems_of(cfg)
    one(problems, file="history.csv", field="corridor_id", value="CITY_LA>HZ_BINJIANG",
        location=f"row {first} and 71 more row(s) of this corridor",
        expected="a corridor_id listed in")
    row = data_row(tmp_path / "corridors.csv", "CITY_LA>HZ_XIHU,")
    one(problems, file="corridors.csv", field="corridor_id", value="CITY_LA>HZ_XIHU",
        location=f"row {row} (corridor_id 'CITY_LA>HZ_XIHU')",
        expected="monthly history rows for this corridor")


def test_history_ending_early_is_a_warning(tmp_path):
    cid = "HZ_XIHU>CITY_LA"

    def cut(df):
        return df[~((df["corridor_id"] == cid) & (df["month"] >= "2024-07"))]

    problems = problems_of(study(tmp_path, history=cut))
    assert errors(problems) == []
    one(problems, file="history.csv", field="month", value="2024-06", severity="warning",
        location=f"corridor_id {cid!r}", expected="history up to 2024-12")


# all at once ---------------------------------------------------------------------------------
def test_all_problems_across_files_at_once(tmp_path):
    cfg = study(tmp_path,
                nodes=set_cell("node_id", "CITY_LA", "lat", "134"),
                links=set_cell("link_id", "AIR_HGH-CITY_TOKYO-air", "distance_km", "-1"),
                hubs=set_cell("hub_id", "AIR_HGH", "handling_h", "fast"),
                corridors=set_cell("corridor_id", "HZ_XIHU>CITY_LA", "service_class", "world"),
                history=lambda df: df.drop(index=30))  # a gap, not just a later start
    with pytest.raises(InputError) as err:
        load_network(load_config(cfg))
    files = {Path(p.source).name for p in err.value.problems}
    assert files == {"nodes.csv", "links.csv", "hubs.csv", "corridors.csv", "history.csv"}
    assert err.value.exit_code == 2
    text = err.value.render()
    assert "got 134.0" in text and "got 'fast'" in text and "got 'world'" in text


def test_not_strict_returns_network_despite_rule_problems(tmp_path, caplog):
    cfg = load_config(study(tmp_path, corridors=set_cell(
        "corridor_id", "HZ_XIHU>CO_TONGLU", "destination", "HZ_XIHU")))
    with pytest.raises(InputError):
        load_network(cfg)
    net = load_network(cfg, strict=False)
    assert len(net.corridors) == 10
    assert "different from the origin" in caplog.text


def test_validate_network_checks_values_of_in_memory_tables():
    """A Network built in code (not read from files) gets the value checks too."""
    kinds = {"A": "district", "B": "city", "H": "hub"}
    links = [("aH", "A", "H", "road", "collection"), ("HB", "H", "B", "road", "linehaul")]
    net = _net(links, {"H": "road"}, kinds, [("A", "B")])
    net.links.loc["HB", "distance_km"] = -3.0
    net.nodes.loc["B", "lat"] = float("nan")
    problems = validate_network(net, {"links": "links.csv", "nodes": "nodes.csv"})
    assert errors(problems) == problems and len(problems) == 2
    one(problems, file="links.csv", field="distance_km", value=-3.0,
        location="row 2 (link_id 'HB')", expected="a number >= 0")
    one(problems, file="nodes.csv", field="lat", value=None, location="row 2 (node_id 'B')",
        expected="a value")


@pytest.mark.parametrize("table,column", [("hubs", "transfer_modes"),
                                          ("history", "corridor_id"), ("history", "month")])
def test_missing_column_is_one_problem_not_a_cascade(tmp_path, table, column):
    cfg = study(tmp_path, **{table: lambda df: df.drop(columns=[column])})
    problems = problems_of(cfg)
    assert len(problems) == 1, "\n".join(map(str, problems))
    one(problems, file=f"{table}.csv", field=column, location="header", value=None,
        expected=f"a column named {column!r}")
