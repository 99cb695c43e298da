"""The sweep's output folder: one netCDF file per finished scenario, a run log, a lock.

Layout of ``DIR``::

    DIR/scenarios/<name>.nc    one scenario (scenario dim of length 1), written atomically;
                               attrs: sweep_key, sweep_status, sweep_message, sweep_timings
    DIR/sweep-log.jsonl        one JSON line per event (start, computed, failed, skipped, done)
    DIR/.sweep/                forecast cache (forecasts.parquet + forecasts.json, its key),
                               lock file
    DIR/results.nc, DIR/summary.csv, DIR/forecasts.csv   written at the end (as `netdesign run`)

A file under ``scenarios/`` only ever appears complete (temporary name in the same folder, then
``os.replace``), so a file that exists and opens is a finished scenario; its ``sweep_key`` says
for which inputs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pandas as pd
import xarray as xr

from netdesign.atomic import write_atomic, write_json_atomic
from netdesign.results.io import (  # noqa: F401 - FAILED_STATUSES re-exported (defined once)
    FAILED_STATUSES,
    is_failure,
    write_dataset_atomic,
)

log = logging.getLogger(__name__)

SCENARIO_DIR = "scenarios"
LOG_FILE = "sweep-log.jsonl"
STATE_DIR = ".sweep"

# Failures worth recomputing on resume (they may not happen again); other failures are
# deterministic for the same inputs and are kept.
RETRY_ON_RESUME = frozenset({"error", "killed"})


def scenario_path(out_dir: Path, name: str) -> Path:
    """Where the result of scenario `name` lives."""
    return Path(out_dir) / SCENARIO_DIR / f"{name}.nc"


@dataclass(frozen=True)
class StoredScenario:
    """What a finished scenario file says about itself."""

    name: str
    key: str
    status: str
    message: str
    failed: bool


def write_scenario(out_dir: Path, name: str, ds: xr.Dataset, key: str,
                   timings: dict[str, Any] | None = None) -> StoredScenario:
    """Write one scenario's dataset atomically with its resume key; returns its record."""
    status = str(ds["status"].values[0])
    message = str(ds["message"].values[0]) if "message" in ds else ""
    failed = is_failure(status, float(ds["total_cost"].values[0]))
    return write_stored(scenario_path(out_dir, name),
                        StoredScenario(name, key, status, message, failed), ds, timings)


def write_stored(path: Path, record: StoredScenario, ds: xr.Dataset,
                 timings: dict[str, Any] | None = None) -> StoredScenario:
    """Write `ds` atomically to `path` with `record`'s resume key and outcome as attributes
    (what `read_stored` and the plan sweep's reader check); returns `record`."""
    ds = ds.assign_attrs(sweep_key=record.key, sweep_status=record.status,
                         sweep_message=record.message, sweep_failed=int(record.failed),
                         sweep_timings=json.dumps(timings or {}, default=str))
    # in-memory data: no dask scheduler is needed (xarray would otherwise probe for one and
    # may pick up a Dask worker's client)
    with dask.config.set(scheduler="synchronous"):
        write_dataset_atomic(ds, path)
    return record


def read_stored(out_dir: Path, name: str) -> StoredScenario | None:
    """The record of a finished scenario file, or None if it is absent or unreadable."""
    path = scenario_path(out_dir, name)
    if not path.is_file():
        return None
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            attrs = dict(ds.attrs)
            names = [str(s) for s in ds["scenario"].values]
    except (OSError, ValueError, KeyError):
        return None
    if names != [name] or "sweep_key" not in attrs:
        return None
    return stored_record(name, attrs)


def stored_record(name: str, attrs: dict[str, Any]) -> StoredScenario:
    """The record `write_stored` left in a file's attributes (`sweep_key` present)."""
    return StoredScenario(name, str(attrs["sweep_key"]), str(attrs.get("sweep_status", "")),
                          str(attrs.get("sweep_message", "")),
                          bool(int(attrs.get("sweep_failed", 0))))


def reusable(stored: StoredScenario | None, key: str) -> bool:
    """A stored result can be reused: same inputs, and not a failure worth retrying."""
    return (stored is not None and stored.key == key
            and stored.status.lower() not in RETRY_ON_RESUME)


def load_scenario(out_dir: Path, name: str) -> xr.Dataset:
    """A stored scenario dataset, fully in memory, without the sweep's own attributes.

    The on-disk encodings are dropped: kept, the first file's string widths (e.g. a 31
    character scenario name) would be imposed on the combined results and truncate longer
    names.
    """
    with xr.open_dataset(scenario_path(out_dir, name), engine="netcdf4") as ds:
        ds = ds.load()
    for var in ds.variables.values():
        var.encoding = {}
    ds.attrs = {k: v for k, v in ds.attrs.items() if not k.startswith("sweep_")}
    return ds


