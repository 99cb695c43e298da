"""Refit or re-select the corridor models and backtest them (the forecasting step of a refresh).

Stored specs are refitted (parameters only) unless a full re-selection is due (schedule, no
stored specs, or `--full-reselect`). After the backtest, a corridor whose MASE exceeds the MASE
recorded when its model was selected by more than `reselect_if_mase_worse` is re-selected.
Every corridor ends up with a `spec_source`:

- ``refit``:               stored spec reused, parameters refitted;
- ``selected_new``:        no stored spec (new corridor, unreadable spec): automatic selection;
- ``reselected_schedule``: full re-selection (schedule, first run or `--full-reselect`);
- ``reselected_worse``:    backtest error worsened beyond the tolerance: re-selected;
- ``spec_rejected``:       the engine could not refit the stored spec (stale: e.g. the
                           season length changed) and selected a new model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from netdesign.forecast import (
    ForecastSettings,
    IntervalCalibration,
    backtest_panel,
    fit_calibration,
    forecast_panel,
)

BACKTEST_COLUMNS = ["series_id", "mase", "smape", "coverage_80", "coverage_95", "model"]


@dataclass(frozen=True)
class FitPlan:
    """What the run will do with the models. `specs`: corridor -> stored spec to refit."""

    full: bool
    reason: str
    specs: dict[str, dict[str, Any]]


@dataclass
class FitOutcome:
    """forecasts: engine frame (series_id = corridor id, parcels/month). backtest: one row per
    corridor with `spec_source`. specs: the engine's spec per corridor (to store)."""

    forecasts: pd.DataFrame
    backtest: pd.DataFrame
    backtest_summary: dict[str, float]
    specs: dict[str, dict[str, Any]]
    spec_source: dict[str, str]
    diagnostics: pd.DataFrame
    worsened: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    calibration: IntervalCalibration | None = None  # from the backtest's points, if enough


def plan_fit(stored: dict[str, dict[str, Any]], corridors: list[str],
             last_full_utc: str | None, now: datetime, full_reselect_days: float,
             force_full: bool = False) -> FitPlan:
    """Decide between a refit with stored specs and a full re-selection."""
    usable = {c: stored[c]["spec"] for c in corridors if c in stored}
    if force_full:
        return FitPlan(True, "--full-reselect requested", {})
    if not usable:
        return FitPlan(True, "no stored model specs", {})
    if last_full_utc is None:
        return FitPlan(True, "no full re-selection recorded", {})
    days = (now - datetime.fromisoformat(last_full_utc)).total_seconds() / 86400.0
    if days >= full_reselect_days:
        return FitPlan(True, f"scheduled: {days:.1f} days since the last full re-selection "
                             f"(interval {full_reselect_days:g} days)", {})
    return FitPlan(False, f"refit stored specs ({days:.1f} days since the last full "
                          f"re-selection)", usable)


def _worse(mase: float, baseline: Any, tolerance: float) -> bool:
    try:
        base = float(baseline)
    except (TypeError, ValueError):
        return False
    if not (math.isfinite(mase) and math.isfinite(base)):
        return False
    return mase > base * (1.0 + tolerance)


