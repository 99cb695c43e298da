"""Robustness: short, intermittent, new, shifted, gappy and failing corridors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from forecast_helpers import PATTERN, SERIAL, long

from netdesign.forecast import ForecastSettings, forecast_panel
from netdesign.forecast import candidates as cand
from netdesign.forecast.model import forecast_one


def valid(table: dict) -> bool:
    cols = [table[k] for k in ("lo_95", "lo_80", "mean", "hi_80", "hi_95")]
    ok = all(np.all(np.isfinite(c)) and np.all(c >= 0) for c in cols)
    return ok and all(np.all(a <= b + 1e-9) for a, b in zip(cols, cols[1:], strict=False))


def test_short_series_get_no_seasonal_model():
    y = 100 * PATTERN[np.arange(18) % 12]
    out = forecast_one("short", y, 12)
    assert out.spec["decomposition"] == "none"
    assert valid(out.table)


def test_very_short_series_gets_the_mean():
    out = forecast_one("tiny", np.array([10.0, 14.0, 12.0]), 6)
    assert out.model == "mean"
    np.testing.assert_allclose(out.table["mean"], 12.0)
    assert valid(out.table)


def test_intermittent_volumes_use_croston_and_stay_nonnegative():
    rng = np.random.default_rng(7)
    y = np.where(rng.random(48) < 0.5, 0.0, rng.integers(1, 20, 48).astype(float))
    out = forecast_one("lumpy", y, 12)
    assert out.model == "croston"
    # SBA estimate lies between 0 and the mean non-zero size
    assert 0 < out.table["mean"][0] < y[y > 0].mean()
    assert valid(out.table)


def test_zeros_exclude_multiplicative_models():
    rng = np.random.default_rng(8)
    n = 60
    y = 100 * PATTERN[np.arange(n) % 12] + rng.normal(0, 3, n)
    y[[20, 33]] = 0.0
    out = forecast_one("zeros", y, 12)
    assert out.spec["decomposition"] != "multiplicative"
    assert not any(m.startswith("ets_M") for m in out.spec["members"])
    assert valid(out.table)


def test_new_corridor_leading_zeros_are_trimmed():
    rng = np.random.default_rng(9)
    y = np.r_[np.zeros(30), 50 + rng.normal(0, 2, 14)]
    res = forecast_panel(long({"new": y}), 6, SERIAL)
    d = res.diagnostics.iloc[0]
    assert d["n_obs"] == 14
    assert "trimmed" in d["message"]
    assert abs(res.forecasts["mean"].iloc[0] - 50) < 5


def test_level_shift_is_detected_and_forecast_follows_new_level():
    rng = np.random.default_rng(10)
    y = np.r_[100 + rng.normal(0, 2, 36), 200 + rng.normal(0, 2, 8)]
    out = forecast_one("shift", y, 6)
    assert any("level shift" in m for m in out.messages)
    np.testing.assert_allclose(out.table["mean"], 200, rtol=0.05)


def test_smooth_trend_is_not_mistaken_for_a_level_shift():
    y = 100 + 3.0 * np.arange(48)
    out = forecast_one("trend", y, 6)
    assert not any("level shift" in m for m in out.messages)


@pytest.mark.parametrize("policy", ["impute", "report", "reject"])
def test_missing_months_follow_the_setting(policy):
    rng = np.random.default_rng(11)
    n = 48
    y = 100 * PATTERN[np.arange(n) % 12] * (1 + rng.normal(0, 0.02, n))
    hist = long({"gappy": y})
    hist = hist.drop(index=[30, 31]).reset_index(drop=True)   # two absent months
    res = forecast_panel(hist, 6, ForecastSettings(workers=1, progress=False, missing=policy))
    d = res.diagnostics.iloc[0]
    assert d["n_missing"] == 2
    assert len(res.forecasts) == 6
    if policy == "impute":
        assert d["imputed"] and not d["fallback"]
        assert "imputed" in d["message"]
    elif policy == "report":
        assert not d["imputed"] and not d["fallback"]
        assert "after the last gap" in d["message"]
    else:
        assert d["fallback"] and res.forecasts["model"].iloc[0] == "seasonal_naive"
        assert "rejected" in d["message"]


def test_warnings_are_counted_and_failing_candidates_skipped(monkeypatch):
    real = cand.fit_ets

    def noisy(y, h, form):
        warnings.warn("did not converge", RuntimeWarning, stacklevel=1)
        if form == "AAdN":
            raise np.linalg.LinAlgError("singular")
        return real(y, h, form)

    monkeypatch.setattr(cand, "fit_ets", noisy)
    y = 100 + np.random.default_rng(12).normal(0, 5, 40)
    out = forecast_one("w", y, 6)
    assert out.n_warnings >= 4  # one per ETS form tried
    assert "ets_AAdN" not in out.spec["members"]
    assert any("skipped" in m for m in out.messages)
    assert not out.fallback


def test_series_failing_every_candidate_falls_back_to_seasonal_naive(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(cand, "fit_ets", broken)
    monkeypatch.setattr(cand, "fit_theta", broken)
    y = 100 * PATTERN[np.arange(36) % 12]
    out = forecast_one("bad", y, 12)
    assert out.fallback and out.model == "seasonal_naive"
    np.testing.assert_allclose(out.table["mean"], y[-12:])
    assert any("fallback" in m for m in out.messages)


def test_one_bad_corridor_never_fails_the_run():
    good = 100 * PATTERN[np.arange(36) % 12]
    series = {"good": good, "empty": np.full(24, np.nan), "one": np.array([5.0]),
              "weird": np.r_[good[:20], np.inf, -3.0, good[22:]],
              "falling": np.maximum(500 - 20.0 * np.arange(30), 1.0)}
    res = forecast_panel(long(series), 12, SERIAL)
    fc = res.forecasts
    assert set(fc["series_id"]) == set(series)
    nums = fc[["mean", "lo_80", "hi_80", "lo_95", "hi_95"]].to_numpy()
    assert np.isfinite(nums).all() and (nums >= 0).all()
    assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()
    assert "negative/infinite" in res.diagnostics.set_index("series_id").loc["weird", "message"]
