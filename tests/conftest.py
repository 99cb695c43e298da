"""Shared fixtures: paths to the reference material and to the tiny study."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TINY_CONFIG = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"

# Single-threaded BLAS in tests: the machines have 2 cores and tests start worker processes.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


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
