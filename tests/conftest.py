"""Shared fixtures: paths to the reference material and to the tiny study."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TINY_CONFIG = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"

# Single-threaded BLAS in tests: the machines have 2 cores and tests start worker processes.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# A fresh forecast cache per test session (netdesign.forecast.cache): tests never read
# results cached by an earlier run, nor write into the user's ~/.cache.
os.environ["NETDESIGN_CACHE"] = tempfile.mkdtemp(prefix="netdesign-test-cache-")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (reference data); tests needing it skip when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"reference data not found at {SHARED} (../shared beside the checkout)")
    return SHARED


@pytest.fixture(scope="session")
def tiny_config() -> Path:
    """The tiny study used by end-to-end, sweep and report tests."""
    return TINY_CONFIG


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.lp from the current model (review the diff)")


# Test tiers. `make test` runs everything (the CI contract); `make test-fast` deselects the
# tests marked slow, browser or distributed. Beside the marks set in the test files, these
# modules and tests are slow (over ~3 s each on a 2-core machine, `pytest --durations=80`):
# they run the CLI end to end in subprocesses, start Dask clusters or forecast the tiny study.
SLOW_MODULES = frozenset({
    "test_end_to_end.py", "test_refresh_cli.py", "test_refresh_job.py",
    "test_refresh_scripts.py", "test_report_pipeline.py", "test_sweep.py",
})
SLOW_TESTS = frozenset({
    "test_data_loading.py::test_validate_is_registered_on_the_entry_point",
    "test_forecast_backtest.py::test_dask_workers_match_serial",
    "test_forecast_cli.py::test_cli_calibrates_intervals_on_its_backtest",
    "test_forecast_cli.py::test_cli_forecasts_a_small_file",
    "test_model_solve.py::test_time_limit_on_synthetic_network_returns_incumbent",
    "test_refresh_publish.py::test_lock_of_a_killed_holder_is_released",
    "test_default_study_data.py::test_builder_is_deterministic",
    "test_faults.py::test_run_killed_while_solving_leaves_no_results",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.path.name
        if module in SLOW_MODULES or f"{module}::{item.originalname}" in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
