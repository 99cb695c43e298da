"""The sweep's output folder: one netCDF file per finished scenario, a run log, a lock.

Layout of ``DIR``::

    DIR/scenarios/<name>.nc    one scenario (scenario dim of length 1), written atomically;
                               attrs: sweep_key, sweep_status, sweep_message, sweep_timings
    DIR/sweep-log.jsonl        one JSON line per event (start, computed, failed, skipped, done)
    DIR/.sweep/                forecast cache, lock file
    DIR/results.nc, DIR/summary.csv, DIR/forecasts.csv   written at the end (as `netdesign run`)

A file under ``scenarios/`` only ever appears complete (temporary name in the same folder, then
``os.replace``), so a file that exists and opens is a finished scenario; its ``sweep_key`` says
for which inputs.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
import xarray as xr

from netdesign.results.io import write_dataset_atomic

SCENARIO_DIR = "scenarios"
LOG_FILE = "sweep-log.jsonl"
STATE_DIR = ".sweep"

# Statuses that mean "no usable design" (besides a NaN total cost, which always means that).
FAILED_STATUSES = frozenset({"error", "infeasible", "unbounded", "infeasible_or_unbounded",
                             "time_limit_no_solution", "no_solution", "killed"})
# Failures worth recomputing on resume (they may not happen again); other failures are
# deterministic for the same inputs and are kept.
RETRY_ON_RESUME = frozenset({"error", "killed"})


def scenario_path(out_dir: Path, name: str) -> Path:
    """Where the result of scenario `name` lives."""
    return Path(out_dir) / SCENARIO_DIR / f"{name}.nc"


def is_failure(status: str, total_cost_cny_per_day: float) -> bool:
    """True when a scenario produced no usable design (an error, infeasible, no incumbent)."""
    return status.lower() in FAILED_STATUSES or not math.isfinite(total_cost_cny_per_day)


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
    ds = ds.assign_attrs(sweep_key=key, sweep_status=status, sweep_message=message,
                         sweep_failed=int(failed),
                         sweep_timings=json.dumps(timings or {}, default=str))
    # in-memory data: no dask scheduler is needed (xarray would otherwise probe for one and
    # may pick up a Dask worker's client)
    with dask.config.set(scheduler="synchronous"):
        write_dataset_atomic(ds, scenario_path(out_dir, name))
    return StoredScenario(name, key, status, message, failed)


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


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left in ``scenarios/`` (never results); count."""
    folder = Path(out_dir) / SCENARIO_DIR
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
