"""Rolling-origin backtest scores against hand-worked cases; Dask fan-out equals serial."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_helpers import long

from netdesign.forecast import ForecastSettings, backtest_panel, forecast_panel
from netdesign.forecast.backtest import _origin_plan
from netdesign.forecast.metrics import mase, smape

PATTERN = np.array([7, 8, 10, 11, 12, 13, 12.5, 11, 10, 9, 8.5, 8.0]) * 10




def test_metrics_hand_worked():
    assert smape([100, 100], [110, 90]) == pytest.approx((200 * 10 / 210 + 200 * 10 / 190) / 2)
    # in-sample seasonal-naive (lag 2) MAE of [1,2,3,4] is 2; forecast MAE is 1
    assert mase([5, 6], [6, 5], [1, 2, 3, 4], 2) == pytest.approx(0.5)


def test_repeating_pattern_scores_perfectly_with_seasonal_naive():
    y = np.tile(PATTERN, 5)
    res = backtest_panel(long({"p": y}), 12,
                         ForecastSettings(workers=1, progress=False, method="seasonal_naive"))
    row = res.per_series.iloc[0]
    assert row["mase"] == pytest.approx(0.0, abs=1e-12)
    assert row["smape"] == pytest.approx(0.0, abs=1e-12)
    assert row["coverage_95"] == 1.0
    assert res.summary["origins"] == 3 and res.summary["n_series"] == 1


def test_short_series_get_a_shorter_backtest_horizon():
    h, cuts = _origin_plan(np.arange(12.0), horizon=6, origins=3)
    assert h == 2 and cuts == [10, 8, 6]
    h, cuts = _origin_plan(np.arange(7.0), horizon=6, origins=3)
    assert h == 0 and cuts == []


@pytest.mark.distributed
def test_dask_workers_match_serial():
    rng = np.random.default_rng(3)
    series = {f"s{i}": 100 + np.cumsum(rng.normal(1, 5, 40)) for i in range(6)}
    hist = long(series)
    serial = forecast_panel(hist, 6, ForecastSettings(workers=1, progress=False))
    par = forecast_panel(hist, 6, ForecastSettings(workers=2, progress=False))
    pd.testing.assert_frame_equal(serial.forecasts, par.forecasts)
