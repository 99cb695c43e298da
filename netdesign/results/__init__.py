"""Results: Designs -> xarray Dataset (results.nc) and summary.csv, written atomically."""

from netdesign.results.dataset import (
    combine_results,
    design_to_dataset,
    failed_scenario_dataset,
    summary_table,
)
from netdesign.results.io import read_results, write_dataset_atomic, write_results

__all__ = ["combine_results", "design_to_dataset", "failed_scenario_dataset", "read_results",
           "summary_table", "write_dataset_atomic", "write_results"]
