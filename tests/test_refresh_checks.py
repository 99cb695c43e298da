"""Validation of incoming volume files (refresh/checks.py, refresh/ingest.py), by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netdesign.refresh.checks import check_volumes, parse_month, recent_levels
from netdesign.refresh.ingest import read_volume_file, scan_data_dir

CURRENT = pd.Period("2026-11", freq="M")


def _history() -> pd.DataFrame:
    """Corridor A: 100..600 parcels/month in 2024-01..2024-06; corridor B: 0 in 2024-06."""
    months = pd.period_range("2024-01", "2024-06", freq="M")
    a = pd.DataFrame({"corridor_id": "A", "month": months,
                      "parcels": [100.0, 200, 300, 400, 500, 600]})
    b = pd.DataFrame({"corridor_id": ["B"], "month": [pd.Period("2024-06", freq="M")],
                      "parcels": [0.0]})
    return pd.concat([a, b], ignore_index=True)


def _check(tmp_path: Path, text: str, name: str = "new.csv", **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (vf,) = scan_data_dir(tmp_path, {})
    frame, problems = read_volume_file(vf)
    assert frame is not None, problems
    rows, more = check_volumes([(vf, frame)], ["A", "B"], _history(), current_month=CURRENT,
                               implausible_factor=kw.get("factor", 5.0),
                               recent_months=kw.get("recent", 3))
    return path, rows, problems + more


def test_every_rule_names_file_row_and_field(tmp_path: Path) -> None:
    text = ("corridor,month,parcels\n"
            "A,2024-07,2400\n"      # row 1: level median(400,500,600)=500, ratio 4.8: ok
            "Z,2024-07,100\n"       # row 2: unknown corridor
            "A,2024-08,-5\n"        # row 3: negative
            "A,2024-09,\n"          # row 4: missing parcels
            "A,2024-07,2400\n"      # row 5: duplicate of row 1
            "A,2031-01,100\n"       # row 6: in the future
            "A,2024-13,100\n"       # row 7: not a month
            "A,2024-10,abc\n"       # row 8: not a number
            "A,2024-11,2600\n"      # row 9: 2600/500 = 5.2 > 5: implausible
            "A,2024-12,99\n"        # row 10: 99/500 = 0.198 < 1/5: implausible
            "A,2025-01,101\n"       # row 11: 101/500 = 0.202: ok
            ",2025-02,100\n")       # row 12: missing corridor
    path, rows, problems = _check(tmp_path, text)
    errors = {(p.location, p.field) for p in problems if p.severity == "error"}
    assert errors == {
        ("row 2", "corridor"), ("row 3", "parcels"), ("row 4", "parcels"),
        ("row 5", "month"), ("row 6", "month"), ("row 7", "month"), ("row 8", "parcels"),
        ("row 9", "parcels"), ("row 10", "parcels"), ("row 12", "corridor"),
    }
    assert all(p.source == str(path) for p in problems)
    by_row = {p.location: p for p in problems}
    assert "row 1" in by_row["row 5"].expected          # names the first occurrence
    assert by_row["row 2"].value == "Z"
    assert "2026-11" in by_row["row 6"].expected
    assert "500" in by_row["row 9"].expected and "5.2" in by_row["row 9"].expected
    assert str(path) in str(by_row["row 9"]) and "row 9" in str(by_row["row 9"])
    # rows that passed every row-level check (the duplicate pair and the implausible ones
    # are caught by the batch rules afterwards)
    assert sorted(rows["row"]) == [1, 5, 9, 10, 11]


def test_factor_is_configurable(tmp_path: Path) -> None:
    _, _, problems = _check(tmp_path, "corridor,month,parcels\nA,2024-07,2600\n", factor=6.0)
    assert problems == []
    _, _, problems = _check(tmp_path, "corridor,month,parcels\nA,2024-07,2600\n", factor=5.0)
    assert [p.location for p in problems] == ["row 1"]


def test_recent_level_is_median_of_last_months_before_the_month() -> None:
    rows = pd.DataFrame({"corridor_id": ["A", "A", "A", "B", "C"],
                         "month": pd.PeriodIndex(["2024-07", "2024-04", "2024-01", "2024-07",
                                                  "2024-07"], freq="M")})
    levels = recent_levels(_history(), rows, recent_months=3)
    # A before 2024-07: 400,500,600 -> 500; before 2024-04: 100,200,300 -> 200;
    # before 2024-01: nothing; B: level 0; C: no history
    assert levels.iloc[0] == 500 and levels.iloc[1] == 200
    assert pd.isna(levels.iloc[2]) and levels.iloc[3] == 0 and pd.isna(levels.iloc[4])


def test_zero_level_and_revisions(tmp_path: Path) -> None:
    # B's recent level is 0: not checked. A 2024-03 revised from 300 to 310: a warning.
    _, rows, problems = _check(tmp_path, "corridor,month,parcels\nB,2024-07,5000\n"
                                         "A,2024-03,310\n")
    assert [p.severity for p in problems] == ["warning"]
    assert "revises 1 month" in problems[0].expected and "300 -> 310" in problems[0].expected
    assert len(rows) == 2


def test_duplicates_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("corridor,month,parcels\nA,2024-07,600\n")
    (tmp_path / "b.parquet").parent.mkdir(exist_ok=True)
    pd.DataFrame({"corridor_id": ["A", "A"], "month": ["2024-08", "2024-07"],
                  "parcels": [610.0, 620.0]}).to_parquet(tmp_path / "b.parquet")
    files = scan_data_dir(tmp_path, {})
    frames = [(vf, read_volume_file(vf)[0]) for vf in files]
    _, problems = check_volumes(frames, ["A"], _history(), current_month=CURRENT,
                                implausible_factor=5, recent_months=3)
    assert [(Path(p.source).name, p.location) for p in problems] == [("b.parquet", "row 2")]
    assert "a.csv row 1" in problems[0].expected


def test_missing_column_and_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("corridor,parcels\nA,5\n")
    (tmp_path / "y.parquet").write_bytes(b"not parquet")
    problems = []
    for vf in scan_data_dir(tmp_path, {}):
        frame, probs = read_volume_file(vf)
        assert frame is None
        problems += probs
    assert {(Path(p.source).name, p.field) for p in problems} == {("x.csv", "month"),
                                                                  ("y.parquet", None)}


def test_scan_skips_known_hidden_and_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("corridor,month,parcels\nA,2024-07,600\n")
    (tmp_path / "b.csv").write_text("corridor,month,parcels\nA,2024-08,600\n")
    (tmp_path / ".c.csv").write_text("x")
    (tmp_path / "d.csv.tmp").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    first = scan_data_dir(tmp_path, {})
    assert [(f.name, f.status) for f in first] == [("a.csv", "new"), ("b.csv", "new")]
    registry = {f.name: {"sha256": f.sha256} for f in first}
    assert scan_data_dir(tmp_path, registry) == []
    (tmp_path / "b.csv").write_text("corridor,month,parcels\nA,2024-08,601\n")
    assert [(f.name, f.status) for f in scan_data_dir(tmp_path, registry)] == [
        ("b.csv", "changed")]


@pytest.mark.parametrize("value, expected", [
    ("2024-07", "2024-07"), ("2024-7", "2024-07"), ("2024-07-01", "2024-07"),
    (pd.Timestamp("2024-07-15"), "2024-07"), ("2024-13", None), ("July", None), ("", None),
])
def test_parse_month(value, expected) -> None:
    got = parse_month(value)
    assert (str(got) if got is not None else None) == expected


def test_overlay_new_rows_win_and_sort() -> None:
    from netdesign.refresh.history import overlay

    p = pd.PeriodIndex
    base = pd.DataFrame({"corridor_id": ["B", "A", "A"], "month": p(["2024-01", "2024-02",
                                                                      "2024-01"], freq="M"),
                         "parcels": [7.0, 2.0, 1.0], "source": "base"})
    new = pd.DataFrame({"corridor_id": ["A", "C"], "month": p(["2024-02", "2023-12"], freq="M"),
                        "parcels": [5.0, 3.0], "source": "f.csv"})
    got = overlay(base, new)
    assert list(zip(got["corridor_id"], got["month"].astype(str), got["parcels"],
                    got["source"], strict=True)) == [
        ("A", "2024-01", 1.0, "base"), ("A", "2024-02", 5.0, "f.csv"),
        ("B", "2024-01", 7.0, "base"), ("C", "2023-12", 3.0, "f.csv")]


def test_history_hash_ignores_row_order_but_not_values() -> None:
    from netdesign.refresh.history import history_hash

    h = _history()
    shuffled = h.sample(frac=1.0, random_state=3)
    assert history_hash(h) == history_hash(shuffled)
    changed = h.copy()
    changed.loc[2, "parcels"] = 300.5
    assert history_hash(changed) != history_hash(h)
