"""The raw-series seasonal member of "auto" (damped Holt-Winters): forecasts, variance, specs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_helpers import PATTERN

from netdesign.forecast import candidates as cand
from netdesign.forecast import model
from netdesign.forecast.candidates import ets_variance, fit_holt_winters
from netdesign.forecast.model import FAMILY_WEIGHTS, forecast_one
from netdesign.forecast.specs import spec_problem

QUARTERS = np.array([0.8, 1.1, 1.2, 0.9])


def test_holt_winters_continues_a_trending_multiplicative_season():
    t = np.arange(60)
    y = (100 + t) * QUARTERS[t % 4]
    fit = fit_holt_winters(y, 8, 4, multiplicative=True)
    truth = (100 + np.arange(60, 68)) * QUARTERS[np.arange(60, 68) % 4]
    np.testing.assert_allclose(fit.mean, truth, rtol=0.01)
    assert fit.name == "hw_AAdM"
    assert np.all(np.diff(fit.var) > 0)  # uncertainty grows with the horizon


def test_seasonal_variance_formula_matches_statsmodels_ets():
    # statsmodels' ETSModel(A,Ad,A) computes its own analytic forecast variance; with the
    # same parameters the ratios var_h / var_1 must agree with `ets_variance`.
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    n, m, h = 48, 4, 9
    rng = np.random.default_rng(1)
    y = pd.Series(100 + np.arange(n) + np.tile([5, -3, 2, -4], n // 4) + rng.normal(0, 1, n))
    alpha, beta, gamma, phi = 0.5, 0.1, 0.1, 0.9
    model = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add",
                     seasonal_periods=m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.smooth([alpha, beta, gamma, phi, 100, 1, 5, -3, 2, -4])
        ref = np.asarray(res.get_prediction(start=n, end=n + h - 1).var_pred_mean)
    ours = ets_variance(1.0, alpha, beta, phi, h, gamma, m)
    np.testing.assert_allclose(ours / ours[0], ref / ref[0], rtol=1e-9)


def seasonal_series(n: int = 96, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1000 * PATTERN[np.arange(n) % 12] * (1 + 0.004 * np.arange(n)) * (
        1 + rng.normal(0, 0.01, n))


def test_auto_adds_the_member_to_seasonal_series_only():
    out = forecast_one("s", seasonal_series(), 12)
    assert out.spec["seasonal_member"] == "hw_AAdM"
    assert "+hw_AAdM+" in out.model
    rng = np.random.default_rng(4)
    flat = forecast_one("f", 500 + rng.normal(0, 5, 60), 12)
    assert "seasonal_member" not in flat.spec and "hw_" not in flat.model
    ets = forecast_one("e", seasonal_series(), 12, method="ets")
    assert "seasonal_member" not in ets.spec


def test_members_weigh_as_one_family_each():
    # Theta and ETS (the decomposition-based part) count as two families, Holt-Winters and
    # ARIMA as one each: full = (2 base + HW + ARIMA) / 4, HW from an independent fit.
    y = seasonal_series()
    full = forecast_one("s", y, 12)
    assert full.spec["seasonal_member"] == "hw_AAdM"
    assert full.spec["arima_member"] == "arima_011_drift"
    bare = {k: v for k, v in full.spec.items() if k not in ("seasonal_member", "arima_member")}
    base = forecast_one("s", y, 12, spec=bare).table["mean"]
    ar_only = forecast_one("s", y, 12, spec={**bare, "arima_member": "arima_011_drift"})
    arima = (3 * ar_only.table["mean"] - 2 * base)  # (2 base + AR) / 3 solved for AR
    hw = fit_holt_winters(y, 12, 12, multiplicative=True).mean
    w = FAMILY_WEIGHTS
    expected = (w["decomposition"] * base + w["seasonal"] * hw + w["arima"] * arima) / sum(
        w.values())
    np.testing.assert_allclose(full.table["mean"], expected, rtol=1e-6)
    assert w["decomposition"] == 2 * w["seasonal"] == 2 * w["arima"]


def test_spec_checks_for_the_member():
    spec = forecast_one("s", seasonal_series(), 12).spec
    assert spec_problem(spec, 12, 96, True) is None
    assert "positive" in spec_problem(spec, 12, 96, False)
    assert "bad seasonal_member" in spec_problem({**spec, "seasonal_member": "hw_X"}, 12, 96,
                                                 True)
    assert "bad seasonal_member" in spec_problem({**spec, "method": "ets"}, 12, 96, True)


def test_spec_checks_for_the_arima_member():
    spec = forecast_one("s", seasonal_series(), 12).spec
    assert spec["arima_member"] == "arima_011_drift"
    assert "bad arima_member" in spec_problem({**spec, "arima_member": "arima_x"}, 12, 96, True)
    ets = forecast_one("e", seasonal_series(), 12, method="ets").spec
    assert "arima_member" not in ets
    assert "bad arima_member" in spec_problem({**ets, "arima_member": "arima_011_drift"}, 12,
                                              96, True)


def test_a_family_forecasting_negative_volume_counts_as_zero():
    # A steep decline: ARIMA's drift runs below zero within the horizon; the combination
    # must equal the mean of the families with each clipped at 0, never negative.
    y = np.r_[np.full(30, 400.0), 400.0 - 25.0 * np.arange(1, 13)]
    y = y + np.random.default_rng(5).normal(0, 2, len(y))
    out = forecast_one("d", y, 18)
    assert out.spec["decomposition"] == "none" and out.spec["arima_member"] == "arima_011_drift"
    bare = {k: v for k, v in out.spec.items() if k != "arima_member"}
    base = forecast_one("d", y, 18, spec=bare).table["mean"]
    arima = cand.fit_arima_drift(y, 18).mean
    assert arima[-1] < 0  # the member alone forecasts negative volume at the end
    expected = (2 * base + np.maximum(arima, 0)) / 3
    np.testing.assert_allclose(out.table["mean"], expected, rtol=1e-6, atol=1e-9)


def test_family_weights_switch_families_off():
    # Weight 0 = the family is not fitted: the decomposition part alone equals the refit of a
    # spec without either member; the members' keys are then absent from the spec.
    y = seasonal_series()
    full = forecast_one("s", y, 12)
    bare = {k: v for k, v in full.spec.items() if k not in ("seasonal_member", "arima_member")}
    off = forecast_one("s", y, 12, family_weights={"decomposition": 2.0, "seasonal": 0.0,
                                                   "arima": 0.0})
    np.testing.assert_allclose(off.table["mean"],
                               forecast_one("s", y, 12, spec=bare).table["mean"], rtol=1e-6)
    assert "seasonal_member" not in off.spec and "arima_member" not in off.spec


@pytest.mark.parametrize("weights", [{"decomposition": 2.0, "seasonal": 1.0},
                                     {"decomposition": 2.0, "seasonal": -1.0, "arima": 1.0},
                                     {"decomposition": 0.0, "seasonal": 1.0, "arima": 1.0}])
def test_malformed_family_weights_are_refused(weights):
    with pytest.raises(ValueError, match="family_weights"):
        forecast_one("s", seasonal_series(), 12, family_weights=weights)


def _drifting(n_years: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Monthly series whose seasonal peak moves from July to December over the years, and
    the next two years' true values (no noise)."""
    rng = np.random.default_rng(seed)
    months = np.arange(12 * (n_years + 2))
    frac = months / len(months)
    peak = 6 + 5 * frac                      # July -> December
    season = 1 + 0.4 * np.cos(2 * np.pi * ((months % 12) - peak) / 12)
    truth = 1000 * season
    y = truth[:12 * n_years] * np.exp(rng.normal(0, 0.03, 12 * n_years))
    return y, truth[12 * n_years:]


