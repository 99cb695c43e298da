"""Reading a long history CSV (series_id,date,value) with full validation, and atomic writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.errors import InputError, Problem
from netdesign.forecast.periods import (
    EXPECTED,
    SUB_DAILY_EXPECTED,
    FrequencyError,
    infer_grid,
    mixed_frequencies,
    series_frequencies,
    sub_daily_rows,
)
from netdesign.textfiles import decode_utf8

REQUIRED = ("series_id", "date", "value")


def read_history_csv(path: str | Path, frequency: str | None = None) -> pd.DataFrame:
    """Read and validate a history file: one row per series and period, ISO dates
    (YYYY-MM-DD or YYYY-MM), values >= 0 (parcels per period; empty = missing period).

    The period (day, week, month, quarter, year) is `frequency` or inferred from the
    spacing of the dates (`periods.infer_grid`). Returns the rows with parsed dates.
    Raises `InputError` listing every problem (file, 1-based data row, field, value).
    """
    src = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError([Problem(src, "file", None, None, "an existing CSV file")]) from None
    except UnicodeDecodeError:
        _, problem = decode_utf8(Path(path).read_bytes(), src, table=True)
        raise InputError([problem or Problem(src, "file", None, None, "UTF-8 text")],
                         f"invalid history file {src}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
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
                                "a volume >= 0, or empty for a missing period"))
    ok = dates.notna().to_numpy()
    sub_daily = sub_daily_rows(dates)
    if len(sub_daily):  # one problem, not one "repeats day" per row
        i = sub_daily[0]
        problems.append(Problem(src, f"{len(sub_daily)} rows (first: row {i + 1})", "date",
                                raw["date"].iloc[i], SUB_DAILY_EXPECTED))
        raise InputError(problems, f"invalid history file {src}")
    mixed = None if frequency else mixed_frequencies(series_frequencies(dates[ok], sid[ok]))
    if mixed:
        problems.append(Problem(src, "all rows", "date", mixed,
                                "series of one frequency per file (split the file by "
                                "frequency and forecast each part)"))
        raise InputError(problems, f"invalid history file {src}")
    try:
        grid = infer_grid(dates[ok], sid[ok], frequency)
    except FrequencyError as exc:
        problems.append(Problem(src, "all rows", "date", str(exc), EXPECTED))
    else:
        period = pd.Series(pd.NA, index=raw.index, dtype=object)
        period[ok] = grid.periods(dates[ok]).astype(str)
        dup = pd.DataFrame({"s": sid, "p": period}).duplicated() & ok
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(Problem(src, f"row {i + 1}", "date", raw["date"].iloc[i],
                                    f"one row per series and {grid.unit} "
                                    f"(series {sid.iloc[i]!r} repeats {period.iloc[i]})"))
    if len(raw) == 0:
        problems.append(Problem(src, "rows", None, None, "at least one data row"))
    if problems:
        raise InputError(problems, f"invalid history file {src}")
    return pd.DataFrame({"series_id": sid, "date": dates.dt.normalize(),
                         "value": values.astype(float)})
