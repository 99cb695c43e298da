"""Shared helpers of the data-validation rules: row locations, problem lists, blank values.

The rule modules (`validate`, `history_checks`, `paths_check`) import these from here, so that
none of them imports another (no import cycle inside `netdesign.data`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from netdesign.data.network import Network
from netdesign.errors import Problem

#: At most this many problems are listed one by one per (file, field, rule); the rest are
#: summarised in one extra problem so that a broken 200,000-row file stays readable.
MAX_ROW_PROBLEMS = 20

ID_COLUMNS: dict[str, str | None] = {
    "nodes": "node_id", "links": "link_id", "hubs": "hub_id", "corridors": "corridor_id",
    "history": None,
}
#: The column named next to the row number in messages ("row 7 (link_id 'L7')").
ROW_KEYS: dict[str, str] = {**{t: c for t, c in ID_COLUMNS.items() if c},
                            "history": "corridor_id"}


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def py_value(value: Any) -> Any:
    """A plain Python value for a Problem (numpy scalars unwrapped, NaN/NaT/None -> None)."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return "|".join(map(str, value))
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Period):
        return str(value)
    return value


def row_location(pos: int, key_col: str | None = None, key: Any = None) -> str:
    """``row N`` (1-based data row, header excluded) plus the row's id when it has one."""
    loc = f"row {pos + 1}"
    key = py_value(key)
    if key_col and key is not None and key != "":
        loc += f" ({key_col} {key!r})"
    return loc


def row_problems(source: str, frame: pd.DataFrame, mask: np.ndarray | pd.Series, field: str,
                 expected: str, key_col: str | None, values: Sequence[Any] | None = None,
                 severity: str = "error") -> list[Problem]:
    """One Problem per flagged row (at most `MAX_ROW_PROBLEMS`, then one summary).

    frame: the table with its id as a column (`key_col`) and rows in file order.
    values: the offending values (default: ``frame[field]``).
    """
    pos = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(pos) == 0:
        return []
    if values is None:
        values = frame[field].to_numpy() if field in frame.columns else [None] * len(frame)
    keys = frame[key_col].to_numpy() if key_col and key_col in frame.columns else None
    out = [Problem(source, row_location(p, key_col, keys[p] if keys is not None else None),
                   field, py_value(values[p]), expected, severity)
           for p in pos[:MAX_ROW_PROBLEMS]]
    if len(pos) > MAX_ROW_PROBLEMS:
        rest = pos[MAX_ROW_PROBLEMS:]
        out.append(Problem(source, f"{len(rest)} more rows (rows {rest[0] + 1} to {rest[-1] + 1})",
                           field, py_value(values[rest[0]]), expected, severity))
    return out


def blank_mask(s: pd.Series) -> np.ndarray:
    """True where a value is missing: NaN/None/NaT, an empty or blank string, an empty tuple.

    Vectorised through `pd.factorize`, so a 200,000-row id column costs one pass.
    """
    if s.dtype.kind in "fiumbM" or isinstance(s.dtype, pd.PeriodDtype):
        return s.isna().to_numpy()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    blank_u = np.array([is_blank(u) for u in uniques], dtype=bool)
    out = codes == -1
    if len(uniques):
        out |= blank_u[np.where(codes >= 0, codes, 0)] & (codes >= 0)
    return out


def is_blank(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip() == ""
    if isinstance(v, tuple):
        return len(v) == 0
    return py_value(v) is None


def framed(net: Network, table: str) -> pd.DataFrame:
    """The table with its id index turned back into a column (rows in file order)."""
    df = getattr(net, table)
    key = ID_COLUMNS[table]
    if key and df.index.name == key:
        return df.reset_index()
    return df.reset_index(drop=True)


def source_of(sources: dict[str, str], table: str) -> str:
    """The file name of `table` used in messages (default: TABLE.csv)."""
    return sources.get(table, f"{table}.csv")
