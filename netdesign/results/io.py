"""Write and read results atomically: a temporary file in the same folder, then a rename.

Also what every command checks before any work: that its output folder can be written
(`check_out_dir`), and which scenarios of a results dataset have no design
(`failed_scenarios`, exit code 4).
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import xarray as xr

from netdesign.atomic import write_atomic, write_csv_atomic
from netdesign.errors import InputError, Problem
from netdesign.results.summary import summary_table

RESULTS_FILE = "results.nc"
SUMMARY_FILE = "summary.csv"
#: Files `run` and `sweep` write at the top of the output folder (their temporaries are
#: ``.<name>.<random>.tmp``).
OUTPUT_FILES = (RESULTS_FILE, SUMMARY_FILE, "forecasts.csv", "backtest.csv")
#: A temporary file older than this is left over from a killed run, s (a live write of
#: results.nc takes seconds; the age keeps a concurrent run's write safe).
STALE_TMP_S = 600.0

# Statuses that mean "no usable design" (besides a NaN total cost, which always means that).
FAILED_STATUSES = frozenset({"error", "infeasible", "unbounded", "infeasible_or_unbounded",
                             "time_limit_no_solution", "no_solution", "killed"})


def is_failure(status: str, total_cost_cny_per_day: float) -> bool:
    """True when a scenario produced no usable design (an error, infeasible, no incumbent)."""
    return status.lower() in FAILED_STATUSES or not math.isfinite(total_cost_cny_per_day)


def failed_scenarios(summary: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(scenario, status, message) of every row of a summary table with no usable design."""
    return [(str(r.scenario), str(r.status), "" if pd.isna(r.message) else str(r.message))
            for r in summary.itertuples() if is_failure(str(r.status),
                                                        float(r.total_cost_cny_per_day))]


def check_out_dir(out_dir: str | Path, option: str = "--out") -> list[Problem]:
    """Problems that would stop writing into `out_dir`, found before any work: an existing
    file (not a folder), a dangling symlink, a file on the way, or a folder this process
    cannot create files in (probed with a temporary file that is removed again). Creates
    nothing that stays."""
    out_dir = Path(out_dir)
    src = str(out_dir)
    if out_dir.is_symlink() and not out_dir.exists():
        return [Problem(src, option, "out", os.readlink(out_dir),
                        "an output folder (this is a symlink to a path that does not exist)")]
    if out_dir.exists() and not out_dir.is_dir():
        return [Problem(src, option, "out", "an existing file",
                        "an output folder (a new or existing folder, not a file)")]
    probe_dir = out_dir
    while not probe_dir.exists():
        if probe_dir.parent == probe_dir:
            break
        probe_dir = probe_dir.parent
    if not probe_dir.is_dir():
        return [Problem(src, option, "out", f"{probe_dir} is a file",
                        "an output folder whose parents are folders")]
    try:
        fd, name = tempfile.mkstemp(prefix=".netdesign-write-probe.", dir=probe_dir)
    except OSError as exc:
        return [Problem(src, option, "out", f"{probe_dir}: {exc.strerror or exc}",
                        "an output folder you can write to")]
    os.close(fd)
    os.unlink(name)
    return []


def check_out_file(path: str | Path, option: str) -> list[Problem]:
    """`check_out_dir` for an output file: not an existing folder, its folder writable."""
    path = Path(path)
    if path.is_dir():
        return [Problem(str(path), option, option.lstrip("-"), "an existing folder",
                        "a file name (not a folder)")]
    return check_out_dir(path.parent if str(path.parent) else Path("."), option)


def remove_stale_temporaries(out_dir: str | Path, older_than_s: float = STALE_TMP_S) -> list[str]:
    """Delete the temporaries of `OUTPUT_FILES` a killed run left in `out_dir` (never a
    finished file); returns the names removed."""
    out_dir = Path(out_dir)
    removed: list[str] = []
    if not out_dir.is_dir():
        return removed
    now = time.time()
    for name in OUTPUT_FILES:
        for p in out_dir.glob(f".{name}.*.tmp"):
            try:
                if now - p.stat().st_mtime >= older_than_s and p.is_file():
                    p.unlink()
                    removed.append(p.name)
            except OSError:
                continue
    return removed


def write_dataset_atomic(ds: xr.Dataset, path: Path) -> None:
    """Write `ds` as netCDF-4 to `path` so that readers never see a half-written file."""
    write_atomic(path, lambda tmp: ds.to_netcdf(tmp, engine="netcdf4"))


def write_frame_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write a CSV atomically (UTF-8, no index)."""
    write_csv_atomic(df, path)


def write_results(ds: xr.Dataset, out_dir: Path) -> tuple[Path, Path]:
    """Write results.nc and summary.csv into `out_dir`; returns their paths."""
    out_dir = Path(out_dir)
    nc, csv = out_dir / RESULTS_FILE, out_dir / SUMMARY_FILE
    write_dataset_atomic(ds, nc)
    write_frame_atomic(summary_table(ds), csv)
    return nc, csv


def read_results(path: str | Path) -> xr.Dataset:
    """Open a results file (or a folder holding results.nc) fully into memory."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    if not path.is_file():
        raise InputError([Problem(str(path), "(file)", None, None,
                                  "a results.nc written by `netdesign run` or `netdesign sweep`")],
                         "cannot read results")
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            return ds.load()
    except OSError as exc:
        raise InputError([Problem(str(path), "(file)", None, None,
                                  f"a readable netCDF file ({exc})")],
                         "cannot read results") from None
