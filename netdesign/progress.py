"""Progress of long work, reported without printing: a log record and an optional callback.

The library never prints. `emit` logs each step at INFO on the caller's logger and, when the
caller was given one, calls ``progress(ProgressEvent(...))``; the CLI passes a callback that
prints with rich, scripts pass their own or configure `logging`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    """One step: `stage` ("load", "forecast", "backtest", "solve", "solved", "write", "done"),
    a readable `message`, and for solves `done` of `total` scenarios."""

    stage: str
    message: str
    done: int = 0
    total: int = 0


Progress = Callable[[ProgressEvent], None]


def emit(log: logging.Logger, progress: Progress | None, stage: str, message: str,
         done: int = 0, total: int = 0) -> None:
    """Log `message` at INFO and pass the event to `progress` if there is one."""
    log.info(message)
    if progress is not None:
        progress(ProgressEvent(stage, message, done, total))
