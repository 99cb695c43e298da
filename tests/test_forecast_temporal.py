"""Temporal aggregation levels: block sums, spreading back to months, and the engine's use."""

from __future__ import annotations

import numpy as np
import pytest
from forecast_helpers import SERIAL, long

from netdesign.forecast import forecast_panel
from netdesign.forecast.candidates import Fit
from netdesign.forecast.model import forecast_one
from netdesign.forecast.temporal import (
    MIN_AGGREGATE_OBS,
    aggregate,
    combine_levels,
    default_levels,
    horizon_blocks,
    to_months,
    usable_levels,
)


@pytest.mark.parametrize(("m", "levels"), [(12, (1, 2, 3, 4, 6)), (4, (1, 2)), (7, (1,)),
                                           (1, (1,)), (52, (1, 2, 4, 13, 26))])
def test_levels_are_the_divisors_of_the_season_below_it(m, levels):
    assert default_levels(m) == levels


def test_blocks_are_summed_and_aligned_with_the_last_month():
    y = np.arange(1.0, 11.0)  # 1..10
    np.testing.assert_array_equal(aggregate(y, 3), [2 + 3 + 4, 5 + 6 + 7, 8 + 9 + 10])
    np.testing.assert_array_equal(aggregate(y, 4), [3 + 4 + 5 + 6, 7 + 8 + 9 + 10])
    np.testing.assert_array_equal(aggregate(y, 1), y)
    assert horizon_blocks(18, 4) == 5 and horizon_blocks(18, 6) == 3


def test_levels_need_enough_blocks():
    n = MIN_AGGREGATE_OBS * 3
    assert usable_levels((1, 2, 3, 4, 6), n) == [1, 2, 3]
    assert usable_levels((1, 2, 3, 4, 6), 5) == [1]


def test_block_forecast_is_spread_evenly_and_levels_averaged():
    quarterly = Fit("q", np.array([30.0, 60.0]), np.array([9.0, 9.0]))
    np.testing.assert_array_equal(to_months(quarterly, 3, 5), [10, 10, 10, 20, 20])
    monthly = Fit("m", np.array([12.0, 12, 12, 12, 12]), np.full(5, 4.0))
    out = combine_levels(monthly, [monthly.mean, to_months(quarterly, 3, 5)], "c")
    np.testing.assert_allclose(out.mean, [11, 11, 11, 16, 16])
    # variance: the monthly model's 4 plus the spread between the two levels (1, 1, 1, 16, 16)
    np.testing.assert_allclose(out.var, [5, 5, 5, 20, 20])


def test_noise_free_linear_trend_is_the_same_at_every_level():
    # a straight line aggregates to a straight line (slope 3 k per block of k months): every
    # level sees the same trend, so averaging the levels changes the forecast only by the
    # even spreading of a block, at most (k - 1) / 2 months of growth, 2.5 x 3 for k = 6
    t = np.arange(72, dtype=float)
    y = 100.0 + 3.0 * t
    out = forecast_one("line", y, 12)
    assert out.spec["levels"] == [1, 2, 3, 4, 6]
    assert out.model.startswith("levels(1,2,3,4,6):")
    single = forecast_one("line", y, 12, spec={**out.spec, "levels": [1]})
    assert single.model.startswith("comb(")
    diff = out.table["mean"] - single.table["mean"]
    assert np.max(np.abs(diff)) <= 2.5 * 3.0
    assert abs(diff.mean()) <= 0.5 * 3.0
    assert np.all(np.diff(out.table["mean"][::6]) > 0)


def test_spec_keeps_the_levels_and_old_specs_stay_single_level():
    rng = np.random.default_rng(7)
    y = 400 + np.cumsum(rng.normal(2, 8, 60))
    first = forecast_panel(long({"a": y}), 12, SERIAL)
    spec = first.specs["a"]
    assert spec["levels"] == [1, 2, 3, 4, 6]
    again = forecast_panel(long({"a": y}), 12, SERIAL, specs={"a": spec})
    np.testing.assert_allclose(again.forecasts["mean"], first.forecasts["mean"], rtol=1e-9)
    old = {k: v for k, v in spec.items() if k != "levels"}  # written before levels existed
    single = forecast_panel(long({"a": y}), 12, SERIAL, specs={"a": old})
    assert "levels" not in single.specs["a"]
    assert not single.forecasts["model"].iloc[0].startswith("levels(")
    assert single.diagnostics["message"].iloc[0] == ""


def test_bad_levels_in_a_spec_trigger_full_selection():
    rng = np.random.default_rng(8)
    y = 400 + np.cumsum(rng.normal(2, 8, 60))
    spec = {"version": 1, "method": "auto", "season_length": 12, "decomposition": "none",
            "members": ["theta"], "levels": [2, 3]}
    res = forecast_panel(long({"a": y}), 6, SERIAL, specs={"a": spec})
    assert "bad levels" in res.diagnostics["message"].iloc[0]
    assert res.specs["a"]["levels"] == [1, 2, 3, 4, 6]


def test_explicit_methods_stay_single_level():
    rng = np.random.default_rng(9)
    y = 400 + np.cumsum(rng.normal(2, 8, 60))
    for method in ("ets", "theta"):
        out = forecast_one("a", y, 12, method=method)
        assert "levels" not in out.spec and not out.model.startswith("levels(")


def test_theta_is_ses_with_half_the_trend_slope():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    from netdesign.forecast.candidates import fit_theta

    # hand-checked: on an exact line SES tracks the last value (alpha -> 1), so Theta
    # continues from it with half the slope (Hyndman & Billah 2003)
    t = np.arange(48, dtype=float)
    line = fit_theta(20.0 + 4.0 * t, 6)
    np.testing.assert_allclose(line.mean, 20.0 + 4.0 * 47 + 2.0 * np.arange(1, 7), rtol=2e-3)
    # a random walk with drift (alpha near 1): statsmodels' own ThetaModel, which starts
    # SES at the first value instead of estimating it, gives the same forecast
    rng = np.random.default_rng(11)
    walk = 1000 + np.cumsum(rng.normal(3.0, 20.0, 96))
    ours = fit_theta(walk, 12)
    ref = np.asarray(ThetaModel(walk, deseasonalize=False).fit().forecast(12, theta=2))
    np.testing.assert_allclose(ours.mean, ref, rtol=0.01)
    assert np.all(np.diff(ours.var) >= 0)
