"""Prediction intervals calibrated on a backtest (split conformal, pooled over series).

The model-based intervals (`intervals`) assume the fitted models are right; outside M3-like
monthly data they are too narrow (docs/benchmarks.md). Calibration corrects their width with
the errors the engine actually made in a rolling-origin backtest of the same panel:

- For every backtest point (series, origin, period ahead) and level L, the score is how many
  times the interval's half-width on the side of the actual the error was:
  ``(mean − actual) / (mean − lo_L)`` below the mean, ``(actual − mean) / (hi_L − mean)``
  above. The actual lies inside the interval exactly when the score is at most 1.
- The factor for level L is the conformal quantile of the scores pooled over all points: the
  ⌈(n + 1) L / 100⌉-th smallest of n (Lei et al. 2018, split conformal prediction with a
  normalised score). Pooling over series and horizons keeps the factor stable on small
  panels; the model-based interval still sets how the width grows with the horizon and
  differs between series.
- New intervals: ``lo = max(mean − f (mean − lo), 0)``, ``hi = mean + f (hi − mean)``, kept
  nested (lo_95 ≤ lo_80, hi_80 ≤ hi_95). A factor below 1 narrows intervals that were too
  wide.

The guarantee is marginal and assumes the backtest errors are exchangeable with the future
ones; it is checked on competition data in docs/benchmarks.md ("interval calibration").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_POINTS = 30          # fewer backtest points than this: too few to calibrate
MAX_FACTOR = 10.0        # cap: a larger factor means the backtest, not the width, is wrong


@dataclass(frozen=True)
class IntervalCalibration:
    """Half-width factors per interval level, from `n_points` backtest points."""

    factors: dict[int, float]
    n_points: int


def interval_scores(points: pd.DataFrame, level: int) -> np.ndarray:
    """Scores of the backtest points (columns actual, mean, lo_L, hi_L) for level `level`:
    the error as a multiple of the half-width on its side (≤ 1 inside the interval). A
    zero-width side gives 0 when the actual is on it, else infinity."""
    a = points["actual"].to_numpy(float)
    mu = points["mean"].to_numpy(float)
    lo = points[f"lo_{level}"].to_numpy(float)
    hi = points[f"hi_{level}"].to_numpy(float)
    ok = np.isfinite(a) & np.isfinite(mu) & np.isfinite(lo) & np.isfinite(hi)
    a, mu, lo, hi = a[ok], mu[ok], lo[ok], hi[ok]
    below, above = mu - lo, hi - mu
    err = np.where(a < mu, mu - a, a - mu)
    width = np.where(a < mu, below, above)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(width > 0, err / np.where(width > 0, width, 1.0),
                         np.where(err > 0, np.inf, 0.0))
    return score


def fit_calibration(points: pd.DataFrame, levels: tuple[int, ...] = (80, 95)
                    ) -> IntervalCalibration | None:
    """Factors per level from backtest `points` (see module doc); None when there are fewer
    than `MIN_POINTS` usable points."""
    factors: dict[int, float] = {}
    n_used = 0
    for level in levels:
        s = np.sort(interval_scores(points, level))
        n = len(s)
        if n < MIN_POINTS:
            return None
        k = math.ceil((n + 1) * level / 100.0)
        f = float(s[min(k, n) - 1])
        factors[level] = min(f, MAX_FACTOR) if np.isfinite(f) else MAX_FACTOR
        n_used = n
    return IntervalCalibration(factors, n_used)


def apply_calibration(forecasts: pd.DataFrame, cal: IntervalCalibration) -> pd.DataFrame:
    """`forecasts` (mean, lo_L, hi_L columns) with every interval scaled by its level's
    factor around the mean, non-negative and nested; other columns unchanged."""
    out = forecasts.copy()
    mu = out["mean"].to_numpy(float)
    lo_prev, hi_prev = mu, mu
    for level in sorted(cal.factors):
        f = cal.factors[level]
        lo = np.maximum(mu - f * (mu - out[f"lo_{level}"].to_numpy(float)), 0.0)
        hi = mu + f * (out[f"hi_{level}"].to_numpy(float) - mu)
        lo, hi = np.minimum(lo, lo_prev), np.maximum(hi, hi_prev)
        out[f"lo_{level}"], out[f"hi_{level}"] = lo, hi
        lo_prev, hi_prev = lo, hi
    return out


CALIBRATED = "calibrated"
EXTRAPOLATED = "extrapolated"
MODEL = "model"


def apply_calibration_by_horizon(forecasts: pd.DataFrame, cal: IntervalCalibration | None,
                                 calibrated_steps: int) -> pd.DataFrame:
    """`apply_calibration` for published forecasts whose horizon may exceed the backtest's,
    plus a column `interval_basis` saying where each row's interval width comes from.

    Rule for horizons longer than any backtest: the factor measured over steps
    1..`calibrated_steps` (the backtest horizon, periods) is held unchanged for every later
    step, so the interval keeps growing as the model's own forecast variance grows (the
    factor corrects the level of the model's variance, the model sets its growth with the
    horizon). Rows up to `calibrated_steps` periods after each series' last observation (its
    first forecast row is step 1) are ``calibrated``; later rows ``extrapolated``. With no
    calibration (`cal` None) the intervals are unchanged and every row is ``model``.
    `forecasts` must be sorted by date within each series (as `forecast_panel` returns it).
    """
    if cal is None:
        return forecasts.assign(interval_basis=MODEL)
    out = apply_calibration(forecasts, cal)
    step = out.groupby("series_id", sort=False).cumcount().to_numpy() + 1
    out["interval_basis"] = np.where(step <= calibrated_steps, CALIBRATED, EXTRAPOLATED)
    return out


def holdout_coverage(points: pd.DataFrame, levels: tuple[int, ...] = (80, 95)
                     ) -> dict[str, float]:
    """An honest check of the calibration: factors fitted on the backtest's older origins
    (origin ≥ 2) and applied to the latest origin's points (origin 1), which they never saw.
    Returns ``coverage_<L>_calibrated`` (share of the latest origin's actuals inside the
    calibrated interval) and ``coverage_<L>_uncalibrated`` for the same points; empty when
    there are fewer than two origins or too few points."""
    if points.empty or "origin" not in points or points["origin"].max() < 2:
        return {}
    cal = fit_calibration(points[points["origin"] >= 2], levels)
    test = points[points["origin"] == 1]
    if cal is None or test.empty:
        return {}
    scaled = apply_calibration(test, cal)
    a = test["actual"].to_numpy(float)
    out: dict[str, float] = {}
    for lv in levels:
        for name, frame in (("calibrated", scaled), ("uncalibrated", test)):
            lo, hi = frame[f"lo_{lv}"].to_numpy(float), frame[f"hi_{lv}"].to_numpy(float)
            out[f"coverage_{lv}_{name}"] = float(np.mean((a >= lo) & (a <= hi)))
    return out


def cross_validated_coverage(points: pd.DataFrame, levels: tuple[int, ...] = (80, 95)
                             ) -> dict[str, float]:
    """Leave-one-origin-out check of the calibration: for every backtest origin, factors
    fitted on all the other origins and applied to that origin's points; returns
    ``coverage_<L>_calibrated``, the mean over the origins of the share of actuals inside the
    calibrated interval, ``coverage_<L>_min`` / ``_max`` over the origins, ``origins`` and,
    when origin 1 is among them, ``coverage_<L>_latest`` (that origin's share, the
    calibrated figure of `holdout_coverage`).

    Where `holdout_coverage` tests one year (one common draw when the series' errors move
    together, docs/benchmarks.md), this averages every year the backtest holds, each tested by
    factors that never saw it. Empty with fewer than two origins or too few points."""
    if points.empty or "origin" not in points or points["origin"].nunique() < 2:
        return {}
    per: dict[int, list[float]] = {lv: [] for lv in levels}
    for k in sorted(points["origin"].unique()):
        test = points[points["origin"] == k]
        cal = fit_calibration(points[points["origin"] != k], levels)
        if cal is None or test.empty:
            return {}
        scaled = apply_calibration(test, cal)
        a = test["actual"].to_numpy(float)
        for lv in levels:
            lo, hi = scaled[f"lo_{lv}"].to_numpy(float), scaled[f"hi_{lv}"].to_numpy(float)
            per[lv].append(float(np.mean((a >= lo) & (a <= hi))))
    out: dict[str, float] = {"origins": float(points["origin"].nunique())}
    latest = 1 in set(points["origin"])  # origins sorted: the latest one's share comes first
    for lv in levels:
        out[f"coverage_{lv}_calibrated"] = float(np.mean(per[lv]))
        if latest:  # = holdout_coverage's calibrated share: factors from origins >= 2
            out[f"coverage_{lv}_latest"] = per[lv][0]
        out[f"coverage_{lv}_min"] = float(np.min(per[lv]))
        out[f"coverage_{lv}_max"] = float(np.max(per[lv]))
    return out
