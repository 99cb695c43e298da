"""A cache of forecast and backtest results, keyed by the data and the settings.

A rerun of a study on unchanged data and settings loads its forecasts instead of fitting
2,000+ corridors again. Entries are plain JSON (never pickle: nothing executable is read back
from a cache folder, see docs/security.md), one file per key, written atomically:

    {"format": 1, "key": "<sha256>", "kind": "forecast" | "backtest", "meta": {...},
     "frames": {"forecasts": {"columns": [...], "data": {column: [values]}}, ...}, ...}

The key (`forecast_cache_key`) is a SHA-256 over
- the history, canonicalised (sorted by series and date; series ids, ISO dates and the values'
  float64 bytes), so row order and CSV formatting do not matter but any value does;
- every setting that changes a result (horizon, method, missing-value rule, season length,
  frequency, interval levels, plus any `extra` such as the backtest's origins), not the
  worker count or the progress bar;
- the engine's fingerprint: the source of every module of `netdesign.forecast` and the
  versions of numpy, pandas, scipy and statsmodels, so a code or library change is a miss.

A file is used only if it parses, has this module's format number and holds the very key
asked for (the file name alone is not trusted); anything else is a miss, never an error.

Location: `cache_dir()` = `$NETDESIGN_CACHE` if set, else `~/.cache/netdesign`, with
forecasts under `forecasts/`; every function takes `directory=` to override it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FORMAT = 1
ENV_VAR = "NETDESIGN_CACHE"
# Settings that do not change any number of a result (excluded from the key).
_NOT_IN_KEY = ("workers", "progress")


def cache_dir(directory: str | Path | None = None) -> Path:
    """The folder of forecast cache files: `directory` if given, else `$NETDESIGN_CACHE`/
    forecasts, else ~/.cache/netdesign/forecasts."""
    if directory is not None:
        return Path(directory)
    root = os.environ.get(ENV_VAR) or Path.home() / ".cache" / "netdesign"
    return Path(root) / "forecasts"


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """SHA-256 over the forecasting package's source files and the numerical libraries'
    versions: results cached by another version of the engine are never reused."""
    import scipy
    import statsmodels

    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for mod in (np, pd, scipy, statsmodels):
        h.update(f"{mod.__name__}={mod.__version__};".encode())
    return h.hexdigest()


def _history_digest(history: pd.DataFrame) -> str:
    """SHA-256 of the history, independent of row order and of how dates were written."""
    from netdesign.forecast.engine import _dates

    frame = pd.DataFrame({"series_id": history["series_id"].astype(str).to_numpy(),
                          "date": _dates(history).dt.strftime("%Y-%m-%d").to_numpy(),
                          "value": pd.to_numeric(history["value"], errors="coerce")
                          .to_numpy(float)})
    frame = frame.sort_values(["series_id", "date"], kind="stable")
    h = hashlib.sha256()
    h.update("\x1f".join(frame["series_id"]).encode())
    h.update(b"\x1e")
    h.update("\x1f".join(frame["date"]).encode())
    h.update(b"\x1e")
    h.update(np.ascontiguousarray(frame["value"].to_numpy(np.float64)).tobytes())
    return h.hexdigest()


def forecast_cache_key(history: pd.DataFrame, settings: Any, horizon: int,
                       extra: Mapping[str, Any] | None = None) -> str:
    """The cache key (hex SHA-256) of a forecast of `history` (series_id, date, value)
    `horizon` periods ahead with `settings` (a `ForecastSettings`), plus `extra` settings of
    the caller (e.g. {"kind": "backtest", "origins": 3}); see the module docstring."""
    s = {k: v for k, v in asdict(settings).items() if k not in _NOT_IN_KEY}
    payload = {"format": FORMAT, "engine": engine_fingerprint(), "horizon": int(horizon),
               "settings": s, "extra": dict(extra or {}),
               "history": _history_digest(history)}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# --- frames <-> JSON -------------------------------------------------------------------------

def _frame_to_json(df: pd.DataFrame) -> dict[str, Any]:
    data: dict[str, list] = {}
    kinds: dict[str, str] = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            kinds[col] = "datetime"
            data[col] = s.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()
        elif pd.api.types.is_bool_dtype(s):
            kinds[col] = "bool"
            data[col] = [bool(v) for v in s]
        elif pd.api.types.is_integer_dtype(s):
            kinds[col] = "int"
            data[col] = [int(v) for v in s]
        elif pd.api.types.is_float_dtype(s):
            kinds[col] = "float"  # repr of a Python float round-trips exactly
            data[col] = [None if not math.isfinite(v) else float(v) for v in s]
        else:
            # object columns stay object; pandas' string dtype (the default for text from
            # pandas 3 on) is stored by its name and restored as such
            kinds[col] = "str" if pd.api.types.is_object_dtype(s) else f"str:{s.dtype}"
            data[col] = [None if v is None or (isinstance(v, float) and math.isnan(v))
                         else str(v) for v in s]
    return {"columns": list(df.columns), "kinds": kinds, "data": data}


def _frame_from_json(obj: Mapping[str, Any]) -> pd.DataFrame:
    cols = list(obj["columns"])
    out = {}
    for col in cols:
        values, kind = obj["data"][col], obj["kinds"][col]
        if kind == "datetime":
            out[col] = pd.to_datetime(pd.Series(values, dtype=object))
        elif kind == "float":
            out[col] = np.array([np.nan if v is None else v for v in values], float)
        elif kind == "int":
            out[col] = np.array(values, dtype=np.int64)
        elif kind == "bool":
            out[col] = np.array(values, dtype=bool)
        elif kind.startswith("str:"):
            out[col] = pd.Series(values, dtype=kind[4:])
        else:
            out[col] = pd.Series(values, dtype=object)
    return pd.DataFrame(out, columns=cols)


# --- store / load ----------------------------------------------------------------------------

def _path(key: str, directory: str | Path | None) -> Path:
    if not (len(key) == 64 and all(c in "0123456789abcdef" for c in key)):
        raise ValueError(f"cache key must be 64 lowercase hex digits, got {key!r}")
    return cache_dir(directory) / f"{key}.json"


def _write(key: str, kind: str, frames: dict[str, pd.DataFrame], meta: dict[str, Any],
           directory: str | Path | None) -> Path:
    path = _path(key, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"format": FORMAT, "key": key, "kind": kind, "meta": meta,
           "frames": {name: _frame_to_json(df) for name, df in frames.items()}}
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, allow_nan=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _read(key: str, kind: str, directory: str | Path | None) -> dict[str, Any] | None:
    path = _path(key, directory)  # a malformed key is the caller's error: ValueError
    try:
        with path.open(encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return None
    if not (isinstance(doc, dict) and doc.get("format") == FORMAT and doc.get("key") == key
            and doc.get("kind") == kind):
        return None
    return doc


def store_forecast(key: str, result: Any, directory: str | Path | None = None) -> Path:
    """Write a `ForecastResult` under `key`; returns the file written."""
    meta = {"specs": result.specs, "seconds": float(result.seconds),
            "grid": {"freq": result.grid.freq, "anchor": result.grid.anchor},
            "season_length": int(result.season_length)}
    return _write(key, "forecast", {"forecasts": result.forecasts,
                                    "diagnostics": result.diagnostics}, meta, directory)


def load_forecast(key: str, directory: str | Path | None = None) -> Any | None:
    """The `ForecastResult` stored under `key`, or None (no entry, unreadable, other key).
    Raises ValueError for a key that is not 64 hex digits."""
    from netdesign.forecast.engine import ForecastResult
    from netdesign.forecast.periods import Grid

    doc = _read(key, "forecast", directory)
    if doc is None:
        return None
    try:
        meta, frames = doc["meta"], doc["frames"]
        return ForecastResult(_frame_from_json(frames["forecasts"]), dict(meta["specs"]),
                              _frame_from_json(frames["diagnostics"]), float(meta["seconds"]),
                              Grid(**meta["grid"]), int(meta["season_length"]))
    except (KeyError, TypeError, ValueError):
        return None


def store_backtest(key: str, result: Any, directory: str | Path | None = None) -> Path:
    """Write a `BacktestResult` under `key`; returns the file written."""
    return _write(key, "backtest", {"per_series": result.per_series, "points": result.points},
                  {"summary": {k: float(v) if math.isfinite(float(v)) else None
                               for k, v in result.summary.items()}}, directory)


def load_backtest(key: str, directory: str | Path | None = None) -> Any | None:
    """The `BacktestResult` stored under `key`, or None."""
    from netdesign.forecast.backtest import BacktestResult

    doc = _read(key, "backtest", directory)
    if doc is None:
        return None
    try:
        frames = doc["frames"]
        summary = {k: float("nan") if v is None else float(v)
                   for k, v in doc["meta"]["summary"].items()}
        return BacktestResult(_frame_from_json(frames["per_series"]), summary,
                              _frame_from_json(frames["points"]))
    except (KeyError, TypeError, ValueError):
        return None
