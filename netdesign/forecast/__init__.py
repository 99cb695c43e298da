"""Corridor volume forecasting: statsmodels candidates, combination, intervals, backtest,
reconciliation, Dask fan-out and stored model specs (see docs/forecasting.md)."""

from netdesign.forecast.backtest import BacktestResult, backtest_panel
from netdesign.forecast.engine import ForecastResult, ForecastSettings, forecast_panel
from netdesign.forecast.reconcile import reconcile_forecasts

__all__ = ["BacktestResult", "ForecastResult", "ForecastSettings", "backtest_panel",
           "forecast_panel", "reconcile_forecasts"]
