"""Scenarios: design year, demand from the forecasts, cost and policy cases, sweep grids."""

from netdesign.scenario.scenario import Scenario

__all__ = ["Scenario"]
