"""The forecasting engine's public entry point: `forecast_panel` over many corridors.

Input is a long table of volumes per series and period (parcels/month for corridors; any
daily, weekly, monthly, quarterly or yearly series through `netdesign forecast`, the frequency
inferred from the dates by `periods`); output is a long table of forecasts with 80/95 %
intervals, a JSON spec per series (for refit-only refreshes) and
per-series diagnostics. Per-series work lives in `model.forecast_one`; the fan-out over Dask
process workers in `parallel`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netdesign.errors import InputError, Problem
from netdesign.forecast.calendar import CALENDARS, spring_festival_share
from netdesign.forecast.model import Outcome, forecast_one
from netdesign.forecast.parallel import chunk_size, chunked, default_workers, map_chunks
from netdesign.forecast.periods import EXPECTED, FREQUENCIES, FrequencyError, Grid, infer_grid

METHODS = ("auto", "ets", "theta", "arima", "seasonal_naive")
MISSING = ("impute", "reject", "report")
DIAG_COLUMNS = ["series_id", "n_obs", "n_missing", "imputed", "n_warnings", "fallback",
                "message"]


@dataclass(frozen=True)
class ForecastSettings:
    """How to forecast. `season_length` in periods (None: the frequency's, 12 for monthly
    data, 4 quarterly, 52 weekly, 7 daily, 1 yearly); `frequency` a code of
    `periods.FREQUENCIES` ("M", "Q", ...; None: inferred from the dates); `levels` in %
    (central intervals)."""

    season_length: int | None = None
    frequency: str | None = None
    method: str = "auto"  # "auto" | "ets" | "theta" | "arima" | "seasonal_naive"
    missing: str = "impute"  # "impute" | "reject" | "report" (missing months inside a series)
    levels: tuple[int, ...] = (80, 95)
    workers: int | None = None  # Dask process workers; None = one per core; 1 = serial
    progress: bool = True
    # "china": adjust monthly series for the moving Spring Festival where the effect is
    # significant (`calendar`); "none": no calendar regressors (competition data, non-Chinese
    # series, or non-monthly frequencies, where it is ignored).
    calendar: str = "none"


@dataclass
class ForecastResult:
    """Forecasts (parcels per period), stored specs, diagnostics, wall seconds, and the
    period grid and season length (periods) that were used."""

    forecasts: pd.DataFrame
    specs: dict[str, dict] = field(default_factory=dict)
    diagnostics: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DIAG_COLUMNS))
    seconds: float = 0.0
    grid: Grid = field(default_factory=Grid)
    season_length: int = 12


def _check_settings(settings: ForecastSettings, horizon: int) -> None:
    problems = []
    src = "ForecastSettings"
    if settings.method not in METHODS:
        problems.append(Problem(src, "method", "method", settings.method, f"one of {METHODS}"))
    if settings.missing not in MISSING:
        problems.append(Problem(src, "missing", "missing", settings.missing,
                                f"one of {MISSING}"))
    m = settings.season_length
    if m is not None and not (isinstance(m, int | np.integer) and m >= 1):
        problems.append(Problem(src, "season_length", "season_length", m,
                                "an integer >= 1 (periods), or None for the frequency's"))
    freq = settings.frequency
    if freq is not None and (not isinstance(freq, str) or freq.split("-")[0] not in FREQUENCIES):
        problems.append(Problem(src, "frequency", "frequency", freq,
                                f"one of {', '.join(FREQUENCIES)}, or None to infer it"))
    if settings.calendar not in CALENDARS:
        problems.append(Problem(src, "calendar", "calendar", settings.calendar,
                                f"one of {CALENDARS}"))
    if not settings.levels or any(not 0 < lv < 100 for lv in settings.levels):
        problems.append(Problem(src, "levels", "levels", settings.levels,
                                "interval levels in % between 0 and 100"))
    if not (isinstance(horizon, int | np.integer) and horizon >= 1):
        problems.append(Problem("forecast_panel", "horizon", "horizon", horizon,
                                "an integer >= 1 (periods)"))
    if problems:
        raise InputError(problems, "invalid forecast settings")


def _dates(history: pd.DataFrame) -> pd.Series:
    """The history's dates as timestamps; raises `InputError` naming unreadable rows."""
    missing_cols = [c for c in ("series_id", "date", "value") if c not in history.columns]
    if missing_cols:
        raise InputError([Problem("history", "columns", c, None, "a column named " + c)
                          for c in missing_cols], "invalid forecast history")
    dates = history["date"]
    if isinstance(dates.dtype, pd.PeriodDtype):
        return dates.dt.to_timestamp(how="start")
    if pd.api.types.is_datetime64_any_dtype(dates):
        return dates
    parsed = pd.to_datetime(dates.astype(str).str.strip(), errors="coerce", format="ISO8601")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        raise InputError([Problem("history", f"row {i + 1}", "date", dates.iloc[i],
                                  "an ISO date such as 2024-01-01") for i in bad[:20]],
                         "invalid forecast history")
    return parsed


