"""History rules: monthly parcels per corridor (vectorised; ~2,000 corridors x 120 months
take well under a second).

- every history row names a known corridor; every corridor has history
- at most one row per corridor and month; no missing month inside a corridor's history
  (a corridor with an unreadable month is checked for gaps once that month is readable)
- warnings: a corridor's history ends before the latest month, or has under 24 months
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netdesign.data.network import Network
from netdesign.data.rules import (
    MAX_ROW_PROBLEMS,
    blank_mask,
    framed,
    is_blank,
    py_value,
    row_location,
    row_problems,
    source_of,
)
from netdesign.errors import Problem

MIN_HISTORY_MONTHS = 24


def _month_ordinals(months: pd.Series) -> np.ndarray:
    """Months as integer ordinals (months since 1970-01); missing -> -2**63 (NaT)."""
    if isinstance(months.dtype, pd.PeriodDtype):
        return months.array.asi8
    return pd.PeriodIndex(months, freq="M").asi8


def check_history_corridors(net: Network, sources: dict[str, str]) -> list[Problem]:
    """History rows name known corridors; every corridor has history."""
    h = net.history
    out: list[Problem] = []
    codes, uniques = pd.factorize(h["corridor_id"], use_na_sentinel=True)
    known = pd.Index(uniques).isin(net.corridors.index)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    first = np.full(len(uniques), -1)
    valid = np.flatnonzero(codes >= 0)
    # first row of each id: assign in reverse so that the smallest position wins
    first[codes[valid][::-1]] = valid[::-1]
    src = source_of(sources, "history")
    for u in np.flatnonzero(~known)[:MAX_ROW_PROBLEMS]:
        if is_blank(uniques[u]):
            continue
        out.append(Problem(src, f"row {first[u] + 1} and {counts[u] - 1} more row(s) of this "
                                f"corridor" if counts[u] > 1 else f"row {first[u] + 1}",
                           "corridor_id", py_value(uniques[u]),
                           f"a corridor_id listed in {source_of(sources, 'corridors')}"))
    if (~known).sum() > MAX_ROW_PROBLEMS:
        out.append(Problem(src, f"{(~known).sum() - MAX_ROW_PROBLEMS} more unknown corridors",
                           "corridor_id", None, "corridor ids listed in the corridors table"))
    frame = framed(net, "corridors")
    if len(uniques) == 0 and len(h):  # no readable corridor_id at all: reported per row
        return out
    no_hist = ~frame["corridor_id"].isin(uniques).to_numpy() & ~blank_mask(frame["corridor_id"])
    out += row_problems(source_of(sources, "corridors"), frame, no_hist, "corridor_id",
                        f"monthly history rows for this corridor in {src}", "corridor_id")
    return out


def check_history_months(net: Network, sources: dict[str, str]) -> list[Problem]:
    """At most one row per corridor and month; no missing month inside a corridor's history."""
    h = net.history
    src = source_of(sources, "history")
    out: list[Problem] = []
    ords = _month_ordinals(h["month"])
    codes, uniques = pd.factorize(h["corridor_id"], use_na_sentinel=True)
    ok = (codes >= 0) & (ords != np.iinfo(np.int64).min)
    pairs = pd.DataFrame({"c": codes, "m": ords})
    dup = pairs.duplicated(keep="first").to_numpy() & ok
    if dup.any():
        first = pairs[ok].drop_duplicates().reset_index().set_index(["c", "m"])["index"]
        positions = np.flatnonzero(dup)
        for pos in positions[:MAX_ROW_PROBLEMS]:
            f = first.loc[(codes[pos], ords[pos])]
            out.append(Problem(src, row_location(pos, "corridor_id", uniques[codes[pos]]),
                               "month", py_value(h["month"].iat[pos]),
                               f"one row per corridor and month; this month is already in "
                               f"row {f + 1}"))
        if len(positions) > MAX_ROW_PROBLEMS:
            out.append(Problem(src, f"{len(positions) - MAX_ROW_PROBLEMS} more rows", "month",
                               None, "one row per corridor and month"))
    g = pairs[ok].drop_duplicates().groupby("c")["m"].agg(["min", "max", "count"])
    # corridors with a missing/unreadable month are reported row by row; their gaps are
    # checked once those months are readable
    unreadable = np.unique(codes[(codes >= 0) & ~ok])
    g = g.drop(index=unreadable, errors="ignore")
    gapped = g[g["count"] < g["max"] - g["min"] + 1]
    for c, row in gapped.iloc[:MAX_ROW_PROBLEMS].iterrows():
        have = set(pairs.loc[ok & (codes == c), "m"])
        missing = [m for m in range(int(row["min"]), int(row["max"]) + 1) if m not in have]
        shown = ", ".join(str(_period(m)) for m in missing[:6])
        if len(missing) > 6:
            shown += f", ... ({len(missing)} months)"
        lo, hi = (_period(int(row[k])) for k in ("min", "max"))
        out.append(Problem(src, f"corridor_id {uniques[c]!r}", "month", shown,
                           f"consecutive months from {lo} to {hi} (missing: {shown})"))
    if len(gapped) > MAX_ROW_PROBLEMS:
        out.append(Problem(src, f"{len(gapped) - MAX_ROW_PROBLEMS} more corridors", "month",
                           None, "consecutive months (no gaps)"))
    return out


def check_history_coverage(net: Network, sources: dict[str, str]) -> list[Problem]:
    """Warnings: a corridor's history ends before the latest month, or is under 24 months."""
    h = net.history
    ords = _month_ordinals(h["month"])
    ok = ords != np.iinfo(np.int64).min
    if not ok.any():
        return []
    g = pd.DataFrame({"c": h["corridor_id"].to_numpy()[ok], "m": ords[ok]}).groupby("c")["m"]
    last, n = g.max(), g.nunique()
    latest = last.max()
    src = source_of(sources, "history")
    out = []
    for c in last.index[last < latest][:MAX_ROW_PROBLEMS]:
        out.append(Problem(src, f"corridor_id {c!r}", "month",
                           str(_period(int(last[c]))),
                           f"history up to {_period(int(latest))} like the "
                           "other corridors (the forecast starts after each corridor's last "
                           "month)", "warning"))
    for c in n.index[n < MIN_HISTORY_MONTHS][:MAX_ROW_PROBLEMS]:
        out.append(Problem(src, f"corridor_id {c!r}", "month", f"{int(n[c])} months",
                           f"at least {MIN_HISTORY_MONTHS} months for seasonal forecasting",
                           "warning"))
    return out


def _period(ordinal: int) -> pd.Period:
    return pd.Period(ordinal=int(ordinal), freq="M")
