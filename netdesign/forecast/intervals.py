"""Prediction intervals from a forecast mean and variance per horizon.

For strictly positive series modelled on the multiplicative (seasonal-ratio) scale the
forecast distribution is taken as log-normal with the given mean and variance (moment
matched), which keeps the bounds positive and right-skewed like volumes are; otherwise normal,
clipped at 0. Bounds are then made monotone: 0 <= lo_95 <= lo_80 <= mean <= hi_80 <= hi_95.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def bounds(mean: np.ndarray, var: np.ndarray, level: int, lognormal: bool
           ) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound of the central `level` % interval (parcels/month)."""
    z = float(norm.ppf(0.5 + level / 200.0))
    mean = np.maximum(np.asarray(mean, float), 0.0)
    sd = np.sqrt(np.maximum(np.asarray(var, float), 0.0))
    if lognormal:
        pos = mean > 0
        safe = np.where(pos, mean, 1.0)
        s2 = np.log1p((sd / safe) ** 2)
        mu = np.log(safe) - s2 / 2
        lo = np.where(pos, np.exp(mu - z * np.sqrt(s2)), 0.0)
        hi = np.where(pos, np.exp(mu + z * np.sqrt(s2)), z * sd)
    else:
        lo = mean - z * sd
        hi = mean + z * sd
    return np.maximum(lo, 0.0), np.maximum(hi, 0.0)


def interval_table(mean: np.ndarray, var: np.ndarray, levels: tuple[int, ...],
                   lognormal: bool) -> dict[str, np.ndarray]:
    """Columns mean, lo_<L>, hi_<L> for every level, non-negative and nested."""
    mean = np.maximum(np.nan_to_num(np.asarray(mean, float), nan=0.0, posinf=0.0), 0.0)
    out: dict[str, np.ndarray] = {"mean": mean}
    lo_prev, hi_prev = mean, mean
    for level in sorted(levels):
        lo, hi = bounds(mean, var, level, lognormal)
        lo = np.minimum(np.nan_to_num(lo, nan=0.0), lo_prev)
        hi = np.maximum(np.nan_to_num(hi, nan=0.0, posinf=0.0), hi_prev)
        out[f"lo_{level}"], out[f"hi_{level}"] = lo, hi
        lo_prev, hi_prev = lo, hi
    return out
