"""Write and read results atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xarray as xr

from netdesign.atomic import write_atomic, write_csv_atomic
from netdesign.errors import InputError, Problem
from netdesign.results.dataset import summary_table

RESULTS_FILE = "results.nc"
SUMMARY_FILE = "summary.csv"


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
