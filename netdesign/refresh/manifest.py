"""The manifest of a published run, and the fingerprint that decides whether to run at all.

The fingerprint is a SHA-256 over the merged history, the corridor list, the forecast settings
and the horizon: a refresh whose fingerprint equals that of the run `latest` points to has
nothing to do.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from netdesign.refresh.history import history_hash
from netdesign.results.provenance import package_versions


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(history: pd.DataFrame, corridors: list[str], settings: Any, horizon: int,
                forecast_cfg: Any) -> str:
    """What a run's output depends on; equal fingerprints mean nothing to do."""
    parts = {
        "history": history_hash(history),
        "corridors": sorted(corridors),
        "settings": {k: v for k, v in asdict(settings).items() if k not in ("progress",
                                                                            "workers")},
        "horizon": horizon,
        "backtest": [forecast_cfg.backtest_horizon, forecast_cfg.backtest_origins],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def engine_warnings(diagnostics: pd.DataFrame, limit: int = 200) -> list[str]:
    """Per-corridor warnings from the engine's diagnostics (fallbacks, fit warnings)."""
    if diagnostics is None or diagnostics.empty:
        return []
    out = []
    cols = set(diagnostics.columns)
    for rec in diagnostics.to_dict("records"):
        fallback = bool(rec.get("fallback")) if "fallback" in cols else False
        n_warn = int(rec.get("n_warnings") or 0) if "n_warnings" in cols else 0
        imputed = bool(rec.get("imputed")) if "imputed" in cols else False
        if not (fallback or imputed or n_warn):
            continue
        bits = []
        if fallback:
            bits.append("fell back to seasonal naive")
        if imputed:
            bits.append(f"{int(rec.get('n_missing') or 0)} missing month(s) imputed")
        if n_warn:
            bits.append(f"{n_warn} fit warning(s)")
        msg = rec.get("message") or ""
        out.append(f"corridor {rec['series_id']}: {', '.join(bits)}" + (f" ({msg})" if msg
                                                                          else ""))
    if len(out) > limit:
        out = out[:limit] + [f"... and {len(out) - limit} more"]
    return out


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    """Numbers as plain JSON numbers (integers stay integers)."""
    out = {}
    for k, v in summary.items():
        if isinstance(v, (int, float)) and float(v).is_integer() and k in ("n_series",
                                                                          "origins"):
            out[k] = int(v)
        elif isinstance(v, (int, float)):
            out[k] = float(v)
        else:
            out[k] = v
    return out


def build_manifest(*, cfg, config_path: Path, network, run_id: str, now: datetime, state,
                   files, counts, merged: pd.DataFrame, fingerprint: str, horizon: int,
                   settings, plan, outcome, warnings, timings: dict[str, float],
                   started: float) -> dict[str, Any]:
    """Everything needed to trace a run: inputs and hashes, versions, timings, models."""
    bottom = outcome.forecasts[outcome.forecasts["series_id"].isin(list(outcome.spec_source))]
    per_corridor_model = (bottom.groupby("series_id")["model"].first()
                          if len(bottom) else pd.Series(dtype=str))
    reuse: dict[str, int] = {"refit": 0, "selected_new": 0, "reselected_schedule": 0,
                             "reselected_worse": 0, "spec_rejected": 0}
    for source in outcome.spec_source.values():
        reuse[source] = reuse.get(source, 0) + 1
    return {
        "run_id": run_id,
        "created_utc": now.isoformat(timespec="seconds"),
        "study": cfg.name,
        "config": {"path": str(Path(config_path).resolve()),
                   "sha256": file_sha256(Path(config_path))},
        "network": {"source": network.source, "version": network.version},
        "fingerprint": fingerprint,
        "history": {
            "sha256": history_hash(merged), "corridors": int(merged["corridor_id"].nunique()),
            "rows": int(len(merged)), "first_month": str(merged["month"].min()),
            "last_month": str(merged["month"].max()), "units": "parcels/month",
        },
        "inputs": {
            "this_run": [{"name": vf.name, "path": str(vf.path), "sha256": vf.sha256,
                          "status": vf.status, "rows": counts.get(vf.name, 0)}
                         for vf in files],
            "all_ingested": state.get("ingested", {}),
        },
        "settings": {**{k: v for k, v in asdict(settings).items() if k != "progress"},
                     "horizon_months": horizon,
                     "backtest_horizon_months": cfg.forecast.backtest_horizon,
                     "backtest_origins": cfg.forecast.backtest_origins,
                     "refresh": cfg.refresh.model_dump()},
        "package_versions": package_versions(),
        "timings_s": {**{k: round(v, 3) for k, v in timings.items()},
                      "until_manifest": round(time.perf_counter() - started, 3)},
        "model_plan": {"full_reselection": plan.full, "reason": plan.reason},
        "spec_reuse": reuse,
        "reselected_worse": outcome.worsened,
        "models_used": {str(k): int(v) for k, v in
                        per_corridor_model.value_counts().sort_index().items()},
        "backtest": _plain(outcome.backtest_summary),
        "warnings": [str(w) for w in warnings] + engine_warnings(outcome.diagnostics),
        "files": {
            "forecasts.parquet": "series_id (corridor id), date (month start), mean, lo_80, "
                                 "hi_80, lo_95, hi_95 (parcels/month), model",
            "forecasts.csv": "the same as CSV",
            "backtest.csv": "series_id, mase, smape, coverage_80, coverage_95, model, "
                            "spec_source",
            "history.parquet": "corridor_id, month (YYYY-MM), parcels (parcels/month), source",
        },
    }
