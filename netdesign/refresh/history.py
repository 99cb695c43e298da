"""The corridor history as the refresh handles it: long rows of (corridor_id, month, parcels).

Vectorised on integer keys (corridor rank x month ordinal) so that 20,000 corridors x 120
months merge, sort and hash in about a second.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

_MONTH_SPAN = np.int64(1 << 32)  # key = corridor code * span + month ordinal (months since 1970)


def month_ordinals(months: pd.Series) -> np.ndarray:
    """Months (``Period[M]`` or anything `pd.PeriodIndex` parses) as int64 ordinals."""
    if isinstance(months.dtype, pd.PeriodDtype):
        return np.asarray(months.array.asi8, dtype=np.int64)
    return np.asarray(pd.PeriodIndex(months, freq="M").asi8, dtype=np.int64)


def sort_keys(history: pd.DataFrame) -> np.ndarray:
    """int64 keys that sort rows by corridor id (as text), then month."""
    codes, uniques = pd.factorize(history["corridor_id"].astype(str), sort=True)
    return codes.astype(np.int64) * _MONTH_SPAN + month_ordinals(history["month"])


def sort_history(history: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by corridor id, then month; index reset."""
    order = np.argsort(sort_keys(history), kind="stable")
    return history.iloc[order].reset_index(drop=True)


def overlay(base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`base` rows replaced/extended by `new` (same corridor and month: `new` wins); sorted."""
    if new.empty:
        both = base
    elif base.empty:
        both = new
    else:
        both = pd.concat([base, new], ignore_index=True)
    keys = sort_keys(both)
    keep = ~pd.Series(keys).duplicated(keep="last").to_numpy()
    both, keys = both.iloc[np.flatnonzero(keep)], keys[keep]
    return both.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)


def history_hash(history: pd.DataFrame) -> str:
    """SHA-256 of the history's content (corridor, month, parcels), independent of row order."""
    h = sort_history(history[["corridor_id", "month", "parcels"]])
    digest = hashlib.sha256()
    digest.update("\x1f".join(h["corridor_id"].astype(str)).encode())
    digest.update(month_ordinals(h["month"]).tobytes())
    digest.update(np.asarray(h["parcels"], dtype=np.float64).tobytes())
    return digest.hexdigest()


def prior_history(network_history: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """The study's base history overlaid with every row ingested by earlier refreshes.

    Columns corridor_id, month (``Period[M]``), parcels (parcels/month), source (``"base"``
    or the volume file name).
    """
    base = network_history[["corridor_id", "month", "parcels"]].assign(source="base")
    base["month"] = pd.PeriodIndex(base["month"], freq="M")
    if stored is None:
        return overlay(base, base.iloc[:0])
    return overlay(base, stored[stored["source"] != "base"])


def engine_history(history: pd.DataFrame) -> pd.DataFrame:
    """The history in the forecast engine's long format (series_id, date, value)."""
    return pd.DataFrame({
        "series_id": history["corridor_id"].astype(str).to_numpy(),
        "date": history["month"].dt.to_timestamp().to_numpy(),
        "value": history["parcels"].to_numpy(float),
    })


def lookup_keys(history: pd.DataFrame, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray,
                                                                     np.ndarray, np.ndarray]:
    """Shared key space of a sorted `history` and some `rows` (corridor_id, month).

    Returns (history keys sorted, history parcels in that order, row keys, row corridor
    codes); a row whose corridor is not in the history gets code -1.
    """
    cats = pd.Index(pd.unique(history["corridor_id"].astype(str))).sort_values()
    hcode = cats.get_indexer(history["corridor_id"].astype(str)).astype(np.int64)
    hkeys = hcode * _MONTH_SPAN + month_ordinals(history["month"])
    order = np.argsort(hkeys, kind="stable")
    rcode = cats.get_indexer(rows["corridor_id"].astype(str)).astype(np.int64)
    rkeys = rcode * _MONTH_SPAN + month_ordinals(rows["month"])
    return hkeys[order], np.asarray(history["parcels"], dtype=float)[order], rkeys, rcode


def corridor_start_keys(codes: np.ndarray) -> np.ndarray:
    """The smallest key of each corridor code (its month ordinal 0 is far before any data)."""
    return codes * _MONTH_SPAN - (_MONTH_SPAN >> 1)
