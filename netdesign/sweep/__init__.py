"""Scenario sweeps on dask.distributed: grid, resume, failure isolation (see docs/sweeps.md)."""

from netdesign.sweep.runner import (
    EXIT_SCENARIOS_FAILED,
    SweepOutcome,
    list_scenarios,
    run_sweep,
    select_scenarios,
)

__all__ = ["EXIT_SCENARIOS_FAILED", "SweepOutcome", "list_scenarios", "run_sweep",
           "select_scenarios"]
