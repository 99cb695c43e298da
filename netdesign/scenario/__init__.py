"""Scenarios: design year, demand from the forecasts, cost and policy cases, sweep grids."""

from netdesign.scenario.scenario import DEFAULT_SEGMENT, Scenario, Segment

__all__ = ["DEFAULT_SEGMENT", "Scenario", "Segment"]