def test_long_history_gives_holt_winters_more_weight(monkeypatch):
    # 15 years of a drifting seasonal pattern: the fixed classical indices average the old
    # and new peaks; more weight on Holt-Winters (long histories) follows the recent one
    errs = {}
    for factor in (1.0, model.LONG_HISTORY_SEASONAL_FACTOR):
        monkeypatch.setattr(model, "LONG_HISTORY_SEASONAL_FACTOR", factor)
        total = 0.0
        for seed in range(3):
            y, future = _drifting(15, seed)
            mean = model.forecast_one("s", y, 24).table["mean"]
            total += float(np.mean(np.abs(mean - future)))
        errs[factor] = total
    assert errs[model.LONG_HISTORY_SEASONAL_FACTOR] < 0.9 * errs[1.0]


def test_short_history_weights_unchanged(monkeypatch):
    # below LONG_HISTORY_SEASONS seasons the factor is not used: same forecast either way
    y, _ = _drifting(model.LONG_HISTORY_SEASONS - 1, 0)
    base = model.forecast_one("s", y, 12).table["mean"]
    monkeypatch.setattr(model, "LONG_HISTORY_SEASONAL_FACTOR", 7.0)
    np.testing.assert_array_equal(model.forecast_one("s", y, 12).table["mean"], base)
