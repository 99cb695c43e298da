"""Read the five network tables (CSV or Parquet) into a validated `Network`.

`read_table` parses one file against its column spec (`schema.TABLES`): presence of the
required columns, types, bounds and enum values. `load_network` reads all five, builds the
normalised `Network` (see `network.py`), runs the cross-table rules of `validate.py` and
raises `InputError` listing every problem in every file at once.

Row numbers in messages are 1-based data rows, header excluded: ``row N`` of a CSV file is
line N + 1.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.resources
import logging
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.config.schema import StudyConfig
from netdesign.data.config_rules import check_config_against_data
from netdesign.data.network import Network
from netdesign.data.rural import read_rural
from netdesign.data.schema import TABLES, Column
from netdesign.data.validate import (
    ROW_KEYS,
    check_column_values,
    row_problems,
    validate_network,
)
from netdesign.errors import InputError, Problem
from netdesign.textfiles import decode_utf8

log = logging.getLogger(__name__)

_MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
MONTH_EXPECTED = "a calendar month formatted YYYY-MM (e.g. 2019-01)"


def resolve_data_dir(cfg: StudyConfig) -> Path:
    """The data folder of a study: ``package:NAME`` -> netdesign/data/default/NAME (shipped
    inside the package); otherwise `cfg.data.dir`, relative to the config file's folder."""
    d = cfg.data.dir
    if d.startswith("package:"):
        name = d.split(":", 1)[1].strip()
        root = importlib.resources.files("netdesign.data") / "default" / name
        return Path(str(root))
    path = Path(d).expanduser()
    if not path.is_absolute():
        path = (cfg.config_dir or Path.cwd()) / path
    return path


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working folder when below it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) \
            else str(path)
    except (ValueError, OSError):
        return str(path)


