"""The refresh store: merged history, ingest registry, model specs, logs, published runs.

Layout under the store directory (``--store``, default the current directory)::

    models/<corridor>.json      chosen model spec per corridor (plain JSON, no pickles)
    forecasts/<run-id>/         published runs (see publish.py); forecasts/latest -> <run-id>
    state/history.parquet       merged history: corridor_id, month (YYYY-MM), parcels, source
    state/state.json            ingested files and their SHA-256, last full re-selection time
    state/refresh.lock          the lock (lock.py)
    state/logs/<run-id>.log     one log file per refresh

Every file is written under a temporary name in its folder and renamed into place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pandas as pd

from netdesign.atomic import write_atomic, write_json_atomic

HISTORY_COLUMNS = ["corridor_id", "month", "parcels", "source"]


def spec_filename(corridor_id: str) -> str:
    """File name of a corridor's spec: the id percent-encoded (ids may hold '>' or '/')."""
    name = quote(corridor_id, safe="")
    if name.startswith("."):
        name = "%2E" + name[1:]
    return name + ".json"


@dataclass(frozen=True)
class Store:
    """Paths of one refresh store and the reading/writing of its state."""

    root: Path

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def forecasts_dir(self) -> Path:
        return self.root / "forecasts"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def lock_path(self) -> Path:
        return self.state_dir / "refresh.lock"

    @property
    def history_path(self) -> Path:
        return self.state_dir / "history.parquet"

    @property
    def state_path(self) -> Path:
        return self.state_dir / "state.json"

    def ensure(self) -> None:
        """Create the store folders."""
        for d in (self.models_dir, self.forecasts_dir, self.logs_dir):
            d.mkdir(parents=True, exist_ok=True)

    # --- state.json ---------------------------------------------------------------------
    def read_state(self) -> dict[str, Any]:
        """``{"ingested": {file name: record}, "last_full_selection_utc": iso | None}``."""
        if not self.state_path.is_file():
            return {"ingested": {}, "last_full_selection_utc": None}
        state = json.loads(self.state_path.read_text(encoding="utf-8"))
        state.setdefault("ingested", {})
        state.setdefault("last_full_selection_utc", None)
        return state

    def write_state(self, state: dict[str, Any]) -> None:
        write_json_atomic(self.state_path, state)

    # --- history ------------------------------------------------------------------------
    def read_history(self) -> pd.DataFrame | None:
        """The merged history (month as ``Period[M]``), or None before the first refresh."""
        if not self.history_path.is_file():
            return None
        df = pd.read_parquet(self.history_path)
        df["month"] = pd.PeriodIndex(df["month"].astype(str), freq="M")
        return df[HISTORY_COLUMNS]

    def write_history(self, history: pd.DataFrame) -> None:
        """Write the merged history (month stored as ``YYYY-MM`` text)."""
        out = history[HISTORY_COLUMNS].copy()
        out["month"] = out["month"].astype(str)
        out["parcels"] = out["parcels"].astype(float)
        write_atomic(self.history_path, lambda tmp: out.to_parquet(tmp, index=False))

    # --- model specs --------------------------------------------------------------------
    def read_specs(self) -> dict[str, dict[str, Any]]:
        """corridor_id -> stored record ``{corridor_id, spec, selected_utc, selection_mase,
        run_id}``. Unreadable files are skipped (the corridor is re-selected)."""
        out: dict[str, dict[str, Any]] = {}
        if not self.models_dir.is_dir():
            return out
        for p in sorted(self.models_dir.glob("*.json")):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            cid = rec.get("corridor_id") if isinstance(rec, dict) else None
            if not isinstance(cid, str) or not isinstance(rec.get("spec"), dict):
                continue
            if spec_filename(cid) != p.name and unquote(p.stem) != cid:
                continue
            out[cid] = rec
        return out

    def write_spec(self, corridor_id: str, record: dict[str, Any]) -> None:
        write_json_atomic(self.models_dir / spec_filename(corridor_id),
                          {**record, "corridor_id": corridor_id})
