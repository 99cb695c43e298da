"""Seasonal indices: classical decomposition and James-Stein shrinkage (hand-worked cases)."""

from __future__ import annotations

import numpy as np
import pytest

from netdesign.forecast.seasonality import seasonal_indices, shrink_factor

PATTERN = np.array([0.9, 0.85, 1.0, 1.05, 1.0, 0.95, 0.9, 0.95, 1.0, 1.1, 1.35, 0.95])


def test_shrink_factor_hand_worked():
    # m = 4, deviations ±0.1 -> Σ d² = 0.04. Each position has two ratios 0.2 apart:
    # variance 0.02 (ddof 1), sampling variance of the mean 0.01.
    # k = 1 - (m - 3) * 0.01 / 0.04 = 0.75.
    detr = np.array([1.0, 0.8, 1.0, 0.8, 1.2, 1.0, 1.2, 1.0])
    k = shrink_factor(detr, np.array([0.1, -0.1, 0.1, -0.1]), 4)
    assert k == pytest.approx(0.75)


def test_shrink_factor_is_zero_for_noise_dominated_pattern():
    # Same spread of ratios, deviations a tenth as large: 1 - 0.01 / 0.0004 < 0 -> 0.
    detr = np.array([1.0, 0.8, 1.0, 0.8, 1.2, 1.0, 1.2, 1.0])
    assert shrink_factor(detr, np.array([0.01, -0.01, 0.01, -0.01]), 4) == 0.0


def test_noiseless_pattern_is_not_shrunk():
    pattern = np.array([0.8, 1.0, 1.2, 1.0])
    y = 100 * np.tile(pattern, 6)
    np.testing.assert_allclose(seasonal_indices(y, 4, True, shrink=True), pattern, atol=1e-12)


def test_noise_without_seasonality_is_shrunk_to_flat():
    rng = np.random.default_rng(5)
    y = 100 * (1 + rng.normal(0, 0.05, 48))
    raw = seasonal_indices(y, 12, True)
    shrunk = seasonal_indices(y, 12, True, shrink=True)
    assert np.abs(shrunk - 1).max() < 0.5 * np.abs(raw - 1).max()
    assert shrunk.mean() == pytest.approx(1.0)


def test_additive_indices_shrink_towards_zero():
    rng = np.random.default_rng(6)
    y = 50 + rng.normal(0, 5, 48)
    shrunk = seasonal_indices(y, 12, False, shrink=True)
    raw = seasonal_indices(y, 12, False)
    assert np.abs(shrunk).max() <= np.abs(raw).max()
    assert shrunk.sum() == pytest.approx(0.0, abs=1e-9)


def test_indices_and_their_variance_match_statsmodels_decomposition():
    from statsmodels.tsa.seasonal import seasonal_decompose

    from netdesign.forecast.seasonality import seasonal_estimate

    # statsmodels' classical decomposition uses the same centred 2 x m moving average: its
    # seasonal component must equal our (unshrunk) indices, and the spread of its detrended
    # values per position, divided by the number of years, our index variances
    rng = np.random.default_rng(12)
    m, years = 12, 7
    t = np.arange(m * years)
    y = (500 + 3.0 * t) * np.tile(PATTERN, years) * (1 + rng.normal(0, 0.04, t.size))
    for multiplicative in (True, False):
        dec = seasonal_decompose(y, model="multiplicative" if multiplicative else "additive",
                                 period=m)
        detr = y / dec.trend if multiplicative else y - dec.trend
        idx, var = seasonal_estimate(y, m, multiplicative)
        np.testing.assert_allclose(idx, dec.seasonal[:m], rtol=1e-9, atol=1e-9)
        ref = []
        for k in range(m):
            v = detr[k::m][np.isfinite(detr[k::m])]
            ref.append(np.var(v, ddof=1) / v.size)
        scale = np.nanmean([np.nanmean(detr[k::m]) for k in range(m)]) if multiplicative else 1
        np.testing.assert_allclose(var, np.array(ref) / scale ** 2, rtol=1e-9)
        _, shrunk_var = seasonal_estimate(y, m, multiplicative, shrink=True)
        assert np.all(shrunk_var <= var * 1.01)


def test_noiseless_pattern_has_no_index_variance():
    from netdesign.forecast.seasonality import seasonal_estimate

    pattern = np.array([0.8, 1.0, 1.2, 1.0])
    _, var = seasonal_estimate(100 * np.tile(pattern, 6), 4, True)
    np.testing.assert_allclose(var, 0.0, atol=1e-20)
