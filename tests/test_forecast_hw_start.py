"""The Holt-Winters member's vectorised start: the loss by hand, statsmodels' own start
reproduced on its own grid, and the engine's coarser grid."""

from __future__ import annotations

import numpy as np
import pytest
from forecast_helpers import PATTERN
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from netdesign.forecast import candidates as cand
from netdesign.forecast import hw_start


def test_sse_by_hand():
    # m = 2, l0 = 10, b0 = 0, s0 = (1, 1), alpha = 1, beta* = 0, gamma = 0 (multiplicative):
    # fitted y0 = (10 + 0.99*0) * 1 = 10; then the level is the last value (alpha = 1), the
    # trend stays 0 and the season 1, so fitted y1 = 12 and y2 = 9:
    # SSE = (12-10)^2 + (9-12)^2 + (15-9)^2 = 4 + 9 + 36 = 49.
    y = np.array([12.0, 9.0, 15.0])
    pts = np.array([[1.0, 0.0, 0.0]])
    assert hw_start.sse(y, pts, 2, 10.0, 0.0, np.ones(2), True)[0] == pytest.approx(49.0)
    # additive season s0 = (2, -2), same parameters: fitted y0 = 10 + 2 = 12; level after
    # y0 = 12 - 2 = 10; fitted y1 = 10 - 2 = 8; level after y1 = 9 + 2 = 11; fitted
    # y2 = 11 + 2 = 13. SSE = 0 + 1 + 4 = 5.
    assert hw_start.sse(y, pts, 2, 10.0, 0.0, np.array([2.0, -2.0]), False)[0] == \
        pytest.approx(5.0)


def test_grid_respects_the_constraints():
    g = hw_start.grid(12)
    assert np.all(g[:, 1] <= g[:, 0] + 1e-12) and np.all(g[:, 2] <= 1 - g[:, 0] + 1e-12)
    assert len(hw_start.grid(29)) > 10 * len(g)


@pytest.mark.parametrize("multiplicative", [True, False])
def test_statsmodels_grid_gives_statsmodels_fit(multiplicative):
    rng = np.random.default_rng(7)
    t = np.arange(72)
    y = 1000 * np.tile(PATTERN, 6) * (1 + 0.005 * t) * np.exp(rng.normal(0, 0.04, 72))
    ours = cand.fit_holt_winters(y, 12, 12, multiplicative, n_alpha=29)
    seasonal = "mul" if multiplicative else "add"
    ref = ExponentialSmoothing(y, trend="add", damped_trend=True, seasonal=seasonal,
                               seasonal_periods=12, initialization_method="heuristic").fit()
    np.testing.assert_allclose(ours.mean, ref.forecast(12), rtol=1e-9)


def test_coarse_grid_keeps_the_seasonal_pattern():
    rng = np.random.default_rng(11)
    y = 800 * np.tile(PATTERN, 5) * np.exp(rng.normal(0, 0.03, 60))
    fit = cand.fit_holt_winters(y, 12, 12, True)
    np.testing.assert_allclose(fit.mean / fit.mean.mean(), PATTERN, atol=0.06)
