"""Console entry point: imports every command module so that it registers on `app`."""

from __future__ import annotations

import importlib

from netdesign.cli.app import app

for _name in ("run", "validate", "forecast", "sweep", "report", "refresh"):
    try:
        importlib.import_module(f"netdesign.cli.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"netdesign.cli.{_name}":
            raise

__all__ = ["app"]
