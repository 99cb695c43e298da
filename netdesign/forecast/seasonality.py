"""Seasonality test and classical decomposition (as in the M4 competition's benchmarks).

A series is treated as seasonal when its autocorrelation at the season lag is significant at
the 90 % level (Bartlett's approximation of the standard error), and there are at least two
full seasons. The seasonal indices come from a classical decomposition: a centred moving
average of one season, then the mean ratio (multiplicative) or difference (additive) per
season position, normalised to mean 1 (or 0). With ``shrink=True`` the indices are shrunk
towards no seasonality (1 or 0) by the positive-part James–Stein factor
``k = max(0, 1 − (m − 3) s̄² / Σ_k (idx_k − 1)²)``, where ``s̄²`` is the mean sampling variance of
a position's index (variance of its yearly ratios / number of years): a weak or noisy seasonal
pattern is damped, a clear one is kept almost unchanged (Stein 1956; Miller & Williams 2003
showed such shrinkage of seasonal indices helps on the M3 monthly data).
"""

from __future__ import annotations

import numpy as np


def acf(y: np.ndarray, nlags: int) -> np.ndarray:
    """Sample autocorrelations 0..nlags (biased estimator, as in the M4 benchmark code)."""
    x = np.asarray(y, float) - np.mean(y)
    den = float(np.dot(x, x))
    if den <= 0:
        return np.r_[1.0, np.zeros(nlags)]
    return np.array([1.0] + [float(np.dot(x[k:], x[:-k])) / den for k in range(1, nlags + 1)])


def is_seasonal(y: np.ndarray, season_length: int, z: float = 1.645) -> bool:
    """90 % autocorrelation test at lag `season_length` (needs >= 2 seasons of data)."""
    m = season_length
    n = len(y)
    if m < 2 or n < 2 * m:
        return False
    r = acf(y, m)
    limit = z * np.sqrt((1.0 + 2.0 * np.sum(r[1:m] ** 2)) / n)
    return bool(abs(r[m]) > limit)


SHORT_SEASONS = 4        # below this many full seasons the F test may also find a season
SHORT_F_LEVEL = 0.01     # its significance level (stricter than the ACF test's 10 %)


def seasonal_f_test(y: np.ndarray, season_length: int, level: float = SHORT_F_LEVEL) -> bool:
    """F test of season-position effects after a linear trend (on logs when all positive).

    Regresses the series on an intercept and a linear trend, then adds one dummy per season
    position but one; the season is significant when the F statistic of the dummies,
    ``((RSS_0 − RSS_1) / (m − 1)) / (RSS_1 / (n − m − 1))``, exceeds its ``1 − level``
    quantile. Unlike the autocorrelation test it does not lose power when the seasonal
    pattern is smooth (a sine swing makes every lag's autocorrelation large, which inflates
    Bartlett's standard error), so it finds a plain seasonal swing in two or three years of
    data. Needs ``n ≥ m + 3`` (at least 2 residual degrees of freedom)."""
    from scipy.stats import f as f_dist

    m = season_length
    x = np.asarray(y, float)
    n = len(x)
    if m < 2 or n < m + 3 or not np.all(np.isfinite(x)):
        return False
    if np.min(x) > 0:
        x = np.log(x)
    t = np.arange(n, dtype=float)
    base = np.column_stack([np.ones(n), t])
    dummies = (np.arange(n)[:, None] % m == np.arange(1, m)[None, :]).astype(float)
    full = np.column_stack([base, dummies])
    rss0 = float(np.sum((x - base @ np.linalg.lstsq(base, x, rcond=None)[0]) ** 2))
    rss1 = float(np.sum((x - full @ np.linalg.lstsq(full, x, rcond=None)[0]) ** 2))
    dof = n - m - 1
    tiny = 1e-12 * max(float(np.sum((x - x.mean()) ** 2)), 1e-300)  # rounding, not signal
    if rss0 <= tiny:  # the trend alone fits exactly: nothing left for a season
        return False
    if rss1 <= tiny:  # the season fits exactly what the trend leaves
        return True
    stat = ((rss0 - rss1) / (m - 1)) / (rss1 / dof)
    return bool(stat > f_dist.ppf(1.0 - level, m - 1, dof))


