"""Results: Designs -> xarray Dataset (results.nc) and summary.csv, written atomically.

The names below are imported on first use, so that a reader of results files (the report,
`netdesign.results.schema`) does not load the optimiser behind `dataset`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "combine_results": "netdesign.results.dataset",
    "design_to_dataset": "netdesign.results.dataset",
    "failed_scenario_dataset": "netdesign.results.dataset",
    "summary_table": "netdesign.results.summary",
    "read_results": "netdesign.results.io",
    "write_dataset_atomic": "netdesign.results.io",
    "write_results": "netdesign.results.io",
}
__all__ = ["combine_results", "design_to_dataset", "failed_scenario_dataset", "read_results",
           "summary_table", "write_dataset_atomic", "write_results"]

if TYPE_CHECKING:
    from netdesign.results.dataset import (
        combine_results,
        design_to_dataset,
        failed_scenario_dataset,
    )
    from netdesign.results.io import read_results, write_dataset_atomic, write_results
    from netdesign.results.summary import summary_table


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netdesign.results' has no attribute {name!r}")
