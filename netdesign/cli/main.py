"""Console entry point: importing the command modules registers their commands on `app`."""

from __future__ import annotations

from netdesign.cli import forecast, refresh, report, robust, run, sweep, validate  # noqa: F401
from netdesign.cli.app import app

__all__ = ["app"]
