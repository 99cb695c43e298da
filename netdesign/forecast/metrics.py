"""Forecast accuracy measures (as computed in the M3/M4 competitions).

All functions take plain arrays of volumes (parcels/month); none of them raise on zeros.
"""

from __future__ import annotations

import numpy as np


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in % (M3 definition): mean of 200·|y − f| / (|y| + |f|); 0/0 counts as 0."""
    a = np.asarray(actual, float)
    f = np.asarray(forecast, float)
    den = np.abs(a) + np.abs(f)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(den > 0, 200.0 * np.abs(a - f) / den, 0.0)
    return float(np.mean(terms))


def mase_scale(insample: np.ndarray, season_length: int) -> float:
    """In-sample mean absolute error of the seasonal naive forecast (lag m; lag 1 if too short).

    Returns NaN when the scale is undefined (fewer than 2 observations) and falls back to the
    lag-1 scale, then to the mean absolute level, when the seasonal one is 0 (a flat series).
    """
    y = np.asarray(insample, float)
    y = y[np.isfinite(y)]
    if y.size < 2:
        return float("nan")
    lag = season_length if y.size > season_length else 1
    scale = float(np.mean(np.abs(y[lag:] - y[:-lag])))
    if scale <= 0 and lag != 1:
        scale = float(np.mean(np.abs(np.diff(y))))
    if scale <= 0:
        scale = float(np.mean(np.abs(y)))
    return scale if scale > 0 else float("nan")


def mase(actual: np.ndarray, forecast: np.ndarray, insample: np.ndarray,
         season_length: int) -> float:
    """Mean absolute scaled error: MAE of the forecast / `mase_scale` of the history."""
    scale = mase_scale(insample, season_length)
    err = float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float))))
    return err / scale if np.isfinite(scale) else float("nan")


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actual values inside [lower, upper] (0..1)."""
    a = np.asarray(actual, float)
    return float(np.mean((a >= np.asarray(lower, float)) & (a <= np.asarray(upper, float))))
