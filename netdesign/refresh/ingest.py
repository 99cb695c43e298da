"""Find new or changed volume files in the data directory and read them.

A volume file is a CSV (UTF-8, header row) or Parquet file with the columns ``corridor``
(or ``corridor_id``), ``month`` (``YYYY-MM``) and ``parcels`` (parcels carried in that month,
parcels/month). Files are recognised as new or changed by the SHA-256 of their content,
compared with the hashes recorded in the store when they were last ingested. Hidden files
(``.name``) and files ending in ``.tmp``/``.part``/``.partial`` are ignored, so an uploader
can write under a temporary name and rename when done.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from netdesign.errors import Problem

SUFFIXES = (".csv", ".parquet", ".pq")
IGNORED_ENDINGS = (".tmp", ".part", ".partial")
CORRIDOR_COLUMNS = ("corridor", "corridor_id")


@dataclass(frozen=True)
class VolumeFile:
    """One volume file found in the data directory.

    name:   path relative to the data directory (the key in the ingest registry).
    status: ``"new"`` (never ingested) or ``"changed"`` (ingested before with other content).
    """

    path: Path
    name: str
    sha256: str
    size_bytes: int
    status: str


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's content."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _candidates(data_dir: Path) -> list[Path]:
    out = []
    for p in sorted(data_dir.iterdir()):
        if not p.is_file() or p.name.startswith("."):
            continue
        if p.name.endswith(IGNORED_ENDINGS) or p.suffix.lower() not in SUFFIXES:
            continue
        out.append(p)
    return out


def scan_data_dir(data_dir: Path, registry: dict[str, dict]) -> list[VolumeFile]:
    """New or changed volume files in `data_dir`, sorted by name.

    registry: file name -> record with at least ``sha256`` (what the store ingested before).
    """
    found = []
    for p in _candidates(data_dir):
        digest = file_sha256(p)
        known = registry.get(p.name)
        if known is not None and known.get("sha256") == digest:
            continue
        status = "new" if known is None else "changed"
        found.append(VolumeFile(p, p.name, digest, p.stat().st_size, status))
    return found


def read_volume_file(vf: VolumeFile) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one file into a raw frame: corridor_id, month, parcels (as read), row (1-based).

    Returns ``(None, problems)`` when the file cannot be read or lacks a required column.
    Values are not checked here (see `checks.check_volumes`).
    """
    src = str(vf.path)
    try:
        if vf.path.suffix.lower() == ".csv":
            raw = pd.read_csv(vf.path, dtype=str, keep_default_na=False, na_values=[""],
                              skipinitialspace=True, encoding="utf-8")
        else:
            raw = pd.read_parquet(vf.path)
    except Exception as exc:  # noqa: BLE001 - any read failure is bad input
        kind = "CSV" if vf.path.suffix.lower() == ".csv" else "Parquet"
        return None, [Problem(src, "(file)", None, None,
                              f"a readable {kind} file ({type(exc).__name__}: {exc})")]
    raw.columns = [str(c).strip() for c in raw.columns]
    problems = []
    corridor_col = next((c for c in CORRIDOR_COLUMNS if c in raw.columns), None)
    if corridor_col is None:
        problems.append(Problem(src, "header", "corridor", None,
                                "a column 'corridor' (or 'corridor_id') naming the corridor"))
    for col in ("month", "parcels"):
        if col not in raw.columns:
            expected = ("a column 'month' (YYYY-MM)" if col == "month"
                        else "a column 'parcels' (parcels/month)")
            problems.append(Problem(src, "header", col, None, expected))
    if problems:
        return None, problems
    frame = pd.DataFrame({
        "corridor_id": raw[corridor_col],
        "month": raw["month"],
        "parcels": raw["parcels"],
        "row": range(1, len(raw) + 1),
    })
    return frame, []
