"""Loading the network tables: paths, CSV and Parquet, normalised shapes, the validate command.

Expected counts and values are read off the tiny study's CSV files by hand
(tests/fixtures/tiny/README.md describes them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from netdesign.cli.app import app
from netdesign.config import load_config, parse_config
from netdesign.data.loader import load_network, read_table, resolve_data_dir
from netdesign.errors import InputError

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny"
TABLES = ("nodes", "links", "hubs", "corridors", "history")


@pytest.fixture(scope="module")
def net():
    return load_network(load_config(TINY / "tiny.yaml"))


def copy_tiny(tmp_path: Path) -> Path:
    for f in TINY.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "tiny.yaml"


# ---------------------------------------------------------------------------------------------
def test_resolve_data_dir_relative_to_config(tmp_path):
    cfg = parse_config({"name": "x", "data": {"dir": "data/v1"}}, "x.yaml", tmp_path)
    assert resolve_data_dir(cfg) == tmp_path / "data" / "v1"
    cfg = parse_config({"name": "x", "data": {"dir": str(tmp_path)}}, "x.yaml", Path("/else"))
    assert resolve_data_dir(cfg) == tmp_path


def test_resolve_data_dir_package():
    import netdesign

    cfg = parse_config({"name": "x", "data": {"dir": "package:hangzhou"}}, "x.yaml")
    expected = Path(netdesign.__file__).parent / "data" / "default" / "hangzhou"
    assert resolve_data_dir(cfg).resolve() == expected.resolve()


def test_tiny_counts_and_index(net):
    assert (len(net.nodes), len(net.links), len(net.hubs), len(net.corridors)) == (8, 26, 3, 10)
    assert len(net.history) == 10 * 72
    assert net.nodes.index.name == "node_id" and net.links.index.name == "link_id"
    assert net.hubs.index.name == "hub_id" and net.corridors.index.name == "corridor_id"
    assert list(net.corridors.columns) == ["origin", "destination", "service_class", "segment"]
    assert list(net.history.columns) == ["corridor_id", "month", "parcels"]
    assert set(net.links["mode"]) == {"road", "rail", "water", "air"}


def test_normalised_columns(net):
    assert net.hubs.loc["HUB_HZ", "transfer_modes"] == ("road", "rail")
    assert net.hubs.loc["PORT_NGB", "transfer_modes"] == ("road", "rail", "water")
    # optional hub columns filled: fixed cost 0, optional False, customs 0, max_modules NaN
    assert net.hubs["fixed_cost_cny_per_year"].tolist() == [0.0, 0.0, 0.0]
    assert net.hubs["optional"].dtype == bool and not net.hubs["optional"].any()
    assert net.hubs.loc["HUB_HZ", "customs_h"] == 0.0
    assert net.hubs.loc["AIR_HGH", "customs_h"] == 4.0
    assert net.hubs.loc["HUB_HZ", "max_modules"] == 5
    assert np.isnan(net.hubs.loc["AIR_HGH", "max_modules"])
    assert net.nodes["rural"].dtype == bool
    assert net.nodes.index[net.nodes["rural"]].tolist() == ["CO_TONGLU"]
    freq = net.links["min_weekly_frequency"]
    assert freq.dropna().to_dict() == {"CO_TONGLU-HUB_HZ-road": 7.0,
                                       "HUB_HZ-CO_TONGLU-road": 7.0}
    assert net.nodes.loc["CITY_LA", "lon"] == -118.2437
    assert net.nodes.loc["CITY_TOKYO", "name_zh"] == "东京"
    assert net.links.loc["HUB_HZ-CITY_BEIJING-rail", "distance_km"] == 1363.0


def test_history_months(net):
    assert isinstance(net.history["month"].dtype, pd.PeriodDtype)
    assert net.history["month"].min() == pd.Period("2019-01", "M")
    assert net.history["month"].max() == pd.Period("2024-12", "M")
    wide = net.history_wide()
    assert wide.shape == (72, 10)
    # first line of history.csv after the header
    assert wide.loc[pd.Period("2019-01", "M"), "HZ_XIHU>CITY_BEIJING"] == 485808


def test_version_and_source(net, tmp_path):
    assert len(net.version) == 12 and int(net.version, 16) >= 0
    assert net.source == str(TINY.resolve())
    cfg = copy_tiny(tmp_path)
    assert load_network(load_config(cfg)).version == net.version  # same bytes, same hash
    hist = tmp_path / "history.csv"
    hist.write_text(hist.read_text().replace("485808", "485809", 1))
    assert load_network(load_config(cfg)).version != net.version


def test_parquet_equals_csv(tmp_path, net):
    for t in TABLES:
        pd.read_csv(TINY / f"{t}.csv", dtype=str, keep_default_na=False).replace(
            {"": None}).to_parquet(tmp_path / f"{t}.parquet")
    cfg = parse_config({"name": "pq", "data": {"dir": ".", **{t: f"{t}.parquet"
                                                                for t in TABLES}}},
                       "pq.yaml", tmp_path)
    pq = load_network(cfg)
    for t in ("nodes", "links", "hubs", "corridors", "history"):
        pd.testing.assert_frame_equal(getattr(pq, t), getattr(net, t))


def test_parquet_with_native_types(tmp_path, net):
    """Numbers as numbers, months as timestamps at the start of the month."""
    hist = net.history.assign(month=net.history["month"].dt.to_timestamp())
    hist.to_parquet(tmp_path / "history.parquet")
    df, problems = read_table(tmp_path / "history.parquet", "history")
    assert problems == []
    pd.testing.assert_frame_equal(df, net.history)
    hist.loc[3, "month"] = pd.Timestamp("2019-04-15")
    hist.to_parquet(tmp_path / "history.parquet")
    _, problems = read_table(tmp_path / "history.parquet", "history")
    assert [(p.location, p.field) for p in problems] == [
        ("row 4 (corridor_id 'HZ_XIHU>CITY_BEIJING')", "month")]


def test_row_numbers_are_data_rows(tmp_path):
    """'row N' is the N-th data row, i.e. line N + 1 of the CSV file."""
    lines = (TINY / "links.csv").read_text().splitlines()
    lines[4] = lines[4].replace(",road,", ",boat,", 1)  # line 5 of the file
    (tmp_path / "links.csv").write_text("\n".join(lines) + "\n")
    _, problems = read_table(tmp_path / "links.csv", "links")
    assert len(problems) == 1
    assert problems[0].location.startswith("row 4 (")
    assert problems[0].value == "boat"


def test_missing_and_unknown_columns(tmp_path):
    df = pd.read_csv(TINY / "hubs.csv", dtype=str, keep_default_na=False)
    df = df.drop(columns=["handling_h", "customs_h"]).assign(colour="red")
    df.to_csv(tmp_path / "hubs.csv", index=False)
    out, problems = read_table(tmp_path / "hubs.csv", "hubs")
    got = {(p.location, p.field, p.severity) for p in problems}
    # handling_h is required, customs_h optional (no problem), colour unknown (warning)
    assert got == {("header", "handling_h", "error"), ("header", "colour", "warning")}
    assert "colour" not in out.columns and out["customs_h"].isna().all()


@pytest.mark.parametrize("name,content,expected", [
    ("nodes.csv", None, "an existing CSV or Parquet file"),
    ("nodes.xlsx", "x", "a file ending in .csv, .parquet or .pq"),
    ("nodes.csv", "", "a header row"),
    ("nodes.parquet", "not parquet", "a readable parquet table"),
])
def test_unreadable_files(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    df, problems = read_table(path, "nodes")
    assert len(problems) == 1 and problems[0].location == "(file)"
    assert expected in problems[0].expected and name in str(problems[0])
    assert list(df.columns)[:2] == ["node_id", "name_en"] and df.empty


def test_missing_file_reported_with_other_files(tmp_path):
    copy_tiny(tmp_path)
    (tmp_path / "hubs.csv").unlink()
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(nodes.read_text().replace("29.7977", "-95", 1))
    with pytest.raises(InputError) as err:
        load_network(load_config(tmp_path / "tiny.yaml"))
    where = {(Path(p.source).name, p.location, p.field) for p in err.value.problems}
    assert ("hubs.csv", "(file)", None) in where
    assert ("nodes.csv", "row 2 (node_id 'CO_TONGLU')", "lat") in where


def test_bool_spellings(tmp_path):
    df = pd.read_csv(TINY / "nodes.csv", dtype=str, keep_default_na=False)
    df["rural"] = ["no", "YES", "0", "1", "", "False", "true", "f"]
    df.to_csv(tmp_path / "nodes.csv", index=False)
    out, problems = read_table(tmp_path / "nodes.csv", "nodes")
    assert problems == []
    assert out["rural"].tolist() == [False, True, False, True, pd.NA, False, True, False]


def test_missing_data_dir(tmp_path):
    cfg = parse_config({"name": "x", "data": {"dir": "nowhere"}}, "x.yaml", tmp_path)
    with pytest.raises(InputError) as err:
        load_network(cfg)
    assert err.value.problems[0].field == "dir" and err.value.problems[0].value == "nowhere"


# the validate command ------------------------------------------------------------------------
def _invoke(*args):
    import netdesign.cli.validate  # noqa: F401 - registers the command

    return CliRunner().invoke(app, ["validate", *map(str, args)])


def test_cli_validate_ok():
    before = sorted(p.name for p in TINY.iterdir())
    res = _invoke(TINY / "tiny.yaml")
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "OK:" in out
    assert "nodes     8 (1 rural)" in out and "links     26" in out
    assert "hubs      3" in out and "corridors 10" in out
    assert "72 months (2019-01..2024-12), 720 rows" in out
    assert sorted(p.name for p in TINY.iterdir()) == before  # writes nothing


def test_cli_validate_broken_data(tmp_path):
    cfg = copy_tiny(tmp_path)
    links = tmp_path / "links.csv"
    links.write_text(links.read_text().replace("HUB_HZ,CITY_BEIJING,rail", "HUB_HZ,CITY_BJ,rail"))
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(nodes.read_text().replace(",district,", ",suburb,"))
    before = sorted(p.name for p in tmp_path.iterdir())
    res = _invoke(cfg)
    assert res.exit_code == 2
    err = " ".join(res.stderr.split())  # undo the console's line wrapping
    assert "2 problem(s)" in err
    assert "links.csv: row 15 (link_id 'HUB_HZ-CITY_BEIJING-rail'), field 'to_node': got " \
           "'CITY_BJ'" in err
    assert "nodes.csv: row 1 (node_id 'HZ_XIHU'), field 'kind': got 'suburb'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_validate_broken_config(tmp_path):
    cfg = copy_tiny(tmp_path)
    cfg.write_text(cfg.read_text().replace("max_linehaul_legs: 2", "max_linehaul_legs: 9"))
    res = _invoke(cfg)
    assert res.exit_code == 2
    assert "network.max_linehaul_legs" in " ".join(res.stderr.split())


def test_bom_and_crlf_are_accepted(tmp_path):
    text = (TINY / "nodes.csv").read_text(encoding="utf-8")
    (tmp_path / "nodes.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    out, problems = read_table(tmp_path / "nodes.csv", "nodes")
    assert problems == []
    assert out["node_id"].iloc[0] == "HZ_XIHU" and out["rural"].iloc[-1] == False  # noqa: E712


def test_validate_is_registered_on_the_entry_point(tmp_path):
    """The real console entry point (netdesign.cli.main) in a fresh process."""
    import subprocess
    import sys

    cmd = [sys.executable, "-c", "from netdesign.cli.main import app; app()", "validate"]
    ok = subprocess.run([*cmd, str(TINY / "tiny.yaml")], capture_output=True, text=True,
                        timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "corridors 10" in ok.stdout
    cfg = copy_tiny(tmp_path)
    (tmp_path / "history.csv").write_text("corridor_id,month\n")
    bad = subprocess.run([*cmd, str(cfg)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "field 'parcels'" in bad.stderr and "history.csv" in bad.stderr
