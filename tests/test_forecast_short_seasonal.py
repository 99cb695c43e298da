"""Short histories keep a plain seasonal swing (24, 36, 48 months; 3 years weekly), and the
short-history F test does not invent seasonality in series without one."""

from __future__ import annotations

import numpy as np
import pytest

from netdesign.forecast.model import forecast_one
from netdesign.forecast.seasonality import has_seasonality, seasonal_f_test


def _swing(n: int, m: int, amp: float, noise: float, seed: int) -> tuple[np.ndarray, callable]:
    rng = np.random.default_rng(seed)

    def truth(t):
        return 1000 * (1 + amp * np.sin(2 * np.pi * t / m))

    return truth(np.arange(n)) * np.exp(rng.normal(0, noise, n)), truth


@pytest.mark.parametrize("n", [24, 36, 48])
def test_monthly_swing_is_kept(n):
    # +-25 % sine swing, 5 % noise: the true next-year pattern runs from 750 to 1250, a
    # range of 0.5 of its mean. A flat forecast has range ~0 and no correlation with it.
    y, truth = _swing(n, 12, 0.25, 0.05, seed=n)
    f = forecast_one("s", y, 12).table["mean"]
    want = truth(np.arange(n, n + 12))
    assert np.corrcoef(f, want)[0, 1] > 0.95
    assert (f.max() - f.min()) / f.mean() == pytest.approx(0.5, abs=0.15)


def test_weekly_swing_is_kept():
    # three years of weekly data (156 weeks), +-12 % swing, 3 % noise
    y, truth = _swing(156, 52, 0.12, 0.03, seed=1)
    assert has_seasonality(y, 52)
    f = forecast_one("w", y, 52, season_length=52).table["mean"]
    assert np.corrcoef(f, truth(np.arange(156, 208)))[0, 1] > 0.9


def test_f_test_false_positive_rate_on_trending_noise():
    # 300 non-seasonal series of 24 and 36 months (trend + 10 % noise): at the 1 % level the
    # count of false positives is Binomial(300, 0.01), mean 3; P(X > 9) < 0.001.
    rng = np.random.default_rng(0)
    hits = 0
    for i in range(300):
        n = 24 if i % 2 else 36
        y = 1000 * (1 + 0.01 * np.arange(n)) * np.exp(rng.normal(0, 0.1, n))
        hits += seasonal_f_test(y, 12)
    assert hits <= 9


def test_f_test_by_hand():
    # (series with a zero are modelled on the raw scale, not on logs)
    # an exact repeating pattern plus a trend: the dummies explain everything (RSS_1 = 0)
    y = np.tile([0.0, 3.0, 2.0], 3) + 0.1 * np.arange(9)
    assert seasonal_f_test(y, 3)
    # a pure linear trend: no season (RSS_0 = RSS_1 = 0)
    assert not seasonal_f_test(np.arange(9.0), 3)
    assert not seasonal_f_test(np.ones(4), 3)  # too short: n < m + 3