def split_series(history: pd.DataFrame, frequency: str | None = None
                 ) -> tuple[Grid, list[tuple[str, pd.Period, np.ndarray, str]]]:
    """The period grid of a history table (`frequency` given, or inferred from its dates)
    and one (series_id, first period, values on a contiguous period grid, note) per series.
    Raises `InputError` for missing columns, unreadable dates or an unsupported spacing."""
    dates = _dates(history)
    sids = history["series_id"].astype(str)
    try:
        grid = infer_grid(dates, sids, frequency)
    except FrequencyError as exc:
        raise InputError([Problem("history", "all rows", "date", str(exc), EXPECTED)],
                         "cannot tell the period of the history's dates") from None
    frame = pd.DataFrame({"series_id": sids, "period": grid.periods(dates),
                          "value": pd.to_numeric(history["value"], errors="coerce")})
    out = []
    for sid, g in frame.groupby("series_id", sort=False):
        note = ""
        if g["period"].duplicated().any():
            note = f"{int(g['period'].duplicated().sum())} duplicate {grid.unit}(s) summed"
            g = g.groupby("period", as_index=False)["value"].sum(min_count=1)
        ords = np.array([p.ordinal for p in g["period"]])
        start = int(ords.min())
        values = np.full(int(ords.max()) - start + 1, np.nan)
        values[ords - start] = g["value"].to_numpy(float)
        out.append((str(sid), pd.Period(ordinal=start, freq=grid.freq), values, note))
    return grid, out


def _run_chunk(payload: tuple[list, int, dict]) -> list[Outcome]:
    items, horizon, opts = payload
    return [forecast_one(sid, values, horizon, spec=spec, regressor=x, **opts)
            for sid, values, spec, x in items]


def _calendar_regressor(calendar: str, grid: Grid, m: int, start: pd.Period, n: int,
                        horizon: int) -> np.ndarray | None:
    """The Spring Festival window share for the series' months and its horizon (monthly
    data with a 12-month season and `calendar` "china" only; None otherwise or when the
    months leave the festival table's years)."""
    if calendar != "china" or m != 12 or not grid.freq.startswith("M"):
        return None
    periods = pd.period_range(start, periods=n + horizon, freq=grid.freq)
    try:
        return spring_festival_share(periods)
    except ValueError:
        return None


def _rows(outcome: Outcome, start: pd.Period, grid: Grid, levels: tuple[int, ...]
          ) -> pd.DataFrame:
    h = len(outcome.table["mean"])
    periods = pd.period_range(start + outcome.first_step, periods=h, freq=grid.freq)
    data: dict[str, Any] = {"series_id": outcome.series_id, "date": grid.dates(periods)}
    data["mean"] = outcome.table["mean"]
    for lv in sorted(levels):
        data[f"lo_{lv}"] = outcome.table[f"lo_{lv}"]
        data[f"hi_{lv}"] = outcome.table[f"hi_{lv}"]
    data["model"] = outcome.model
    return pd.DataFrame(data)


def forecast_panel(history: pd.DataFrame, horizon: int,
                   settings: ForecastSettings = ForecastSettings(), *,
                   specs: dict[str, dict] | None = None, client: Any = None) -> ForecastResult:
    """Forecast every series in `history` (columns series_id, date, value; parcels per
    period) `horizon` periods past its last observation. See the module docstring and
    docs/forecasting.md. Raises `InputError` only for unusable settings, columns or dates
    (and, with ``missing="reject"``, never: rejected series fall back to seasonal naive)."""
    t0 = time.perf_counter()
    _check_settings(settings, horizon)
    grid, series = split_series(history, settings.frequency)
    m = int(settings.season_length or grid.season_length)
    specs = specs or {}
    opts = {"season_length": m, "method": settings.method,
            "missing": settings.missing, "levels": tuple(settings.levels)}
    items = [(sid, values, specs.get(sid),
              _calendar_regressor(settings.calendar, grid, m, start, len(values), horizon))
             for sid, start, values, _ in series]
    workers = settings.workers or default_workers()
    size = chunk_size(len(items), workers)
    chunks = chunked(items, size)
    payloads = [(c, int(horizon), opts) for c in chunks]
    results = map_chunks(_run_chunk, payloads, workers=workers, client=client,
                         progress=settings.progress, weights=[len(c) for c in chunks])
    outcomes = [o for chunk in results for o in chunk]
    starts = {sid: start for sid, start, _, _ in series}
    notes = {sid: note for sid, _, _, note in series}
    frames = [_rows(o, starts[o.series_id], grid, settings.levels) for o in outcomes]
    cols = ["series_id", "date", "mean"] + [f"{b}_{lv}" for lv in sorted(settings.levels)
                                            for b in ("lo", "hi")] + ["model"]
    forecasts = (pd.concat(frames, ignore_index=True) if frames
                 else pd.DataFrame(columns=cols))[cols]
    diag = pd.DataFrame([{
        "series_id": o.series_id, "n_obs": o.n_obs, "n_missing": o.n_missing,
        "imputed": o.imputed, "n_warnings": o.n_warnings, "fallback": o.fallback,
        "message": "; ".join(([notes[o.series_id]] if notes[o.series_id] else [])
                             + o.messages)} for o in outcomes], columns=DIAG_COLUMNS)
    return ForecastResult(forecasts, {o.series_id: o.spec for o in outcomes}, diag,
                          time.perf_counter() - t0, grid, m)


def settings_dict(settings: ForecastSettings) -> dict[str, Any]:
    """Settings as a plain dict (for logs and stored metadata)."""
    return asdict(settings)
