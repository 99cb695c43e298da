"""Candidate fitters checked against statsmodels' own results and against known parameters."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

from netdesign.forecast import candidates as cand
from netdesign.forecast import ets_start


def ima_series(n: int, drift: float, theta: float, sd: float, start: float,
               seed: int) -> np.ndarray:
    """y_t = y_{t-1} + drift + e_t + theta e_{t-1}: an ARIMA(0,1,1) with drift."""
    e = np.random.default_rng(seed).normal(0, sd, n + 1)
    return start + np.cumsum(drift + e[1:] + theta * e[:-1])


@pytest.mark.parametrize("form", ["ANN", "AAdN", "MNN", "MAdN"])
def test_fast_ets_fit_equals_statsmodels_results(form):
    # fit_ets skips statsmodels' results object; forecasts, AICc and parameters must be the
    # ones that object reports for the same fit (same start: the grid start for the
    # additive-error ANN and AAdN, statsmodels' own for the others).
    y = ima_series(80, 2.0, -0.4, 5.0, 500.0, seed=7)
    error, trend, damped = cand.ETS_FORMS[form]
    start = ets_start.best_start(y, damped) if error == "add" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ETSModel(y, error=error, trend=trend, damped_trend=damped).fit(
            start_params=start, disp=False)
        fit = cand.fit_ets(y, 12, form)
    np.testing.assert_allclose(fit.mean, ref.forecast(12), rtol=1e-10)
    assert fit.aicc == pytest.approx(ref.aicc, rel=1e-10)
    assert fit.params["alpha"] == pytest.approx(ref.smoothing_level, rel=1e-10)
    sigma2 = ref.mse * len(y) / (len(y) - len(ref.params))
    expected_var1 = sigma2 * (fit.mean[0] ** 2 if error == "mul" else 1.0)
    assert fit.var[0] == pytest.approx(expected_var1, rel=1e-8)


def test_arima_member_matches_statsmodels_on_the_levels():
    # Fitted on standardised differences; the forecast and variance must be those of
    # statsmodels' ARIMA(0,1,1)+drift on the levels with the same parameters, and the
    # estimates must be the maximum of that model's likelihood.
    y = ima_series(120, 30.0, -0.6, 40.0, 5000.0, seed=2)
    fit = cand.fit_arima_drift(y, 12)
    levels = SARIMAX(y, order=(0, 1, 1), trend="c")
    sigma2 = fit.var[0] * (len(y) - 3) / (len(y) - 1)  # undo the degrees-of-freedom factor
    res = levels.smooth([fit.params["drift"], fit.params["theta"], sigma2])
    ref = res.get_forecast(12)
    np.testing.assert_allclose(fit.mean, ref.predicted_mean, rtol=1e-10)
    np.testing.assert_allclose(fit.var / fit.var[0], ref.var_pred_mean / ref.var_pred_mean[0],
                               rtol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        best = levels.fit(disp=False)
    assert res.llf >= best.llf - 1e-3


def test_arima_member_recovers_known_parameters():
    # 600 periods of a known process: estimates within a few standard errors.
    y = ima_series(600, 3.0, -0.5, 10.0, 1000.0, seed=11)
    fit = cand.fit_arima_drift(y, 6)
    assert fit.params["theta"] == pytest.approx(-0.5, abs=0.08)
    # s.e. of the mean of MA(1) differences: sd (1 + theta) / sqrt(n) ≈ 0.2
    assert fit.params["drift"] == pytest.approx(3.0, abs=0.8)
    assert fit.var[0] == pytest.approx(100.0, rel=0.15)
    assert np.all(np.diff(fit.var) > 0)


def test_arima_member_on_a_straight_line_extrapolates_it():
    y = 200.0 + 5.0 * np.arange(40) + np.random.default_rng(0).normal(0, 0.5, 40)
    fit = cand.fit_arima_drift(y, 10)
    truth = 200.0 + 5.0 * np.arange(40, 50)
    np.testing.assert_allclose(fit.mean, truth, rtol=0.01)


def test_arima_member_refuses_too_short_a_series():
    with pytest.raises(ValueError, match="at least"):
        cand.fit_arima_drift(np.arange(cand.MIN_ARIMA_OBS - 1, dtype=float), 3)
