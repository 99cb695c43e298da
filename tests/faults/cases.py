"""The fault-and-abuse table: one `Case` per bad, hostile or faulty input to the CLI.

Each case builds its input in a fresh folder (the tiny study copied to ``TMP/study``, then
edited), runs one command, and states the exit code, words the message must contain, and
whether the command may write anything (``writes``: paths under TMP that may appear; by
default nothing at all may change under TMP). A new case is one more `Case(...)` line; the
runner is `tests/test_faults.py`.

Placeholders in `argv`: ``{cfg}`` the study config, ``{study}`` its folder, ``{out}`` the output
folder (``TMP/out``, absent unless the case creates it), ``{tmp}`` the case's folder.
The expected words come from the issue (#18) and the documented contract (file, key or row,
value, what was expected), not from the code's output.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"

Build = Callable[[Path], Any]


@dataclass(frozen=True)
class Case:
    """name: test id; build(tmp) prepares TMP (may return an object kept alive during the
    command, e.g. a held lock); argv: the command line; code: expected exit code; words:
    substrings of stdout+stderr (whitespace-normalised); writes: glob patterns (relative to
    TMP) of files the command may create or change; check(tmp): extra assertions after."""

    name: str
    build: Build
    argv: tuple[str, ...]
    code: int
    words: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    check: Callable[[Path], None] | None = None
    skip_as_root: bool = False
    marks: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------------------------
def copy_tiny(tmp: Path) -> Path:
    """The tiny study in TMP/study (fast settings: one forecast worker, no backtest, seasonal
    naive); returns the config path."""
    study = tmp / "study"
    shutil.copytree(TINY, study)
    cfg = study / "tiny.yaml"
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    raw["forecast"] = {"method": "seasonal_naive", "backtest_origins": 0, "workers": 1,
                       "reconcile": False}
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return cfg


def edit_config(**changes: Any) -> Build:
    """Copy the tiny study and set top-level config sections (`None` deletes one); nested
    dicts are merged one level deep."""
    def build(tmp: Path) -> None:
        cfg = copy_tiny(tmp)
        raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
        for key, value in changes.items():
            if value is None:
                raw.pop(key, None)
            elif isinstance(value, dict) and isinstance(raw.get(key), dict):
                raw[key] = {**raw[key], **value}
            else:
                raw[key] = value
        cfg.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
                       encoding="utf-8")
    return build


def config_text(text: str | bytes) -> Build:
    """Copy the tiny study and replace its config by `text` (written as given: str as UTF-8,
    bytes unchanged)."""
    def build(tmp: Path) -> None:
        cfg = copy_tiny(tmp)
        if isinstance(text, bytes):
            cfg.write_bytes(text)
        else:
            cfg.write_text(text, encoding="utf-8")
    return build


def append_config(text: str) -> Build:
    """Copy the tiny study and append raw YAML text to its config."""
    def build(tmp: Path) -> None:
        cfg = copy_tiny(tmp)
        cfg.write_text(cfg.read_text(encoding="utf-8") + text, encoding="utf-8")
    return build


def table_bytes(table: str, encode: Callable[[str], bytes]) -> Build:
    """Copy the tiny study and re-encode one table's text."""
    def build(tmp: Path) -> None:
        copy_tiny(tmp)
        path = tmp / "study" / f"{table}.csv"
        path.write_bytes(encode(path.read_text(encoding="utf-8")))
    return build


def edit_table(table: str, edit: Callable[[pd.DataFrame], pd.DataFrame],
               then: Build | None = None) -> Build:
    """Copy the tiny study (or run `then` first), then edit one table as strings."""
    def build(tmp: Path) -> None:
        (then or copy_tiny)(tmp)
        path = tmp / "study" / f"{table}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        edit(df).to_csv(path, index=False)
    return build


