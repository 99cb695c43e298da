"""Rolling-origin backtest: MASE, sMAPE and interval coverage per corridor and overall.

For each series the last `origins` forecast origins are used, `horizon` periods apart: origin
k (k = 1..origins) keeps the history up to ``n − k·h`` and is scored on the next ``h`` periods.
For short series ``h`` is shortened so that at least `MIN_TRAIN` periods remain before the
earliest origin; series too short even for ``h = 1`` are reported with NaN scores. Every
origin of every series is forecast in one `forecast_panel` call (one Dask fan-out).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from netdesign.forecast.engine import ForecastSettings, forecast_panel, split_series
from netdesign.forecast.metrics import coverage, mase, smape

MIN_TRAIN = 6
_SEP = "\x1f"
PER_SERIES_COLUMNS = ["series_id", "mase", "smape", "coverage_80", "coverage_95", "model"]
POINT_COLUMNS = ["series_id", "origin", "step", "actual", "mean", "lo_80", "hi_80", "lo_95",
                 "hi_95"]


@dataclass
class BacktestResult:
    """Scores per series (means over origins) and overall (means over series), and every
    scored point: series_id, origin (1 = latest), step (periods ahead, 1-based), actual and
    the forecast's mean and interval bounds (same units as the history)."""

    per_series: pd.DataFrame
    summary: dict[str, float] = field(default_factory=dict)
    points: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=POINT_COLUMNS))


def _origin_plan(values: np.ndarray, horizon: int, origins: int) -> tuple[int, list[int]]:
    """(effective horizon, list of cut points) for one series' period grid."""
    obs = np.flatnonzero(np.isfinite(values))
    if obs.size == 0 or origins < 1:
        return 0, []
    end = int(obs[-1]) + 1
    n = int(end - obs[0])
    h = min(horizon, (n - MIN_TRAIN) // origins)
    if h < 1:
        return 0, []
    return h, [end - k * h for k in range(1, origins + 1)]


def backtest_panel(history: pd.DataFrame, horizon: int,
                   settings: ForecastSettings = ForecastSettings(), *, origins: int = 3,
                   specs: dict[str, dict] | None = None, client=None) -> BacktestResult:
    """Rolling-origin evaluation of `forecast_panel` with the same settings (see module doc)."""
    grid, series = split_series(history, settings.frequency)
    m = int(settings.season_length or grid.season_length)
    settings = replace(settings, frequency=grid.freq, season_length=m)
    rows = []
    plans: dict[str, tuple[int, list[int], np.ndarray, pd.Period]] = {}
    for sid, start, values, _ in series:
        h, cuts = _origin_plan(values, horizon, origins)
        plans[sid] = (h, cuts, values, start)
        for k, cut in enumerate(cuts, start=1):
            dates = grid.dates(pd.period_range(start, periods=cut, freq=grid.freq))
            rows.append(pd.DataFrame({"series_id": f"{sid}{_SEP}{k}", "date": dates,
                                      "value": values[:cut]}))
    per_series = []
    points: list[pd.DataFrame] = []
    fc: dict[str, pd.DataFrame] = {}
    if rows:
        panel = pd.concat(rows, ignore_index=True)
        sub_specs = None
        if specs:
            sub_specs = {f"{sid}{_SEP}{k}": specs[sid] for sid in specs
                         for k in range(1, origins + 1)}
        res = forecast_panel(panel, horizon, settings, specs=sub_specs, client=client)
        fc = {sid: g for sid, g in res.forecasts.groupby("series_id", sort=False)}
    for sid, (h, cuts, values, start) in plans.items():
        scores = []
        model = ""
        for k, cut in enumerate(cuts, start=1):
            g = fc.get(f"{sid}{_SEP}{k}")
            if g is None:
                continue
            first = grid.periods(g["date"].iloc[:1])[0].ordinal - start.ordinal
            actual = values[first:first + h]
            sel = g.iloc[:len(actual)]
            ok = np.isfinite(actual)
            if not ok.any():
                continue
            a = actual[ok]
            pts = sel.loc[ok, [c for c in POINT_COLUMNS[4:] if c in sel]].reset_index(drop=True)
            pts.insert(0, "actual", a)
            pts.insert(0, "step", np.flatnonzero(ok) + 1)
            pts.insert(0, "origin", k)
            pts.insert(0, "series_id", sid)
            points.append(pts)
            train = values[:cut]
            f = pts["mean"].to_numpy()
            scores.append((mase(a, f, train[np.isfinite(train)], m), smape(a, f),
                           *(coverage(a, pts[f"lo_{lv}"].to_numpy(), pts[f"hi_{lv}"].to_numpy())
                             if f"lo_{lv}" in pts else np.nan for lv in (80, 95))))
            if k == 1:
                model = str(g["model"].iloc[0])
        s = np.array(scores, float) if scores else np.full((1, 4), np.nan)
        with np.errstate(all="ignore"):
            mean_scores = np.nanmean(s, axis=0) if np.isfinite(s).any() else s[0]
        per_series.append([sid, *mean_scores.tolist(), model])
    table = pd.DataFrame(per_series, columns=PER_SERIES_COLUMNS)
    summary = {c: float(np.nanmean(table[c])) if table[c].notna().any() else float("nan")
               for c in ("mase", "smape", "coverage_80", "coverage_95")}
    summary["n_series"] = float(table["mase"].notna().sum())
    summary["origins"] = float(origins)
    point_table = (pd.concat(points, ignore_index=True) if points
                   else pd.DataFrame(columns=POINT_COLUMNS))
    return BacktestResult(table, summary, point_table)