def has_seasonality(y: np.ndarray, season_length: int) -> bool:
    """The engine's seasonality decision: the ACF test (`is_seasonal`), or, for histories of
    two to four seasons, where that test has little power, the F test
    (`seasonal_f_test`). Longer series (all of the M3 monthly competition's) are decided by
    the ACF test alone."""
    m = season_length
    n = len(y)
    if m < 2 or n < 2 * m:
        return False
    if is_seasonal(y, m):
        return True
    return n < SHORT_SEASONS * m and seasonal_f_test(y, m)


def seasonal_indices(y: np.ndarray, season_length: int, multiplicative: bool,
                     shrink: bool = False) -> np.ndarray:
    """Classical-decomposition seasonal indices, one per season position of ``y[0]`` onwards.

    Position k applies to observations ``y[k::m]``. Multiplicative indices average 1,
    additive indices average 0. Needs ``len(y) >= 2 * m``. ``shrink``: James–Stein
    shrinkage towards no seasonality (see the module docstring).
    """
    return seasonal_estimate(y, season_length, multiplicative, shrink)[0]


def seasonal_estimate(y: np.ndarray, season_length: int, multiplicative: bool,
                      shrink: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """`seasonal_indices` and the sampling variance of each index (same positions).

    A position's index is the mean of its yearly ratios (or differences) to the centred
    moving average, so its variance is their spread / number of years (0 where fewer than
    two years); shrinking the deviations by the factor k scales it by k².
    """
    m = season_length
    y = np.asarray(y, float)
    n = len(y)
    if m % 2 == 0:
        w = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        w = np.ones(m) / m
    trend = np.convolve(y, w, mode="valid")
    off = (len(w) - 1) // 2
    detr = np.full(n, np.nan)
    seg = y[off:off + len(trend)]
    with np.errstate(divide="ignore", invalid="ignore"):
        detr[off:off + len(trend)] = seg / trend if multiplicative else seg - trend
    idx = np.array([np.nanmean(detr[k::m]) if np.isfinite(detr[k::m]).any() else np.nan
                    for k in range(m)])
    pos_var = position_variances(detr, m)
    var = np.nan_to_num(pos_var, nan=0.0)
    fill = 1.0 if multiplicative else 0.0
    idx = np.where(np.isfinite(idx), idx, fill)
    if multiplicative:
        idx = np.where(idx > 0, idx, 1.0)
        scale = idx.mean()
        idx = idx / scale
        var = var / scale ** 2
    else:
        idx = idx - idx.mean()
    if shrink:
        k = _james_stein(idx - fill, pos_var, m)
        idx = fill + k * (idx - fill)
        var = var * k ** 2
        if multiplicative:
            scale = idx.mean()
            idx = idx / scale
            var = var / scale ** 2
    return idx, var


def position_variances(detrended: np.ndarray, season_length: int) -> np.ndarray:
    """Sampling variance of each position's mean of its ``m``-spaced `detrended` values
    (spread, ddof 1, / count); NaN where a position has fewer than two values."""
    m = season_length
    out = np.full(m, np.nan)
    for k in range(m):
        v = detrended[k::m]
        v = v[np.isfinite(v)]
        if v.size >= 2:
            out[k] = float(np.var(v, ddof=1)) / v.size
    return out


def shrink_factor(detrended: np.ndarray, deviations: np.ndarray, season_length: int) -> float:
    """Positive-part James–Stein factor in [0, 1] for seasonal-index `deviations` from 1 (or 0).

    `detrended`: the ratios (or differences) to the centred moving average, NaN where there
    is none; each position's index is the mean of its ``m``-spaced values, whose sampling
    variance is estimated from their spread. Needs ``m >= 4`` (else no shrinkage).
    """
    return _james_stein(deviations, position_variances(detrended, season_length),
                        season_length)


def _james_stein(deviations: np.ndarray, pos_var: np.ndarray, m: int) -> float:
    ss = float(np.sum(deviations ** 2))
    if m < 4 or ss <= 0:
        return 1.0 if ss > 0 else 0.0
    known = pos_var[np.isfinite(pos_var)]
    if known.size == 0:
        return 1.0
    return float(max(0.0, 1.0 - (m - 3) * float(np.mean(known)) / ss))


def expand(indices: np.ndarray, start: int, length: int) -> np.ndarray:
    """Seasonal indices for positions ``start .. start + length - 1`` (0 = first observation)."""
    m = len(indices)
    return np.asarray(indices)[(np.arange(start, start + length)) % m]