# ---------------------------------------------------------------------------------------------
# one table
# ---------------------------------------------------------------------------------------------
def _read_raw(path: Path, source: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        return None, [Problem(source, "(file)", None, None, "an existing CSV or Parquet file")]
    try:
        if suffix == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:
            return None, [Problem(source, "(file)", None, suffix or path.name,
                                  "a file ending in .csv, .parquet or .pq")]
    except UnicodeDecodeError:  # name the row and the likely encoding
        _, problem = decode_utf8(path.read_bytes(), source, table=True)
        return None, [problem or Problem(source, "(file)", None, None, "UTF-8 encoded text")]
    except pd.errors.EmptyDataError:
        return None, [Problem(source, "(file)", None, "an empty file",
                              "a header row naming the columns")]
    except Exception as exc:  # noqa: BLE001 - parser/IO errors of pandas or pyarrow
        return None, [Problem(source, "(file)", None, None,
                              f"a readable {suffix.lstrip('.')} table ({exc})".strip())]
    df.columns = [str(c).strip() for c in df.columns]
    return df.reset_index(drop=True), []


def _parse_str(s: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    clean = np.array([None] + [str(u).strip() or None for u in uniques], dtype=object)
    return pd.Series(clean[codes + 1], index=s.index, dtype=object)


def _parse_number(s: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    """Floats (NaN = missing) and the mask of values that are present but not numbers."""
    if s.dtype.kind in "fiu":
        v = s.astype(float)
        bad = ~np.isfinite(v.to_numpy()) & v.notna().to_numpy()
    elif s.dtype.kind == "b":
        v, bad = pd.Series(np.nan, index=s.index), s.notna().to_numpy()
    else:
        v, bad = _parse_number_text(s)
    if col.dtype == "int":
        arr = v.to_numpy()
        with np.errstate(invalid="ignore"):
            bad = bad | (np.isfinite(arr) & (arr != np.round(arr)))
    v = v.where(~bad)
    return v, bad


def _parse_number_text(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Numbers from text. Fast path: Python's float() on every value (accepts surrounding
    blanks); on any unparseable value, the element-wise path finds which ones."""
    blank = (s.isna() | (s == "")).to_numpy()
    try:
        arr = np.array(s.where(~blank, "nan").to_numpy(), dtype=float)
    except (ValueError, TypeError):
        text = s.astype(object).where(s.notna(), "").astype(str).str.strip()
        blank = (text == "").to_numpy()
        arr = pd.to_numeric(text.where(~blank), errors="coerce").to_numpy(dtype=float)
    bad = ~blank & ~np.isfinite(arr)
    return pd.Series(arr, index=s.index), bad


def _parse_bool(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if s.dtype.kind == "b":
        return s.astype("boolean"), np.zeros(len(s), dtype=bool)
    text = _parse_str(s)
    low = text.str.lower()
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(_TRUE).to_numpy()] = True
    out[low.isin(_FALSE).to_numpy()] = False
    bad = text.notna().to_numpy() & out.isna().to_numpy()
    return out, bad


def parse_months(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """``YYYY-MM`` strings (or month-start timestamps / monthly periods from Parquet) ->
    monthly ``pd.Period`` values, NaT where missing, and the mask of non-month values."""
    if isinstance(s.dtype, pd.PeriodDtype) and s.dtype.freqstr.startswith("M"):
        return s, np.zeros(len(s), dtype=bool)
    if s.dtype.kind == "M":
        ts = s.dt
        bad = s.notna().to_numpy() & ((ts.day != 1) | (ts.normalize() != s)).to_numpy()
        out = s.where(~bad).dt.to_period("M")
        return out, bad
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    parsed, bad_u = [], []
    for u in uniques:
        text = str(u).strip()
        ok = bool(_MONTH_RE.fullmatch(text))
        bad_u.append(not ok and text != "")
        parsed.append(pd.Period(text, "M") if ok else pd.NaT)
    lookup = pd.array([pd.NaT] + parsed, dtype="period[M]")
    out = pd.Series(lookup[codes + 1], index=s.index)
    bad = np.concatenate([[False], np.array(bad_u, dtype=bool)])[codes + 1]
    return out, bad


def _empty_column(col: Column, index: pd.Index) -> pd.Series:
    if col.dtype in ("float", "int"):
        return pd.Series(np.nan, index=index, dtype=float)
    if col.dtype == "bool":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    return pd.Series(None, index=index, dtype=object)


def read_table(path: Path, table: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one network table and check it against `schema.TABLES[table]`.

    Returns the typed table (rows in file order, RangeIndex; strings as ``object``, numbers
    as float with NaN for missing, booleans as pandas ``boolean``, history ``month`` as
    monthly ``pd.Period``) and the problems found. Unparseable values become missing and are
    reported once. If the file cannot be read, the frame is empty with the schema's columns.
    """
    path = Path(path)
    source = display_path(path)
    spec = TABLES[table]
    raw, problems = _read_raw(path, source)
    if raw is None:
        return pd.DataFrame({c.name: pd.Series(dtype=object) for c in spec}), problems
    known = {c.name for c in spec}
    for name in raw.columns:
        if name not in known:
            problems.append(Problem(source, "header", name, name,
                                    f"one of the columns {', '.join(c.name for c in spec)}; "
                                    "this column is ignored", "warning"))
    out = pd.DataFrame(index=raw.index)
    skip: dict[str, np.ndarray] = {}
    key_col = ROW_KEYS[table]
    for col in spec:
        if col.name not in raw.columns:
            if col.required:
                problems.append(Problem(source, "header", col.name, None,
                                        f"a column named {col.name!r} ({col.doc.rstrip('.')})"))
            out[col.name] = _empty_column(col, raw.index)
            skip[col.name] = np.ones(len(raw), dtype=bool)  # reported once, at the header
            continue
        s = raw[col.name]
        bad = np.zeros(len(s), dtype=bool)
        if table == "history" and col.name == "month":
            out[col.name], bad = parse_months(s)
            expected = MONTH_EXPECTED
        elif col.dtype in ("float", "int"):
            out[col.name], bad = _parse_number(s, col)
            expected = "a whole number" if col.dtype == "int" else "a number"
            expected += f" ({col.doc.rstrip('.')})"
        elif col.dtype == "bool":
            out[col.name], bad = _parse_bool(s)
            expected = "true or false (or empty)"
        else:
            out[col.name] = _parse_str(s)
            expected = ""
        if bad.any():
            frame = out.assign(**{key_col: _parse_str(raw[key_col])}) \
                if key_col and key_col in raw.columns and key_col not in out else out
            problems += row_problems(source, frame, bad, col.name, expected, key_col,
                                     values=s.to_numpy())
        skip[col.name] = bad
    problems += check_column_values(out, table, source, skip)
    return out, problems


# ---------------------------------------------------------------------------------------------
# the whole network
# ---------------------------------------------------------------------------------------------
def build_network(frames: dict[str, pd.DataFrame], source: str = "",
                  version: str = "") -> Network:
    """Normalise the five typed tables (from `read_table`) into a `Network`."""
    nodes = frames["nodes"].set_index("node_id")
    nodes["rural"] = nodes["rural"].astype("boolean").fillna(False).astype(bool)
    links = frames["links"].set_index("link_id")
    links["min_weekly_frequency"] = links["min_weekly_frequency"].astype(float)
    hubs = frames["hubs"].set_index("hub_id")
    hubs["transfer_modes"] = [
        tuple(m.strip() for m in v.split("|") if m.strip()) if isinstance(v, str) else ()
        for v in hubs["transfer_modes"]]
    hubs["fixed_cost_cny_per_year"] = hubs["fixed_cost_cny_per_year"].fillna(0.0)
    hubs["optional"] = hubs["optional"].astype("boolean").fillna(False).astype(bool)
    hubs["customs_h"] = hubs["customs_h"].fillna(0.0)
    hubs["max_modules"] = hubs["max_modules"].astype(float)
    corridors = frames["corridors"].set_index("corridor_id")
    history = frames["history"][["corridor_id", "month", "parcels"]].reset_index(drop=True)
    return Network(nodes=nodes, links=links, hubs=hubs, corridors=corridors, history=history,
                   source=source, version=version)


def _data_version(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:12]


def _dedupe(first: list[Problem], more: list[Problem]) -> list[Problem]:
    """`more` without the problems `first` already reports (same file, location and field,
    or a missing column)."""
    seen = {(p.source, p.location, p.field) for p in first}
    missing_cols = {(p.source, p.field) for p in first if p.location == "header"}
    return [p for p in more if (p.source, p.location, p.field) not in seen
            and (p.source, p.field) not in missing_cols]


def _collect(cfg: StudyConfig) -> tuple[Network | None, list[Problem], list[Problem]]:
    data_dir = resolve_data_dir(cfg)
    if not data_dir.is_dir():
        return None, [Problem(f"study config '{cfg.name}'", "data.dir", "dir", cfg.data.dir,
                              f"an existing data folder (resolved to {data_dir})")], []
    frames: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    paths: list[Path] = []
    read_problems: list[Problem] = []
    for table in TABLES:
        path = data_dir / getattr(cfg.data, table)
        df, probs = read_table(path, table)
        frames[table], sources[table] = df, display_path(path)
        paths.append(path)
        read_problems += probs
    if any(p.location == "(file)" or p.field is None and p.expected.startswith("UTF-8")
           for p in read_problems):
        return None, read_problems, []
    label = cfg.data.dir if cfg.data.dir.startswith("package:") else str(data_dir.resolve())
    rural, rural_problems = None, []
    if cfg.rural is not None:
        rural, rural_problems = read_rural(
            data_dir, cfg.rural.counties, cfg.rural.townships, frames["nodes"].set_index(
                "node_id").assign(rural=lambda f: f["rural"].astype("boolean").fillna(False)),
            display_path)
        paths += [p for p in (data_dir / cfg.rural.counties, data_dir / cfg.rural.townships)
                  if p.is_file()]
    net = build_network(frames, label, _data_version(paths))
    if rural is not None:
        net = dataclasses.replace(net, rural=rural)
    rule_problems = validate_network(net, sources, check_values=False,
                                     max_linehaul_legs=cfg.network.max_linehaul_legs)
    rule_problems += check_config_against_data(cfg, net, sources)
    rule_problems += rural_problems
    return net, read_problems, _dedupe(read_problems, rule_problems)


def collect_network(cfg: StudyConfig) -> tuple[Network | None, list[Problem]]:
    """Read and validate the study's network data without raising.

    Returns the Network (None when a file is missing or unreadable) and every problem found
    in every file, errors and warnings.
    """
    net, read_problems, rule_problems = _collect(cfg)
    return net, read_problems + rule_problems


def load_network(cfg: StudyConfig, *, strict: bool = True) -> Network:
    """Read the five tables of `cfg.data`, validate them and return the `Network`.

    strict=True: any error raises `InputError` listing all problems across the files.
    strict=False: problems found by the cross-table rules (`validate_network`) are logged as
    warnings and the Network is returned anyway (for inspecting broken data, not for
    solving); problems that make a table unusable (missing file or column, unparseable or
    out-of-range values) still raise. Warnings are logged in both modes.
    """
    net, read_problems, rule_problems = _collect(cfg)
    headline = f"invalid network data in {display_path(resolve_data_dir(cfg))}"
    if net is None:
        raise InputError(read_problems, headline)
    fatal = read_problems + (rule_problems if strict else [])
    if any(p.severity == "error" for p in fatal):
        raise InputError(read_problems + rule_problems, headline)
    for p in read_problems + rule_problems:
        log.warning("%s%s", "" if p.severity == "warning" else "(not strict) ", p)
    return net
