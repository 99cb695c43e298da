"""Interval calibration on backtest points (split conformal): hand-checked scores and
quantiles, coverage on data with a known distribution, the backtest's points, the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_helpers import PATTERN
from scipy.stats import norm

from netdesign.forecast import ForecastSettings, backtest_panel
from netdesign.forecast.calibration import (
    MIN_POINTS,
    IntervalCalibration,
    apply_calibration,
    fit_calibration,
    interval_scores,
)


def test_scores_by_hand():
    pts = pd.DataFrame({"actual": [90.0, 130.0, 100.0, 95.0, 104.0],
                        "mean": [100.0, 100.0, 100.0, 100.0, 100.0],
                        "lo_80": [80.0, 80.0, 80.0, 100.0, 90.0],
                        "hi_80": [110.0, 110.0, 110.0, 110.0, 100.0]})
    # below: 10/20; above: 30/10; on the mean: 0; below with zero width: inf; above with
    # zero width: inf
    np.testing.assert_allclose(interval_scores(pts, 80), [0.5, 3.0, 0.0, np.inf, np.inf])


def test_factor_is_the_conformal_quantile():
    # scores 0.1, 0.2, ..., 4.0 (n = 40): level 80 -> ceil(41 * 0.8) = 33rd smallest = 3.3
    s = np.arange(1, 41) / 10.0
    pts = pd.DataFrame({"actual": 100.0 + 10.0 * s, "mean": 100.0,
                        "lo_80": 90.0, "hi_80": 110.0, "lo_95": 80.0, "hi_95": 120.0})
    cal = fit_calibration(pts)
    assert cal.factors[80] == pytest.approx(3.3)
    # 95: ceil(41 * 0.95) = 39th smallest score; scores vs half-width 20 are s / 2
    assert cal.factors[95] == pytest.approx(3.9 / 2)
    assert cal.n_points == 40


def test_too_few_points_means_no_calibration():
    pts = pd.DataFrame({"actual": np.full(MIN_POINTS - 1, 1.0), "mean": 1.0, "lo_80": 0.5,
                        "hi_80": 1.5, "lo_95": 0.2, "hi_95": 1.8})
    assert fit_calibration(pts) is None


def test_apply_scales_around_the_mean_clips_and_nests():
    fc = pd.DataFrame({"series_id": ["a", "a"], "mean": [100.0, 10.0],
                       "lo_80": [90.0, 5.0], "hi_80": [110.0, 15.0],
                       "lo_95": [85.0, 2.0], "hi_95": [115.0, 20.0], "model": "x"})
    out = apply_calibration(fc, IntervalCalibration({80: 2.0, 95: 1.0}, 100))
    np.testing.assert_allclose(out["lo_80"], [80.0, 0.0])     # 10 - 2 * 5 = 0
    np.testing.assert_allclose(out["hi_80"], [120.0, 20.0])
    # the 95 % interval (factor 1) is widened to stay around the 80 % one
    np.testing.assert_allclose(out["lo_95"], [80.0, 0.0])
    np.testing.assert_allclose(out["hi_95"], [120.0, 20.0])
    assert list(out["model"]) == ["x", "x"] and list(out["mean"]) == [100.0, 10.0]
    same = apply_calibration(fc, IntervalCalibration({80: 1.0, 95: 1.0}, 100))
    pd.testing.assert_frame_equal(same, fc)


def test_calibration_restores_coverage_when_the_model_understates_the_spread():
    # The "model" says sd 1 (normal intervals); the truth has sd 2. Calibrated on one sample,
    # the intervals must cover close to the nominal share of a fresh sample.
    rng = np.random.default_rng(0)

    def points(n):
        mean = rng.uniform(50, 150, n)
        sd_model = np.full(n, 1.0) * mean / 100
        out = {"actual": mean + rng.normal(0, 2.0, n) * mean / 100, "mean": mean}
        for lv in (80, 95):
            z = norm.ppf(0.5 + lv / 200)
            out[f"lo_{lv}"], out[f"hi_{lv}"] = mean - z * sd_model, mean + z * sd_model
        return pd.DataFrame(out)

    cal = fit_calibration(points(2000))
    assert cal.factors[80] == pytest.approx(2.0, rel=0.08)
    assert cal.factors[95] == pytest.approx(2.0, rel=0.08)
    fresh = points(20000)
    before = ((fresh["actual"] >= fresh["lo_95"]) & (fresh["actual"] <= fresh["hi_95"])).mean()
    after_fc = apply_calibration(fresh, cal)
    for lv in (80, 95):
        cov = ((fresh["actual"] >= after_fc[f"lo_{lv}"])
               & (fresh["actual"] <= after_fc[f"hi_{lv}"])).mean()
        assert cov == pytest.approx(lv / 100, abs=0.015)
    assert before < 0.70  # nominal 95 % covered ~67 % before calibration


def test_backtest_points_are_the_scored_forecasts():
    n = 72
    y = 1000 * PATTERN[np.arange(n) % 12] * (1 + 0.01 * np.arange(n))
    dates = pd.period_range("2018-01", periods=n, freq="M").to_timestamp()
    hist = pd.DataFrame({"series_id": "c1", "date": dates, "value": y})
    bt = backtest_panel(hist, 6, ForecastSettings(workers=1, progress=False), origins=2)
    pts = bt.points
    assert list(pts.columns[:5]) == ["series_id", "origin", "step", "actual", "mean"]
    assert len(pts) == 12 and set(pts["origin"]) == {1, 2}
    latest = pts[pts["origin"] == 1].sort_values("step")
    np.testing.assert_allclose(latest["actual"], y[-6:])
    older = pts[pts["origin"] == 2].sort_values("step")
    np.testing.assert_allclose(older["actual"], y[-12:-6])
    inside = ((pts["actual"] >= pts["lo_95"]) & (pts["actual"] <= pts["hi_95"])).mean()
    assert inside == pytest.approx(bt.summary["coverage_95"])


def test_published_intervals_beyond_the_backtest_horizon():
    from netdesign.forecast.calibration import apply_calibration_by_horizon

    fc = pd.DataFrame({"series_id": ["a"] * 4, "mean": 100.0, "lo_80": 90.0, "hi_80": 110.0,
                       "lo_95": 80.0, "hi_95": 120.0})
    cal = IntervalCalibration({80: 2.0, 95: 1.5}, 100)
    out = apply_calibration_by_horizon(fc, cal, calibrated_steps=2)
    # 80: half-width 10 * 2 = 20; 95: 20 * 1.5 = 30; the same factor at steps 3-4 (held)
    assert out["lo_80"].tolist() == [80.0] * 4 and out["hi_95"].tolist() == [130.0] * 4
    assert out["interval_basis"].tolist() == ["calibrated", "calibrated", "extrapolated",
                                              "extrapolated"]
    plain = apply_calibration_by_horizon(fc, None, 2)
    assert plain["interval_basis"].eq("model").all() and plain["hi_80"].eq(110.0).all()


def test_holdout_coverage_restores_the_level():
    # Errors N(0, 1) but intervals built for sd 0.5: far too narrow. Factors fitted on
    # origins 2-3 must bring origin 1's coverage to the nominal level (within sampling error:
    # 4,000 points, s.e. of a 95 % share ~0.0035).
    rng = np.random.default_rng(5)
    n = 4000
    rows = []
    for origin in (1, 2, 3):
        e = rng.normal(0, 1, n)
        rows.append(pd.DataFrame({"origin": origin, "actual": 100 + e, "mean": 100.0,
                                  "lo_80": 100 - 0.5 * norm.ppf(0.9),
                                  "hi_80": 100 + 0.5 * norm.ppf(0.9),
                                  "lo_95": 100 - 0.5 * norm.ppf(0.975),
                                  "hi_95": 100 + 0.5 * norm.ppf(0.975)}))
    from netdesign.forecast.calibration import holdout_coverage

    out = holdout_coverage(pd.concat(rows, ignore_index=True))
    # uncalibrated: P(|Z| < 0.5 * 1.2816) = 2 * Phi(0.6408) - 1 = 0.478, far below 0.80
    assert out["coverage_80_uncalibrated"] == pytest.approx(0.478, abs=0.02)
    assert out["coverage_80_calibrated"] == pytest.approx(0.80, abs=0.02)
    assert out["coverage_95_calibrated"] == pytest.approx(0.95, abs=0.015)


def test_cross_validated_coverage_averages_the_left_out_origins():
    # Origin 1's errors are twice as wide as origins 2-3's (sd 2 against 1); every interval is
    # built for sd 1, so the 80 % half-width is 1.2816. Hand-worked, large n:
    # - origin 1 left out: factor from origins 2-3 = 1, coverage P(|Z| < 1.2816 / 2) = 0.478;
    # - origin 2 (or 3) left out: the pooled scores of {1, 3} are |e| / 1.2816 with e a 50/50
    #   mix of N(0, 1) and N(0, 4); its 80 % quantile q solves
    #   (P(|Z| < q) + P(|Z| < q / 2)) / 2 = 0.8, q = 1.899 (scipy brentq), so the left-out
    #   origin's coverage is P(|Z| < 1.899) = 0.942.
    # Mean (0.478 + 2 x 0.942) / 3 = 0.788; min 0.478, max 0.942.
    from netdesign.forecast.calibration import cross_validated_coverage

    rng = np.random.default_rng(11)
    n = 20000
    z80 = norm.ppf(0.9)
    rows = [pd.DataFrame({"origin": o, "actual": 100 + rng.normal(0, sd, n), "mean": 100.0,
                          "lo_80": 100 - z80, "hi_80": 100 + z80,
                          "lo_95": 100 - norm.ppf(0.975), "hi_95": 100 + norm.ppf(0.975)})
            for o, sd in ((1, 2.0), (2, 1.0), (3, 1.0))]
    out = cross_validated_coverage(pd.concat(rows, ignore_index=True))
    assert out["origins"] == 3
    assert out["coverage_80_min"] == pytest.approx(0.478, abs=0.01)
    assert out["coverage_80_max"] == pytest.approx(0.942, abs=0.01)
    assert out["coverage_80_calibrated"] == pytest.approx(0.788, abs=0.01)
    assert cross_validated_coverage(rows[0]) == {}  # one origin: nothing to leave out


def test_cross_validated_latest_origin_is_the_holdout_check():
    # origin 1 left out is tested with factors from origins 2-3: holdout_coverage's check
    from netdesign.forecast.calibration import cross_validated_coverage, holdout_coverage

    rng = np.random.default_rng(2)
    z80 = norm.ppf(0.9)
    pts = pd.concat([pd.DataFrame({"origin": o, "actual": 100 + rng.normal(0, sd, 500),
                                   "mean": 100.0, "lo_80": 100 - z80, "hi_80": 100 + z80,
                                   "lo_95": 100 - 1.96, "hi_95": 100 + 1.96})
                     for o, sd in ((1, 1.5), (2, 1.0), (3, 0.8))], ignore_index=True)
    cv, hold = cross_validated_coverage(pts), holdout_coverage(pts)
    for lv in (80, 95):
        assert cv[f"coverage_{lv}_latest"] == hold[f"coverage_{lv}_calibrated"]
