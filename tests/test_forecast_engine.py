"""Known-answer tests of the forecasting engine on synthetic series (serial, in-process)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_helpers import PATTERN, SERIAL, long

from netdesign.forecast import ForecastSettings, forecast_panel
from netdesign.forecast.model import forecast_one


def test_pure_seasonal_series_is_recovered():
    rng = np.random.default_rng(1)
    n = 72
    y = 1000 * PATTERN[np.arange(n) % 12] * (1 + rng.normal(0, 0.005, n))
    out = forecast_one("s", y, 24)
    truth = 1000 * PATTERN[np.arange(n, n + 24) % 12]
    assert out.spec["decomposition"] == "multiplicative"
    np.testing.assert_allclose(out.table["mean"], truth, rtol=0.03)


def test_linear_trend_is_extrapolated():
    rng = np.random.default_rng(2)
    t = np.arange(60)
    y = 50 + 2.0 * t + rng.normal(0, 0.5, 60)
    truth = 50 + 2.0 * np.arange(60, 72)
    ets = forecast_one("t", y, 12, method="ets")
    np.testing.assert_allclose(ets.table["mean"], truth, rtol=0.02)
    auto = forecast_one("t", y, 12)
    # the default combination includes Theta (half the trend) and damped trends:
    # it must still rise every month and stay within 5 % of the line
    assert np.all(np.diff(auto.table["mean"]) > 0)
    np.testing.assert_allclose(auto.table["mean"], truth, rtol=0.05)


def test_intervals_widen_with_horizon_and_are_nested():
    rng = np.random.default_rng(3)
    y = 500 + np.cumsum(rng.normal(0, 10, 80))
    out = forecast_one("rw", y, 18)
    tb = out.table
    width = tb["hi_95"] - tb["lo_95"]
    assert np.all(np.diff(width) >= -1e-9)
    assert width[-1] > 2 * width[0]
    assert np.all(tb["lo_95"] <= tb["lo_80"]) and np.all(tb["lo_80"] <= tb["mean"])
    assert np.all(tb["mean"] <= tb["hi_80"]) and np.all(tb["hi_80"] <= tb["hi_95"])
    # a random walk with step s.d. 10: the 95 % half-width at h is about 1.96·10·√h
    assert 0.6 * 1.96 * 10 < width[0] / 2 < 1.6 * 1.96 * 10


@pytest.mark.parametrize("method", ["auto", "ets", "theta", "arima", "seasonal_naive"])
def test_every_method_gives_valid_frame(method):
    rng = np.random.default_rng(4)
    n = 48
    y = 200 * PATTERN[np.arange(n) % 12] + rng.normal(0, 5, n) + np.arange(n)
    res = forecast_panel(long({"a": y, "b": y[::-1].copy()}), 6,
                         ForecastSettings(workers=1, progress=False, method=method))
    fc = res.forecasts
    assert list(fc.columns) == ["series_id", "date", "mean", "lo_80", "hi_80", "lo_95",
                                "hi_95", "model"]
    assert len(fc) == 12
    assert fc["date"].iloc[0] == pd.Timestamp("2023-01-01")
    nums = fc[["mean", "lo_80", "hi_80", "lo_95", "hi_95"]].to_numpy()
    assert np.isfinite(nums).all() and (nums >= 0).all()
    assert not res.diagnostics["fallback"].any()
    assert set(res.specs) == {"a", "b"}


def test_stored_spec_is_refitted_without_selection():
    rng = np.random.default_rng(5)
    n = 60
    y = 300 * PATTERN[np.arange(n) % 12] * (1 + rng.normal(0, 0.03, n))
    hist = long({"a": y})
    first = forecast_panel(hist, 12, SERIAL)
    spec = {**first.specs["a"], "members": ["theta", "ets_AAdN"]}
    again = forecast_panel(hist, 12, SERIAL, specs={"a": spec})
    assert again.specs["a"]["members"] == ["theta", "ets_AAdN"]
    assert again.specs["a"]["decomposition"] == first.specs["a"]["decomposition"]
    assert again.diagnostics["message"].iloc[0] == ""


def test_stale_spec_falls_back_to_full_selection_with_a_warning():
    y = np.r_[np.zeros(3), np.full(30, 10.0)] + np.tile([0.0, 1.0, 2.0], 11)
    y[10] = 0.0
    spec = {"version": 1, "method": "auto", "season_length": 12,
            "decomposition": "multiplicative", "members": ["ets_MNN"]}
    res = forecast_panel(long({"a": y}), 6, SERIAL, specs={"a": spec})
    msg = res.diagnostics["message"].iloc[0]
    assert "stored spec not used" in msg
    assert not res.diagnostics["fallback"].iloc[0]


def test_settings_are_validated():
    from netdesign.errors import InputError

    with pytest.raises(InputError, match="method"):
        forecast_panel(long({"a": np.ones(30)}), 3, ForecastSettings(method="prophet"))


def test_uncertain_seasonal_indices_widen_the_intervals(monkeypatch):
    from netdesign.forecast import model

    rng = np.random.default_rng(13)
    n = 48
    y = 1000 * PATTERN[np.arange(n) % 12] * (1 + rng.normal(0, 0.06, n))
    with_var = forecast_one("s", y, 12)
    assert with_var.spec["decomposition"] == "multiplicative"
    monkeypatch.setattr(model, "SEASONAL_INDEX_VARIANCE", False)
    without = forecast_one("s", y, 12)
    np.testing.assert_allclose(with_var.table["mean"], without.table["mean"])
    wide = with_var.table["hi_95"] - with_var.table["lo_95"]
    narrow = without.table["hi_95"] - without.table["lo_95"]
    assert np.all(wide >= narrow) and np.any(wide > 1.01 * narrow)
