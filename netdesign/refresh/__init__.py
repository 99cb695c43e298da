"""Nightly forecast refresh: ingest new volume files, validate, refit, publish, lock.

See docs/refresh.md. Python API: `run_refresh`; readers of published runs: `read_latest`,
`load_latest_forecasts`.
"""

from netdesign.refresh.job import RefreshOutcome, run_refresh
from netdesign.refresh.publish import load_latest_forecasts, read_latest

__all__ = ["RefreshOutcome", "load_latest_forecasts", "read_latest", "run_refresh"]
