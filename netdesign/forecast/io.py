"""Reading a long history CSV (series_id,date,value) with full validation, and atomic writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.errors import InputError, Problem

REQUIRED = ("series_id", "date", "value")


def read_history_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate a history file: one row per series and month, ISO dates
    (YYYY-MM-DD or YYYY-MM), values >= 0 (parcels/month; empty = missing month).

    Raises `InputError` listing every problem (file, 1-based data row, field, value).
    """
    src = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError([Problem(src, "file", None, None, "an existing CSV file")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError([Problem(src, "file", None, str(exc)[:80],
                                  "a CSV file with header series_id,date,value")]) from None
    problems = [Problem(src, "header", c, None, "a column named " + c)
                for c in REQUIRED if c not in raw.columns]
    if problems:
        raise InputError(problems, f"invalid history file {src}")
    sid = raw["series_id"].str.strip()
    dates = pd.to_datetime(raw["date"].str.strip(), format="ISO8601", errors="coerce")
    text = raw["value"].str.strip()
    values = pd.to_numeric(text.where(text != "", None), errors="coerce")
    for i in np.flatnonzero((sid == "").to_numpy()):
        problems.append(Problem(src, f"row {i + 1}", "series_id", raw["series_id"].iloc[i],
                                "a non-empty series id"))
    for i in np.flatnonzero(dates.isna().to_numpy()):
        problems.append(Problem(src, f"row {i + 1}", "date", raw["date"].iloc[i],
                                "an ISO date such as 2024-01-01 or 2024-01"))
    bad_val = ((text != "") & (values.isna() | ~np.isfinite(values.fillna(0)))) | (values < 0)
    for i in np.flatnonzero(bad_val.to_numpy()):
        problems.append(Problem(src, f"row {i + 1}", "value", raw["value"].iloc[i],
                                "a volume >= 0 (parcels/month), or empty for a missing month"))
    month = dates.dt.to_period("M")
    dup = pd.DataFrame({"s": sid, "m": month}).duplicated() & dates.notna()
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(Problem(src, f"row {i + 1}", "date", raw["date"].iloc[i],
                                f"one row per series and month (series {sid.iloc[i]!r} repeats)"))
    if len(raw) == 0:
        problems.append(Problem(src, "rows", None, None, "at least one data row"))
    if problems:
        raise InputError(problems, f"invalid history file {src}")
    return pd.DataFrame({"series_id": sid, "date": month.dt.to_timestamp(how="start"),
                         "value": values.astype(float)})