def fit_corridors(
    history: pd.DataFrame,
    plan: FitPlan,
    stored: dict[str, dict[str, Any]],
    settings: ForecastSettings,
    *,
    horizon: int,
    backtest_horizon: int,
    backtest_origins: int,
    worse_tolerance: float,
    client: Any = None,
    pause: Callable[[str], None] | None = None,
) -> FitOutcome:
    """Backtest, re-select worsened corridors, and forecast `horizon` months.

    history: engine frame (series_id, date, value in parcels/month).
    """
    corridors = sorted(history["series_id"].unique())
    specs = dict(plan.specs)
    seconds: dict[str, float] = {}
    worsened: list[str] = []
    t = time.perf_counter()
    if backtest_origins > 0:
        bt = backtest_panel(history, backtest_horizon, settings, origins=backtest_origins,
                            specs=specs or None, client=client)
        per = bt.per_series[BACKTEST_COLUMNS].copy()
        points = bt.points
        summary = dict(bt.summary)
        for rec in per.itertuples(index=False):
            if rec.series_id in specs and _worse(float(rec.mase),
                                                 stored[rec.series_id].get("selection_mase"),
                                                 worse_tolerance):
                worsened.append(rec.series_id)
        if worsened:
            for c in worsened:
                specs.pop(c)
            sub = history[history["series_id"].isin(worsened)]
            bt2 = backtest_panel(sub, backtest_horizon, settings, origins=backtest_origins,
                                 specs=None, client=client)
            per = pd.concat([per[~per["series_id"].isin(worsened)],
                             bt2.per_series[BACKTEST_COLUMNS]], ignore_index=True)
            summary.update({k: float(per[k].mean()) for k in
                            ("mase", "smape", "coverage_80", "coverage_95")})
            points = pd.concat([points[~points["series_id"].isin(worsened)], bt2.points],
                               ignore_index=True)
        summary.update(_interval_factors(points))
        calibration = fit_calibration(points)
    else:
        per = pd.DataFrame(columns=BACKTEST_COLUMNS)
        summary = {}
        calibration = None
    seconds["backtest"] = time.perf_counter() - t
    if pause:
        pause("backtested")

    t = time.perf_counter()
    fc = forecast_panel(history, horizon, settings, specs=specs or None, client=client)
    seconds["forecast"] = time.perf_counter() - t

    rejected = _rejected_specs(fc.diagnostics, specs)
    source = {}
    for c in corridors:
        if c in rejected:
            source[c] = "spec_rejected"
        elif c in specs:
            source[c] = "refit"
        elif c in worsened:
            source[c] = "reselected_worse"
        elif plan.full:
            source[c] = "reselected_schedule"
        else:
            source[c] = "selected_new"
    per = per.assign(spec_source=per["series_id"].map(source)).sort_values("series_id")
    return FitOutcome(
        forecasts=fc.forecasts, backtest=per.reset_index(drop=True), backtest_summary=summary,
        specs=dict(fc.specs), spec_source=source, diagnostics=fc.diagnostics,
        worsened=sorted(worsened), seconds=seconds, calibration=calibration,
    )


def _interval_factors(points: pd.DataFrame) -> dict[str, float]:
    """Monitoring: the factor by which each interval's half-widths would have had to be
    scaled for the backtest to cover at the nominal rate (split conformal, pooled;
    `forecast.calibration`). Above 1: the published intervals are too narrow at the
    backtest horizon. Empty when the backtest has too few points."""
    cal = fit_calibration(points)
    if cal is None:
        return {}
    return {f"interval_factor_{lv}": round(f, 4) for lv, f in sorted(cal.factors.items())}


def _rejected_specs(diagnostics: pd.DataFrame, specs: dict[str, Any]) -> set[str]:
    """Corridors whose stored spec the engine could not use (it re-selected them); the
    engine says so in its diagnostics message ("stored spec ... full selection")."""
    if diagnostics is None or "message" not in diagnostics.columns:
        return set()
    msg = diagnostics["message"].fillna("").astype(str)
    hit = msg.str.contains("stored spec", regex=False) & msg.str.contains("full selection",
                                                                          regex=False)
    return {str(c) for c in diagnostics.loc[hit, "series_id"] if c in specs}


def spec_records(outcome: FitOutcome, stored: dict[str, dict[str, Any]], now: datetime,
                 run_id: str) -> dict[str, dict[str, Any]]:
    """The model records to store: refitted specs keep their selection time and MASE."""
    mase = dict(zip(outcome.backtest["series_id"], outcome.backtest["mase"], strict=True))
    out = {}
    for corridor, spec in outcome.specs.items():
        source = outcome.spec_source.get(corridor, "selected_new")
        if source == "refit" and corridor in stored:
            prev = stored[corridor]
            rec = {"selected_utc": prev.get("selected_utc"),
                   "selection_mase": prev.get("selection_mase"),
                   "selected_run_id": prev.get("selected_run_id")}
        else:
            m = mase.get(corridor)
            rec = {"selected_utc": now.isoformat(timespec="seconds"),
                   "selection_mase": (float(m) if m is not None and math.isfinite(float(m))
                                      else None),
                   "selected_run_id": run_id}
        out[corridor] = {**rec, "spec": spec, "refitted_run_id": run_id,
                         "spec_source": source}
    return out
