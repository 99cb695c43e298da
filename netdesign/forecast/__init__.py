"""Corridor volume forecasting: statsmodels candidates, combination, intervals, backtest,
interval calibration, reconciliation, joint demand paths, a cache of results, Dask fan-out
and stored model specs (see docs/forecasting.md)."""

from netdesign.forecast.backtest import BacktestResult, backtest_panel
from netdesign.forecast.calibration import (
    IntervalCalibration,
    apply_calibration,
    fit_calibration,
)
from netdesign.forecast.engine import ForecastResult, ForecastSettings, forecast_panel
from netdesign.forecast.paths import aggregate_paths, error_correlation, sample_paths
from netdesign.forecast.reconcile import reconcile_forecasts

__all__ = ["BacktestResult", "ForecastResult", "ForecastSettings", "IntervalCalibration",
           "aggregate_paths", "apply_calibration", "backtest_panel", "error_correlation",
           "fit_calibration", "forecast_panel", "reconcile_forecasts", "sample_paths"]
