"""A plan sweep's files: one plan results file per case, ``DIR/plans/<name>.nc``.

Each file is what `netdesign plan` writes as results.nc (one scenario per period, the
`period` variables, the `plan` attribute; `netdesign report DIR/plans/<name>.nc` renders it),
plus the case's row of summary.csv (attribute ``plan_case_summary``, JSON) and the sweep's
resume attributes (``sweep_key``, ``sweep_status``, ``sweep_message``, ``sweep_failed``,
``sweep_timings``), written atomically like a scenario sweep's ``scenarios/<name>.nc``. A case
that raised is a file with no variables and status ``error``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import xarray as xr

from netdesign.results.io import is_failure
from netdesign.sweep import store
from netdesign.sweep.store import StoredScenario, stored_record, write_stored

PLAN_DIR = "plans"


def plan_case_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / PLAN_DIR / f"{name}.nc"


def case_dataset(ds: xr.Dataset, row: dict[str, Any]) -> xr.Dataset:
    """`ds` with the case's summary row as its attribute ``plan_case_summary``."""
    return ds.assign_attrs(plan_case_summary=json.dumps(row, default=str))


def _row(ds: xr.Dataset) -> dict[str, Any]:
    return json.loads(ds.attrs.get("plan_case_summary", "{}"))


def write_plan_case(out_dir: Path, name: str, ds: xr.Dataset, key: str,
                    timings: dict[str, Any] | None = None) -> StoredScenario:
    """Write one case's dataset atomically with its resume key; returns its record (failed:
    the plan has no solution)."""
    row = _row(ds)
    status = str(row.get("status", "error"))
    message = str(row.get("message", ""))
    npv = float(row.get("npv_total_cny", math.nan))
    failed = is_failure(status, npv)
    return write_stored(plan_case_path(out_dir, name),
                        StoredScenario(name, key, status, message, failed), ds, timings)


def read_plan_case(out_dir: Path, name: str) -> StoredScenario | None:
    """The record of a finished case file, or None if it is absent or unreadable."""
    path = plan_case_path(out_dir, name)
    if not path.is_file():
        return None
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            attrs = dict(ds.attrs)
    except (OSError, ValueError, KeyError):
        return None
    if "sweep_key" not in attrs or "plan_case_summary" not in attrs:
        return None
    return stored_record(name, attrs)


def read_summary_row(out_dir: Path, name: str) -> dict[str, Any]:
    """The summary row stored with a finished case."""
    with xr.open_dataset(plan_case_path(out_dir, name), engine="netcdf4") as ds:
        return _row(ds)


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left in ``plans/``; count."""
    return store.remove_stale_temporaries(out_dir, PLAN_DIR)
