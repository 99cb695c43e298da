"""Validation of incoming volume rows before they are merged into the history.

Each rule reports every offending row as a `Problem` naming the file and the 1-based data
row (header excluded): unknown or missing corridors, missing, non-numeric or negative parcels,
unparseable months, months after the current month, a corridor-month given twice in the
incoming files, and a month whose parcels differ from the corridor's recent level by more
than `implausible_factor` (up or down). Revisions of months already in the history are
allowed and reported as warnings.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from netdesign.errors import Problem
from netdesign.refresh.history import corridor_start_keys, lookup_keys
from netdesign.refresh.ingest import VolumeFile

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")
CLEAN_COLUMNS = ["corridor_id", "month", "parcels", "source", "row"]


def parse_month(value: object) -> pd.Period | None:
    """A calendar month from ``YYYY-MM`` (or a date, a Timestamp, a Period); None if invalid."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).to_period("M")
    m = _MONTH_RE.match(str(value))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return pd.Period(year=year, month=month, freq="M")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _parse_parcels(value: object) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _unknown_corridor_hint(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"a corridor id listed in the study's corridors table ({len(known)} known){hint}"


def check_rows(vf: VolumeFile, raw: pd.DataFrame, known: set[str], known_sorted: list[str],
               current_month: pd.Period) -> tuple[pd.DataFrame, list[Problem]]:
    """Row-level checks of one file. Returns the valid rows (clean columns) and problems."""
    src = str(vf.path)
    problems: list[Problem] = []
    keep = []
    for corridor, month_raw, parcels_raw, row in raw.itertuples(index=False, name=None):
        loc = f"row {row}"
        ok = True
        if _is_missing(corridor):
            problems.append(Problem(src, loc, "corridor", None, "a corridor id"))
            ok = False
        else:
            corridor = str(corridor).strip()
            if corridor not in known:
                problems.append(Problem(src, loc, "corridor", corridor,
                                        _unknown_corridor_hint(corridor, known_sorted)))
                ok = False
        month = None
        if _is_missing(month_raw):
            problems.append(Problem(src, loc, "month", None, "a month as YYYY-MM"))
            ok = False
        else:
            month = parse_month(month_raw)
            if month is None:
                problems.append(Problem(src, loc, "month", str(month_raw), "a month as YYYY-MM"))
                ok = False
            elif month > current_month:
                problems.append(Problem(src, loc, "month", str(month),
                                        f"a month no later than the current month "
                                        f"{current_month} (months in the future have no "
                                        f"volumes yet)"))
                ok = False
        if _is_missing(parcels_raw):
            problems.append(Problem(src, loc, "parcels", None,
                                    "a number of parcels (parcels/month); leave the row out "
                                    "if the month is not known"))
            ok = False
        else:
            parcels = _parse_parcels(parcels_raw)
            if parcels is None or not math.isfinite(parcels):
                problems.append(Problem(src, loc, "parcels", parcels_raw,
                                        "a finite number of parcels (parcels/month)"))
                ok = False
            elif parcels < 0:
                problems.append(Problem(src, loc, "parcels", parcels_raw,
                                        "a number of parcels >= 0 (parcels/month)"))
                ok = False
        if ok:
            keep.append((corridor, month, parcels, vf.name, int(row)))
    clean = pd.DataFrame(keep, columns=CLEAN_COLUMNS)
    return clean, problems


def check_duplicates(rows: pd.DataFrame, paths: dict[str, str]) -> list[Problem]:
    """A corridor-month given more than once across the incoming files (each repeat reported)."""
    problems = []
    dup = rows.duplicated(["corridor_id", "month"], keep=False)
    for (corridor, month), grp in rows[dup].groupby(["corridor_id", "month"], sort=True):
        first = grp.iloc[0]
        for rec in grp.iloc[1:].itertuples(index=False):
            problems.append(Problem(
                paths[rec.source], f"row {rec.row}", "month", str(month),
                f"each corridor-month once; corridor {corridor!r} {month} is also given in "
                f"{paths[first.source]} row {first.row}"))
    return problems


def recent_levels(history: pd.DataFrame, rows: pd.DataFrame, recent_months: int) -> pd.Series:
    """Median parcels/month of the last `recent_months` history months before each row's month.

    NaN where the corridor has no history before that month. Indexed like `rows`.
    """
    out = pd.Series(np.nan, index=rows.index, dtype=float)
    hist = history.dropna(subset=["parcels"])
    if hist.empty or rows.empty:
        return out
    rows = rows.assign(month=pd.PeriodIndex(rows["month"], freq="M"))
    hkeys, values, rkeys, rcode = lookup_keys(hist, rows)
    end = np.searchsorted(hkeys, rkeys, side="left")          # first month >= the row's month
    start = np.searchsorted(hkeys, corridor_start_keys(rcode), side="left")
    idx = end[:, None] - recent_months + np.arange(recent_months)[None, :]
    valid = (idx >= start[:, None]) & (rcode[:, None] >= 0)
    window = np.where(valid, values[np.clip(idx, 0, len(values) - 1)], np.nan)
    has = valid.any(axis=1)
    if has.any():
        out.iloc[np.flatnonzero(has)] = np.nanmedian(window[has], axis=1)
    return out


def check_plausible(rows: pd.DataFrame, history: pd.DataFrame, paths: dict[str, str],
                    factor: float, recent_months: int) -> list[Problem]:
    """Rows whose parcels differ from the corridor's recent level by more than `factor`.

    A corridor with no history before the month, or a recent level of 0, is not checked.
    """
    levels = recent_levels(history, rows, recent_months)
    problems = []
    for idx, rec in zip(rows.index, rows.itertuples(index=False), strict=True):
        level = levels[idx]
        if not (level > 0):
            continue
        ratio = rec.parcels / level
        if ratio > factor or ratio < 1.0 / factor:
            problems.append(Problem(
                paths[rec.source], f"row {rec.row}", "parcels", rec.parcels,
                f"a value within a factor {factor:g} of the recent level of corridor "
                f"{rec.corridor_id}: {level:,.0f} parcels/month (median of up to "
                f"{recent_months} months before {rec.month}); it is {ratio:.3g}x that level (raise "
                f"refresh.implausible_factor if the change is genuine)"))
    return problems


def revision_warnings(rows: pd.DataFrame, history: pd.DataFrame,
                      paths: dict[str, str]) -> list[Problem]:
    """One warning per file that changes months already in the history."""
    if rows.empty or history.empty:
        return []
    rows = rows.assign(month=pd.PeriodIndex(rows["month"], freq="M"))
    hkeys, values, rkeys, rcode = lookup_keys(history, rows)
    pos = np.clip(np.searchsorted(hkeys, rkeys), 0, len(hkeys) - 1)
    found = (hkeys[pos] == rkeys) & (rcode >= 0)
    prev = np.where(found, values[pos], np.nan)
    new = rows["parcels"].to_numpy(float)
    changed = found & ~np.isclose(prev, new, rtol=0, atol=1e-9, equal_nan=False)
    out = []
    sub = rows[changed].assign(previous=prev[changed])
    for source, grp in sub.groupby("source", sort=True):
        first = grp.iloc[0]
        out.append(Problem(
            paths[source], f"row {first.row}", "parcels", first.parcels,
            f"new months only; this file revises {len(grp)} month(s) already in the history "
            f"(e.g. {first.corridor_id} {first.month}: {first.previous:g} -> "
            f"{first.parcels:g}); revisions are applied", severity="warning"))
    return out


def check_volumes(
    files: Iterable[tuple[VolumeFile, pd.DataFrame]],
    corridors: Iterable[str],
    history: pd.DataFrame,
    *,
    current_month: pd.Period,
    implausible_factor: float,
    recent_months: int,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate the rows of all incoming files together.

    history: the history before this batch (corridor_id, month Period, parcels/month).
    Returns the clean rows (corridor_id, month Period, parcels float, source file name, row)
    and every problem found (errors and warnings).
    """
    known_sorted = sorted(str(c) for c in corridors)
    known = set(known_sorted)
    problems: list[Problem] = []
    parts = []
    paths: dict[str, str] = {}
    for vf, raw in files:
        paths[vf.name] = str(vf.path)
        clean, probs = check_rows(vf, raw, known, known_sorted, current_month)
        problems += probs
        parts.append(clean)
    rows = (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=CLEAN_COLUMNS))
    problems += check_duplicates(rows, paths)
    problems += check_plausible(rows, history, paths, implausible_factor, recent_months)
    problems += revision_warnings(rows, history, paths)
    return rows, sorted(problems, key=_order)


def _order(p: Problem) -> tuple[str, int]:
    """Problems in file order, then row order (header problems first)."""
    m = re.match(r"row (\d+)", p.location)
    return (p.source, int(m.group(1)) if m else 0)
