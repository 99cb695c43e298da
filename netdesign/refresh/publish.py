"""Publishing a refresh run: a complete run directory, then an atomic switch of `latest`.

Protocol (readers may rely on it):

1. The run is written into ``forecasts/.<run-id>.partial/``; ``manifest.json`` is written
   last; every file and the folder are fsynced.
2. The folder is renamed to ``forecasts/<run-id>/`` (one atomic rename). A folder whose name
   starts with a dot is never a complete run; a complete run always holds ``manifest.json``.
3. ``forecasts/latest`` is a **relative symlink** to ``<run-id>``. It is switched by creating
   a new symlink under a temporary name and renaming it over ``latest`` (`os.replace`, atomic
   on POSIX): a reader sees the old run or the new one, never neither.
4. Old runs are pruned: renamed to ``.<run-id>.deleting`` first, then removed, so a
   half-deleted run never looks complete. The run `latest` points to is never pruned.

Readers should resolve `latest` once (`read_latest`) and then read every file from the
resolved folder, so that a switch in between cannot mix two runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from netdesign.atomic import fsync_dir

LATEST = "latest"
MANIFEST = "manifest.json"
PARTIAL_SUFFIX = ".partial"
DELETING_SUFFIX = ".deleting"


def new_run_id(forecasts_dir: Path, now: datetime) -> str:
    """A sortable run id from the UTC time, e.g. ``20261130T021500Z`` (``-02`` etc. if taken)."""
    base = now.strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while ((forecasts_dir / run_id).exists()
           or (forecasts_dir / f".{run_id}{PARTIAL_SUFFIX}").exists()):
        n += 1
        run_id = f"{base}-{n:02d}"
    return run_id


def is_complete_run(path: Path) -> bool:
    """A published run: a non-hidden folder holding ``manifest.json``."""
    return (path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
            and (path / MANIFEST).is_file())


def complete_runs(forecasts_dir: Path) -> list[str]:
    """Run ids of the complete runs, oldest first."""
    if not forecasts_dir.is_dir():
        return []
    return sorted(p.name for p in forecasts_dir.iterdir() if is_complete_run(p))


def read_latest(forecasts_dir: Path) -> Path | None:
    """The run folder `latest` points to, resolved once; None if there is no complete run."""
    link = forecasts_dir / LATEST
    try:
        target = os.readlink(link)
    except OSError:
        return None
    run = (forecasts_dir / target) if not os.path.isabs(target) else Path(target)
    return run if is_complete_run(run) else None


def read_manifest(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))


def load_latest_forecasts(forecasts_dir: Path) -> pd.DataFrame:
    """The latest published forecasts (parcels/month); raises FileNotFoundError if none."""
    run = read_latest(forecasts_dir)
    if run is None:
        raise FileNotFoundError(f"no published forecast run under {forecasts_dir}")
    return pd.read_parquet(run / "forecasts.parquet")


def clean_leftovers(forecasts_dir: Path) -> list[str]:
    """Remove partial/deleting folders and temporary links left by interrupted refreshes.

    Call only while holding the refresh lock. Returns the names removed.
    """
    removed = []
    if not forecasts_dir.is_dir():
        return removed
    for p in sorted(forecasts_dir.iterdir()):
        if not p.name.startswith("."):
            continue
        if p.is_symlink() or p.is_file():
            if p.name.startswith(f".{LATEST}."):
                p.unlink(missing_ok=True)
                removed.append(p.name)
        elif p.name.endswith((PARTIAL_SUFFIX, DELETING_SUFFIX)):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def write_run(
    forecasts_dir: Path,
    run_id: str,
    writers: dict[str, Callable[[Path], None]],
    manifest: dict[str, Any],
    pause: Callable[[str], None] | None = None,
) -> Path:
    """Write a complete run folder ``forecasts/<run-id>/`` (steps 1-2 above).

    writers: file name -> function writing that file at the given path. The manifest is
    written last. `pause` is a test hook called at ``"partial_written"``.
    """
    forecasts_dir.mkdir(parents=True, exist_ok=True)
    partial = forecasts_dir / f".{run_id}{PARTIAL_SUFFIX}"
    final = forecasts_dir / run_id
    partial.mkdir()
    try:
        digests = {}
        for name, write in writers.items():
            write(partial / name)
            _fsync_file(partial / name)
            digests[name] = hashlib.sha256((partial / name).read_bytes()).hexdigest()
        manifest = {**manifest, "file_sha256": digests}
        if pause:
            pause("partial_written")
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        (partial / MANIFEST).write_text(text + "\n", encoding="utf-8")
        _fsync_file(partial / MANIFEST)
        fsync_dir(partial)
        os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    fsync_dir(forecasts_dir)
    return final


def switch_latest(forecasts_dir: Path, run_id: str) -> None:
    """Point ``forecasts/latest`` at `run_id` atomically (step 3 above)."""
    tmp = forecasts_dir / f".{LATEST}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(run_id, tmp)
    try:
        os.replace(tmp, forecasts_dir / LATEST)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(forecasts_dir)


def prune_runs(forecasts_dir: Path, keep: int) -> list[str]:
    """Delete all but the `keep` newest complete runs (never the one `latest` points to)."""
    runs = complete_runs(forecasts_dir)
    latest = read_latest(forecasts_dir)
    protected = set(runs[-keep:]) | ({latest.name} if latest is not None else set())
    removed = []
    for run_id in runs:
        if run_id in protected:
            continue
        doomed = forecasts_dir / f".{run_id}{DELETING_SUFFIX}"
        os.rename(forecasts_dir / run_id, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        removed.append(run_id)
    if removed:
        fsync_dir(forecasts_dir)
    return removed
