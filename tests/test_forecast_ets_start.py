"""The non-seasonal ETS members' grid start: the concentrated loss by hand, against
statsmodels' smoother, and known parameters recovered."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from netdesign.forecast import candidates as cand
from netdesign.forecast import ets_start


def test_ann_sse_by_hand():
    # alpha = 1: every fitted value is the previous observation, the first is l0; the
    # best l0 is y0 itself, so SSE = (9-12)^2 + (15-9)^2 = 9 + 36 = 45.
    y = np.array([12.0, 9.0, 15.0])
    sse, l0, b0 = ets_start.concentrated_sse(y, np.array([1.0]))
    assert l0[0] == pytest.approx(12.0)
    assert sse[0] == pytest.approx(45.0)
    assert b0[0] == 0.0


def test_damped_trend_loss_equals_statsmodels_smoother():
    rng = np.random.default_rng(3)
    y = 100 + 2.0 * np.arange(60) + rng.normal(0, 5, 60)
    alpha, beta, phi = 0.3, 0.05, 0.9
    sse, l0, b0 = ets_start.concentrated_sse(y, np.array([alpha]), np.array([beta]),
                                             np.array([phi]))
    model = ETSModel(y, error="add", trend="add", damped_trend=True)
    fitted, _ = model.smooth(np.array([alpha, beta, phi, l0[0], b0[0]]), return_raw=True)
    assert sse[0] == pytest.approx(float(np.sum((y - np.asarray(fitted)) ** 2)), rel=1e-9)
    # the least-squares initial states beat any other initial states at these parameters
    for dl, db in ((5.0, 0.0), (0.0, 0.5), (-3.0, -0.2)):
        other, _ = model.smooth(np.array([alpha, beta, phi, l0[0] + dl, b0[0] + db]),
                                return_raw=True)
        assert float(np.sum((y - np.asarray(other)) ** 2)) > sse[0]


def test_start_recovers_a_known_trend():
    # a clean damped trend: level 200, slope 3, phi 0.95, small noise; the start must be
    # close to the generating initial states (l0 within 2 %, b0 within 30 %)
    rng = np.random.default_rng(5)
    n = 80
    slope = 3.0 * np.cumprod(np.full(n, 0.95)) / 0.95
    y = 200 + np.cumsum(slope) * 0.95 + rng.normal(0, 0.5, n)
    start = ets_start.best_start(y, damped_trend=True)
    assert start is not None
    assert start[3] == pytest.approx(200, rel=0.02)
    assert start[4] == pytest.approx(3.0 * 0.95, rel=0.3)


@pytest.mark.parametrize("form", ["ANN", "AAdN"])
def test_grid_start_likelihood_not_worse(form, monkeypatch):
    # on noisy trending series the fit from the grid start reaches at least statsmodels'
    # likelihood (up to the optimiser's tolerance) on every seed
    for seed in range(8):
        rng = np.random.default_rng(seed)
        y = 500 + np.cumsum(rng.normal(1.0, 8.0, 90))
        grid = cand.fit_ets(y, 12, form)
        monkeypatch.setattr(cand, "GRID_START", False)
        default = cand.fit_ets(y, 12, form)
        monkeypatch.setattr(cand, "GRID_START", True)
        assert grid.aicc <= default.aicc + 0.05
