"""Temporal aggregation: forecasting the same corridor at several time scales and combining.

The seasonally adjusted monthly series is summed over non-overlapping blocks of ``k`` months
(2-monthly, quarterly, 4-monthly, half-yearly for ``k`` = 2, 3, 4, 6), the same models are
fitted at every level, and each level's forecast is brought back to months and averaged. At
a coarser level the noise averages out and the level and trend are estimated from a
smoother series; at the monthly level the most recent months weigh most. Averaging the levels
is the forecast combination of the Multiple Aggregation Prediction Algorithm (Kourentzes,
Petropoulos & Trapero 2014) and of temporal hierarchies (Athanasopoulos, Hyndman, Kourentzes &
Petropoulos 2017), both shown to beat single-level exponential smoothing on the M3 monthly
data. Seasonality is removed before aggregating (one classical decomposition at the monthly
level), so every level models level and trend only.

Levels are the divisors ``k`` of the season length with ``k < m``: they tile a season
exactly, and the season itself (``k = m``, a yearly series) is left out because the adjusted
histories give only a handful of yearly points. A level is used only when it leaves at least
`MIN_AGGREGATE_OBS` aggregated observations.
"""

from __future__ import annotations

import math

import numpy as np

from netdesign.forecast.candidates import Fit

MIN_AGGREGATE_OBS = 8  # fewest aggregated observations (blocks) a level > 1 is fitted on


def default_levels(season_length: int) -> tuple[int, ...]:
    """Aggregation levels (months per block) for a season of `season_length` months:
    the divisors of the season below the season itself (1, 2, 3, 4, 6 for 12)."""
    m = int(season_length)
    return tuple(k for k in range(1, max(m, 2)) if m % k == 0) if m > 1 else (1,)


def usable_levels(levels: tuple[int, ...] | list[int], n_obs: int) -> list[int]:
    """The levels of `levels` a history of `n_obs` months supports (1 always)."""
    return [int(k) for k in levels if k == 1 or n_obs // int(k) >= MIN_AGGREGATE_OBS]


def aggregate(y: np.ndarray, k: int) -> np.ndarray:
    """Sums over non-overlapping blocks of `k` months, aligned to end with the last month
    (the oldest ``len(y) % k`` months are dropped), parcels per block."""
    y = np.asarray(y, float)
    nb = len(y) // k
    return y[len(y) - nb * k:].reshape(nb, k).sum(axis=1) if k > 1 else y


def horizon_blocks(h: int, k: int) -> int:
    """Blocks of `k` months needed to cover `h` months."""
    return math.ceil(h / k)


def to_months(fit: Fit, k: int, h: int) -> np.ndarray:
    """A level-`k` point forecast (parcels per block) as parcels/month for `h` months:
    each block's forecast is spread evenly over its months."""
    return np.repeat(np.asarray(fit.mean, float) / k, k)[:h]


def combine_levels(monthly: Fit, level_means: list[np.ndarray], name: str) -> Fit:
    """Average the levels' monthly point forecasts (`level_means`, the monthly level's
    included). Variance: the monthly model's forecast variance plus the spread between the
    levels (law of total variance for an equal-weight mixture), parcels²/month²."""
    means = np.vstack(level_means)
    mean = means.mean(axis=0)
    var = np.asarray(monthly.var, float) + ((means - mean) ** 2).mean(axis=0)
    return Fit(name, mean, var, monthly.aicc, dict(monthly.params), monthly.relative)