def _segment_on_row_3(segment: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """corridors.csv with a `segment` column: `parcel`, but `segment` on data row 3."""
    def edit(df: pd.DataFrame) -> pd.DataFrame:
        seg = ["parcel"] * len(df)
        seg[2] = segment
        return df.assign(segment=seg)
    return edit


def both(*builds: Build) -> Build:
    """Run several builds in order (the first copies the study)."""
    def build(tmp: Path) -> Any:
        held = [b(tmp) for b in builds]
        return held
    return build


def out_is_file(tmp: Path) -> None:
    (tmp / "out").write_text("not a folder\n", encoding="utf-8")


def out_under_file(tmp: Path) -> None:
    (tmp / "blocker").write_text("a file where a folder should be\n", encoding="utf-8")


def out_dangling_symlink(tmp: Path) -> None:
    os.symlink(tmp / "gone", tmp / "out")


def out_read_only(tmp: Path) -> None:
    (tmp / "ro").mkdir()
    (tmp / "ro").chmod(0o555)


def out_symlink_to_dir(tmp: Path) -> None:
    (tmp / "real_out").mkdir()
    os.symlink(tmp / "real_out", tmp / "out")


def stale_temporary(tmp: Path) -> None:
    """A temporary results file from a killed run, an hour old."""
    (tmp / "out").mkdir(exist_ok=True)
    stale = tmp / "out" / ".results.nc.k1ll3d.tmp"
    stale.write_bytes(b"CDF\x01 half written")
    old = stale.stat().st_mtime - 3600
    os.utime(stale, (old, old))


def hold_refresh_lock(tmp: Path) -> Any:
    from netdesign.refresh.lock import RefreshLock
    from netdesign.refresh.store import Store

    store = Store(tmp / "store")
    store.ensure()
    (tmp / "store" / "incoming").mkdir(exist_ok=True)
    lock = RefreshLock(store.lock_path)
    lock.acquire()
    return lock


def hold_sweep_lock(tmp: Path) -> Any:
    from filelock import FileLock

    (tmp / "out" / ".sweep").mkdir(parents=True)
    lock = FileLock(str(tmp / "out" / ".sweep" / "lock"))
    lock.acquire()
    return lock


def history_file(rows: list[tuple[str, str, float]]) -> Build:
    def build(tmp: Path) -> None:
        pd.DataFrame(rows, columns=["series_id", "date", "value"]).to_csv(
            tmp / "hist.csv", index=False)
    return build


def _monthly(sid: str, n: int = 36) -> list[tuple[str, str, float]]:
    return [(sid, d.strftime("%Y-%m-%d"), 100.0 + i)
            for i, d in enumerate(pd.date_range("2021-01-01", periods=n, freq="MS"))]


def _daily(sid: str, n: int = 120) -> list[tuple[str, str, float]]:
    return [(sid, d.strftime("%Y-%m-%d"), 10.0 + i % 7)
            for i, d in enumerate(pd.date_range("2024-01-01", periods=n, freq="D"))]


# -- the rural tier (issue 15): the tiny study with Tonglu's two townships ---------------------
RURAL_CONFIG = {"min_weekly_frequency": 3, "modes": {
    "van": {"capacity_per_departure": 300, "cost_cny_per_departure": 30},
    "bus": {"capacity_per_departure": 30, "cost_cny_per_departure": 8, "timetable": True,
            "tiers": ["village"]}}}


def with_rural(**rural: Any) -> Build:
    """The tiny study with a rural section (`rural` merged into `RURAL_CONFIG`) and its two
    tables: county CO_TONGLU (10 villages), townships T1 (6) and T2 (4)."""
    def build(tmp: Path) -> None:
        edit_config(rural={**RURAL_CONFIG, **rural})(tmp)
        study = tmp / "study"
        pd.DataFrame({"county_node": ["CO_TONGLU"], "name_en": ["Tonglu"], "name_zh": ["桐庐县"],
                      "villages": ["10"], "population": ["1000"], "urban_population": ["300"],
                      "area_km2": ["1829.59"]}).to_csv(study / "rural_counties.csv", index=False)
        pd.DataFrame({"township_id": ["T1", "T2"], "county_node": ["CO_TONGLU", "CO_TONGLU"],
                      "name_en": ["One", "Two"], "name_zh": ["一镇", "二乡"],
                      "villages": ["6", "4"], "trunk_km": ["20", "25"],
                      "village_km": ["5", "6"], "bus_runs_per_week": ["14", ""],
                      "min_weekly_frequency": ["", ""]}).to_csv(
            study / "rural_townships.csv", index=False)
    return build


def rural_table(table: str, edit: Callable[[pd.DataFrame], pd.DataFrame], **rural: Any) -> Build:
    """`with_rural`, then one rural table edited as strings."""
    return edit_table(table, edit, with_rural(**rural))


def _set(row: int, col: str, value: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def edit(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[row, col] = value
        return df
    return edit


def _hourly(n_series: int = 40, hours: int = 650) -> list[tuple[str, str, float]]:
    """40 series x 650 hours = 26,000 rows (the issue's size)."""
    stamps = pd.date_range("2024-01-01", periods=hours, freq="h").strftime("%Y-%m-%d %H:%M")
    return [(f"S{s}", t, 5.0) for s in range(n_series) for t in stamps]


def alias_bomb() -> str:
    """Nine levels of ten aliases each: 10**9 values once expanded ("billion laughs")."""
    lines = ["name: tiny", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


INFEASIBLE = {"service": {"standards_h": {"domestic": 1, "neighbouring": 1, "global": 1},
                          "policy": "forbid"},
              "network": {"allow_unserved": False}}

RUN = ("run", "{cfg}", "--out", "{out}", "--quiet")
VALIDATE = ("validate", "{cfg}")
SWEEP = ("sweep", "{cfg}", "--out", "{out}", "--workers", "0", "--quiet")


def _no_stale_tmp(tmp: Path) -> None:
    assert not list((tmp / "out").glob(".results.nc.*.tmp")), "stale temporary survived"
    assert (tmp / "out" / "results.nc").is_file()


# ---------------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------------
CASES: tuple[Case, ...] = (
    # -- wrong numbers accepted before (#18 item 2) -------------------------------------------
    Case("growth_nan", edit_config(growth_cases={"base": float("nan")}), RUN, 2,
         ("tiny.yaml", "growth_cases.base", "finite")),
    Case("growth_below_minus_one", edit_config(growth_cases={"base": 0.0, "crash": -1.5}),
         VALIDATE, 2, ("growth_cases.crash", "-1.5", "greater than -1")),
    Case("carbon_price_inf", edit_config(scenarios=[{"year": 2025,
                                                     "carbon_price_cny_per_t": float("inf")}]),
         RUN, 2, ("scenarios[0].carbon_price_cny_per_t", "finite")),
    Case("late_penalty_inf", edit_config(service={"late_penalty_cny_per_parcel": float("inf")}),
         RUN, 2, ("service.late_penalty_cny_per_parcel", "finite")),
    Case("days_per_year_inf", edit_config(network={"days_per_year": float("inf")}), VALIDATE, 2,
         ("network.days_per_year", "finite")),
    Case("days_per_year_zero", edit_config(network={"days_per_year": 0}), VALIDATE, 2,
         ("network.days_per_year", "greater than or equal to 1")),
    Case("time_limit_inf", edit_config(solver={"time_limit_s": float("inf")}), SWEEP, 2,
         ("solver.time_limit_s", "finite")),
    # -- planning (#14): the design day is at least the average day, the cap a share ----------
    Case("peak_factor_below_one", edit_config(planning={"peak_factor": 0.5}), VALIDATE, 2,
         ("planning.peak_factor", "0.5", ">= 1")),
    Case("peak_factor_nan", edit_config(planning={"peak_factor": float("nan")}), RUN, 2,
         ("planning.peak_factor", "finite")),
    Case("peak_factor_word", edit_config(planning={"peak_factor": "peak"}), VALIDATE, 2,
         ("planning.peak_factor", "'forecast'")),
    Case("max_utilisation_above_one", edit_config(planning={"max_utilisation": 1.2}), RUN, 2,
         ("planning.max_utilisation", "1.2", "0 < u <= 1")),
    Case("max_utilisation_nan", edit_config(planning={"max_utilisation": float("nan")}),
         VALIDATE, 2, ("planning.max_utilisation", "finite")),
    Case("mode_share_min_above_max",
         edit_config(policies={"none": {}, "p": {"mode_share": {"rail": {"min": 0.6,
                                                                          "max": 0.4}}}}),
         VALIDATE, 2, ("policies.p.mode_share.rail", "min <= max")),
    Case("mode_share_floors_above_one",
         edit_config(policies={"none": {}, "p": {"mode_share": {"rail": {"min": 0.6},
                                                                "road": {"min": 0.6}}}}),
         RUN, 2, ("policies.p", "sum to at most 1")),
    Case("mode_share_floor_for_absent_mode",
         edit_table("links", lambda df: df[df["mode"] != "water"],
                    edit_config(policies={"none": {}, "blue": {"mode_share": {
                        "water": {"min": 0.1}}}})),
         RUN, 2, ("policies.blue.mode_share.water.min", "no line-haul link", "links.csv")),
    Case("hub_cap_unknown_hub",
         edit_config(policies={"none": {}, "cap": {"hub_capacity_cap": {"HUB_XIAONAN": 1000}}}),
         VALIDATE, 2, ("policies.cap.hub_capacity_cap.HUB_XIAONAN", "hub_id listed in",
                       "hubs.csv", "HUB_HZ")),
    Case("hub_cap_unknown_hub_sweep",
         edit_config(policies={"none": {}, "cap": {"hub_capacity_cap": {"HUB_XIAONAN": 1000}}}),
         SWEEP, 2, ("HUB_XIAONAN", "hub_id listed in")),
    Case("service_class_without_standard",
         edit_config(service={"standards_h": {"domestic": 24, "neighbouring": 48}}), VALIDATE, 0,
         ("warning", "service.standards_h", "a standard for service class 'global'",
          "never late", "OK:")),
    # -- into factories (issue 15): corridor segments against `segments:` -----------------------
    Case("corridor_segment_undefined",
         edit_table("corridors", _segment_on_row_3("pallets")), VALIDATE, 2,
         ("corridors.csv", "row 3 (corridor_id 'HZ_XIHU>CITY_TOKYO')", "segment",
          "'pallets'", "segments:")),
    Case("corridor_segment_undefined_run",
         edit_table("corridors", _segment_on_row_3("pallets")), RUN, 2,
         ("corridors.csv", "row 3", "'pallets'")),
    Case("park_segment_without_weight",
         edit_config(segments={"parcel": {}, "parts": {"park_flow": "inbound"}}), RUN, 2,
         ("tiny.yaml", "segments.parts.weight_kg", "park_flow")),
    Case("park_segment_not_at_a_park",
         edit_table("corridors", _segment_on_row_3("orders"), edit_config(segments={
             "parcel": {}, "orders": {"park_flow": "outbound", "weight_kg": 5.0}})),
         VALIDATE, 2, ("corridors.csv", "row 3 (corridor_id 'HZ_XIHU>CITY_TOKYO')", "origin",
                       "'HZ_XIHU'", "industrial_park")),
    Case("duplicate_yaml_key", append_config("network: {allow_unserved: false}\n"), VALIDATE, 2,
         ("tiny.yaml", "'network' given twice", "line")),
    Case("duplicate_nested_key", config_text("name: tiny\ndata: {dir: ., dir: /etc}\n"), RUN, 2,
         ("'dir' given twice",)),
    # -- hostile YAML (#18 item 8) --------------------------------------------------------------
    Case("alias_bomb", config_text(alias_bomb()), VALIDATE, 2, ("aliases", "at most 100,000")),
    Case("alias_bomb_run", config_text(alias_bomb()), RUN, 2, ("aliases",)),
    Case("recursive_alias", config_text("name: tiny\nx: &x [*x]\n"), VALIDATE, 2,
         ("tiny.yaml", "aliases")),
    Case("config_too_large", config_text("name: tiny\n" + "# padding\n" * 250_000), VALIDATE, 2,
         ("at most 2,000,000 bytes",)),
    Case("python_tag", config_text("name: !!python/object/apply:os.system ['touch pwned']\n"),
         VALIDATE, 2, ("valid YAML",), check=lambda tmp: _not_exists(tmp / "pwned")),
    Case("gbk_config", config_text("name: tiny\ntitle: {zh: 杭州快递网络}\n".encode("gbk")),
         VALIDATE, 2, ("tiny.yaml", "line 2", "not UTF-8", "GBK", "save it as UTF-8")),
    Case("utf16_config", config_text("name: tiny\n".encode("utf-16")), RUN, 2,
         ("not UTF-8", "UTF-16")),
    Case("config_is_folder", copy_tiny, ("validate", "{study}"), 2, ("an existing YAML file",)),
    Case("config_missing", copy_tiny, ("run", "{tmp}/nope.yaml", "--out", "{out}"), 2,
         ("nope.yaml", "an existing YAML file")),
    Case("config_empty", config_text(""), VALIDATE, 2, ("a YAML mapping",)),
    Case("config_top_level_list", config_text("- name: tiny\n"), VALIDATE, 2, ("(top level)",)),
    Case("yaml_syntax_error", config_text("name: tiny\nsolver: {time_limit_s: 30\n"), VALIDATE,
         2, ("line 3", "valid YAML")),
    Case("unknown_key", append_config("solvr: {threads: 2}\n"), RUN, 2, ("solvr", "no such key")),
    Case("wrong_type", edit_config(solver={"time_limit_s": "fast"}), RUN, 2,
         ("solver.time_limit_s", "'fast'")),
    Case("unknown_policy", edit_config(scenarios=[{"year": 2025, "policy": "green"}]), RUN, 2,
         ("scenarios[0].policy", "'green'", "policies")),
    # -- encodings and broken tables --------------------------------------------------------
    Case("gbk_table", table_bytes("nodes", lambda t: t.encode("gbk")), VALIDATE, 2,
         ("nodes.csv", "row 1 (line 2)", "GBK", "save it as UTF-8")),
    Case("gbk_table_run", table_bytes("nodes", lambda t: t.encode("gbk")), RUN, 2,
         ("nodes.csv", "GBK")),
    Case("utf16_table", table_bytes("hubs", lambda t: t.encode("utf-16")), VALIDATE, 2,
         ("hubs.csv", "UTF-16")),
    Case("latin1_table", table_bytes("links", lambda t: t.encode() + "X,é\n".encode("latin-1")),
         VALIDATE, 2, ("links.csv", "row 27 (line 28)", "not UTF-8", "Windows-1252")),
    Case("empty_table", table_bytes("hubs", lambda t: b""), VALIDATE, 2,
         ("hubs.csv", "header row")),
    Case("binary_table", table_bytes("corridors", lambda t: bytes(range(256)) * 4), VALIDATE, 2,
         ("corridors.csv",)),
    Case("missing_column", edit_table("hubs", lambda df: df.drop(columns=["transfer_modes"])),
         RUN, 2, ("hubs.csv", "header", "transfer_modes")),
    Case("negative_capacity", edit_table("hubs", lambda df: df.assign(
        capacity_parcels_per_day=df["capacity_parcels_per_day"].where(
            df["hub_id"] != "AIR_HGH", "-10000"))), SWEEP, 2,
         ("hubs.csv", "row 2 (hub_id 'AIR_HGH')", "capacity_parcels_per_day", ">= 0")),
    Case("markup_in_table_value", edit_table("hubs", lambda df: df.assign(
        transfer_modes=df["transfer_modes"].where(df["hub_id"] != "HUB_HZ", "XIAONAN[bold]2"))),
         VALIDATE, 2, ("'XIAONAN[bold]2'", "transfer_modes")),
    Case("duplicate_ids", edit_table("corridors", lambda df: pd.concat([df, df.iloc[[0]]])),
         RUN, 2, ("corridors.csv", "row 11", "a unique corridor_id")),
    # -- scenario names (#18 item 4) ----------------------------------------------------------
    Case("name_path_traversal", edit_config(scenarios=[{"year": 2025, "name": "../../../x"}]),
         ("run", "{cfg}", "--out", "{out}", "--save-lp", "--quiet"), 2,
         ("scenarios[0].name", "'../../../x'", "letters, digits")),
    Case("name_hidden_file", edit_config(scenarios=[{"year": 2025, "name": ".hidden"}]), RUN, 2,
         ("scenarios[0].name", "not starting with '.'")),
    Case("name_markup", edit_config(scenarios=[{"year": 2025, "name": "[/x]"}]), RUN, 2,
         ("'[/x]'", "scenarios[0].name")),
    Case("name_script", edit_config(scenarios=[{"year": 2025,
                                                 "name": "<script>alert(1)</script>"}]),
         VALIDATE, 2, ("'<script>alert(1)</script>'",)),
    Case("name_duplicate", edit_config(scenarios=[{"year": 2025, "name": "a"},
                                                  {"year": 2030, "name": "a"}]), RUN, 2,
         ("scenarios[1]", "a unique scenario name", "scenarios[0]")),
    Case("name_duplicate_derived", edit_config(scenarios=[{"year": 2025}, {"year": 2025}]),
         VALIDATE, 2, ("scenarios[1]", "'2025_g-base_c-base_co2-0_p-none'", "unique")),
    Case("sweep_name_unsafe", edit_config(sweep={"scenarios": [{"year": 2025,
                                                                "name": "a/b"}]}), SWEEP, 2,
         ("sweep.scenarios[0].name", "'a/b'")),
    Case("sweep_axis_value_inf", edit_config(sweep={"axes": {"carbon_price_cny_per_t":
                                                             [0, float("inf")]}}),
         VALIDATE, 2, ("sweep.axes.carbon_price_cny_per_t[1]", "finite")),
    Case("sweep_duplicate_names", edit_config(sweep={"axes": {"year": [2025]}, "scenarios": [
        {"year": 2025}]}), VALIDATE, 2, ("sweep.scenarios[0]", "unique scenario name")),
    # -- output folders (#18 item 8) ----------------------------------------------------------
    Case("out_is_file", both(copy_tiny, out_is_file), RUN, 2, ("--out", "not a file")),
    Case("out_under_file", both(copy_tiny, out_under_file),
         ("run", "{cfg}", "--out", "{tmp}/blocker/out"), 2, ("blocker", "is a file")),
    Case("out_dangling_symlink", both(copy_tiny, out_dangling_symlink), RUN, 2,
         ("symlink",)),
    Case("out_read_only", both(copy_tiny, out_read_only),
         ("run", "{cfg}", "--out", "{tmp}/ro/out"), 2, ("ro", "write to"),
         skip_as_root=True),
    Case("sweep_out_is_file", both(copy_tiny, out_is_file), SWEEP, 2, ("--out", "not a file")),
    Case("forecast_out_is_folder", both(history_file(_monthly("A")),
                                        lambda tmp: (tmp / "out").mkdir()),
         ("forecast", "{tmp}/hist.csv", "-h", "3", "--out", "{out}"), 2,
         ("--out", "not a folder")),
    # -- locks --------------------------------------------------------------------------------
    Case("refresh_locked", both(copy_tiny, hold_refresh_lock),
         ("refresh", "{cfg}", "--store", "{tmp}/store"), 3, ("refresh",),
         writes=("store/logs/*",)),  # the held lock's own files exist before
    Case("sweep_locked", both(copy_tiny, hold_sweep_lock), SWEEP, 3, ("another sweep",)),
    Case("refresh_bad_config", edit_config(growth_cases={"base": float("inf")}),
         ("refresh", "{cfg}", "--store", "{tmp}/store"), 2, ("growth_cases.base", "finite")),
    Case("refresh_unknown_hub",
         edit_config(policies={"none": {}, "cap": {"hub_capacity_cap": {"NOWHERE": 5}}}),
         ("refresh", "{cfg}", "--store", "{tmp}/store"), 2, ("NOWHERE", "hub_id listed in"),
         writes=("store/*",)),  # store skeleton and the failed run's log
    # -- forecast command (#18 item 7) ----------------------------------------------------------
    Case("forecast_mixed_frequencies", history_file(_monthly("A") + _monthly("B") + _daily("C")),
         ("forecast", "{tmp}/hist.csv", "-h", "3", "--out", "{out}"), 2,
         ("monthly (2): A, B", "daily (1): C", "one frequency")),
    Case("forecast_hourly", history_file(_hourly()),
         ("forecast", "{tmp}/hist.csv", "-h", "3", "--out", "{out}"), 2,
         ("1 problem(s)", "sub-daily", "aggregate", "first: row 2")),
    Case("forecast_gbk", lambda tmp: (tmp / "hist.csv").write_bytes(
        "series_id,date,value\n杭州,2024-01-01,5\n".encode("gbk")),
         ("forecast", "{tmp}/hist.csv", "-h", "3", "--out", "{out}"), 2,
         ("hist.csv", "row 1", "GBK")),
    # -- the rural tier (#15): bad rural tables and frequencies -------------------------------
    Case("rural_ok", with_rural(), VALIDATE, 0, ("OK:",)),
    Case("rural_township_unknown_county",
         rural_table("rural_townships", _set(1, "county_node", "CO_NOWHERE")), RUN, 2,
         ("rural_townships.csv", "row 2", "township_id 'T2'", "county_node", "CO_NOWHERE",
          "CO_TONGLU")),
    Case("rural_county_unknown_node",
         rural_table("rural_counties", _set(0, "county_node", "CO_ATLANTIS")), VALIDATE, 2,
         ("rural_counties.csv", "row 1", "county_node", "CO_ATLANTIS", "nodes table")),
    Case("rural_township_frequency_zero",
         rural_table("rural_townships", _set(0, "min_weekly_frequency", "0")), RUN, 2,
         ("rural_townships.csv", "row 1", "min_weekly_frequency", "between 1 and 14")),
    Case("rural_township_bus_runs_15",
         rural_table("rural_townships", _set(0, "bus_runs_per_week", "15")), RUN, 2,
         ("rural_townships.csv", "row 1", "bus_runs_per_week", "15", "between 0 and 14")),
    Case("rural_villages_do_not_add_up",
         rural_table("rural_townships", _set(1, "villages", "3")), VALIDATE, 2,
         ("rural_counties.csv", "row 1", "villages", "sum of its townships' villages")),
    Case("rural_config_frequency_zero", with_rural(min_weekly_frequency=0), RUN, 2,
         ("rural.min_weekly_frequency", "greater than or equal to 1")),
    Case("rural_config_timetable_15",
         with_rural(modes={"van": RURAL_CONFIG["modes"]["van"], "bus": {
             **RURAL_CONFIG["modes"]["bus"], "max_departures_per_week": 15}}), RUN, 2,
         ("rural.modes.bus.max_departures_per_week", "less than or equal to 14")),
    Case("rural_table_missing", both(with_rural(), lambda tmp: (
        tmp / "study" / "rural_townships.csv").unlink()), RUN, 2,
         ("rural_townships.csv", "an existing CSV file")),
    # -- run exit codes (#18 item 5) ----------------------------------------------------------
    Case("run_all_infeasible", both(edit_config(**INFEASIBLE), stale_temporary), RUN, 4,
         ("2 of 2 scenario(s) have no design", "infeasible", "no admissible path",
          "2025_g-base_c-base_co2-0_p-none", "2030_g-base_c-base_co2-0_p-none"),
         writes=("out/*", "out/.*"), check=_no_stale_tmp),
    # -- evaluate and stress (#17): bad draws and disruptions, exit 2, nothing written --------
    Case("evaluate_zero_draws", copy_tiny, ("evaluate", "{tmp}", "--scenarios", "0", "--out",
                                            "{out}"), 2, ("--scenarios", "0", ">= 1")),
    Case("evaluate_negative_draws", copy_tiny, ("evaluate", "{tmp}", "-n", "-3", "--out",
                                                "{out}"), 2, ("--scenarios", "-3", ">= 1")),
    Case("disruption_unknown_hub",
         edit_config(disruptions={"storm": {"hubs": ["NOWHERE"], "days": 2}}), VALIDATE, 2,
         ("tiny.yaml", "disruptions.storm.hubs[0]", "NOWHERE", "hubs.csv")),
    Case("disruption_unknown_link",
         edit_config(disruptions={"cut": {"links": ["NO-LINK"], "days": 1}}), VALIDATE, 2,
         ("disruptions.cut.links[0]", "NO-LINK", "links.csv")),
    Case("disruption_zero_days",
         edit_config(disruptions={"storm": {"hubs": ["HUB_HZ"], "days": 0}}), VALIDATE, 2,
         ("disruptions.storm.days", "greater than or equal to 1")),
    Case("stress_unknown_disruption_name",
         edit_config(disruptions={"storm": {"hubs": ["HUB_HZ"], "days": 1}}),
         ("stress", "{tmp}", "--config", "{cfg}", "--disruptions", "flood", "--out", "{out}"),
         2, ("--disruptions", "flood", "storm")),
)


def _not_exists(path: Path) -> None:
    assert not path.exists(), f"{path} was created"
