"""Console entry point: importing the command modules registers their commands on `app`."""

from __future__ import annotations

from netdesign.cli import forecast, plan, refresh, report, robust, run, sweep, validate  # noqa: F401,E501
from netdesign.cli.app import app

__all__ = ["app"]