def remove_stale_temporaries(out_dir: Path, subdir: str = SCENARIO_DIR) -> int:
    """Delete temporary files a killed run left in ``DIR/<subdir>`` (``scenarios/`` by
    default; never results); count."""
    folder = Path(out_dir) / subdir
    n = 0
    if folder.is_dir():
        for p in folder.glob(".*.tmp"):
            p.unlink(missing_ok=True)
            n += 1
    return n


class RunLog:
    """Append-only JSON-lines log of sweep events (``DIR/sweep-log.jsonl``)."""

    def __init__(self, out_dir: Path, run_id: str):
        self.path = Path(out_dir) / LOG_FILE
        self.run_id = run_id

    def write(self, event: str, **fields: Any) -> None:
        rec = {"time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "run": self.run_id, "event": event, **fields}
        line = json.dumps(rec, default=str) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())


def read_log(out_dir: Path) -> list[dict[str, Any]]:
    """Every complete event in the run log (a line cut short by a kill is skipped)."""
    path = Path(out_dir) / LOG_FILE
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


# ---------------------------------------------------------------------------------------------
# forecast cache: data only (Parquet + a JSON key file), never code (docs/security.md)
# ---------------------------------------------------------------------------------------------
CACHE_DATA = "forecasts.parquet"
CACHE_KEY = "forecasts.json"
MAX_KEY_BYTES = 100_000
#: Columns of a cached forecasts frame and their kinds (numpy dtype kinds).
CACHE_COLUMNS = {"series_id": "O", "date": "M", "mean": "f", "lo_80": "f", "hi_80": "f",
                 "lo_95": "f", "hi_95": "f"}


def forecast_cache_key(inputs: dict[str, Any]) -> str:
    """sha256 (hex) of the forecast's inputs (data version, settings, years, version)."""
    text = json.dumps(inputs, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_forecast_cache(out_dir: Path, key: str,
                        series: set[str] | None = None) -> pd.DataFrame | None:
    """The cached forecasts frame when its key file says `key` and the Parquet file is the
    one the key file names (sha256), has the expected columns, finite forecasts >= 0 and
    (if given) every one of `series`; None otherwise, with a log line saying why (the
    caller recomputes). Nothing in the folder is executed or unpickled: JSON and Parquet
    are parsed as data."""
    state = Path(out_dir) / STATE_DIR
    data, meta_path = state / CACHE_DATA, state / CACHE_KEY
    if not meta_path.is_file() or not data.is_file():
        return None
    why = ""
    try:
        if meta_path.stat().st_size > MAX_KEY_BYTES:
            why = "key file too large"
        else:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("key") != key:
                why = "made for other inputs (data, forecast settings, years or version)"
            elif meta.get("parquet_sha256") != _sha256_file(data):
                why = "data file does not match its key file"
            else:
                frame = pd.read_parquet(data, engine="pyarrow")
                why = _frame_problem(frame, series)
                if not why:
                    log.info("reusing cached forecasts %s", data)
                    return frame
    except (OSError, ValueError, TypeError, UnicodeDecodeError) as exc:
        why = f"unreadable ({type(exc).__name__}: {exc})"
    log.warning("ignoring the forecast cache in %s (%s); forecasting again", state, why)
    return None


def _frame_problem(frame: pd.DataFrame, series: set[str] | None) -> str:
    for col, kind in CACHE_COLUMNS.items():
        if col not in frame.columns:
            return f"column {col!r} missing"
        if frame[col].dtype.kind != kind and not (kind == "O" and frame[col].dtype == "string"):
            return f"column {col!r} has type {frame[col].dtype}"
    values = frame[["mean", "lo_80", "hi_80", "lo_95", "hi_95"]].to_numpy(float)
    if not np.isfinite(values).all() or (values < 0).any():
        return "non-finite or negative forecasts"
    if series is not None and not series <= set(frame["series_id"].astype(str)):
        return "some of the study's corridors are missing"
    return ""


def write_forecast_cache(out_dir: Path, key: str, inputs: dict[str, Any],
                         frame: pd.DataFrame) -> None:
    """Write the forecasts frame (Parquet) and then its key file (JSON), each atomically;
    the key file last, so that a kill in between leaves a cache that is ignored."""
    state = Path(out_dir) / STATE_DIR
    data = state / CACHE_DATA
    write_atomic(data, lambda tmp: frame.to_parquet(tmp, engine="pyarrow", index=False))
    write_json_atomic(state / CACHE_KEY, {"key": key, "inputs": inputs, "rows": len(frame),
                                          "parquet_sha256": _sha256_file(data)})


def remove_legacy_pickles(out_dir: Path) -> list[str]:
    """Delete pickle caches written by earlier versions (``.sweep/forecasts-*.pkl``) without
    opening them; returns their names."""
    state = Path(out_dir) / STATE_DIR
    removed = []
    for p in state.glob("forecasts-*.pkl") if state.is_dir() else []:
        p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed
