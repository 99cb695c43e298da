"""`netdesign refresh`: the nightly forecast refresh (see docs/refresh.md).

Exit codes: 0 ok (published, or nothing to do), 2 invalid input (config or volume files),
3 another refresh holds the lock, 1 any other failure (including a failed `--resolve`).
Prints exactly one JSON line (the run summary) on stdout; messages go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from netdesign.cli.app import app, handle_errors
from netdesign.errors import InputError, LockedError, NetdesignError

_STATUS = {2: "invalid_input", 3: "locked"}


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send everything written to file descriptor 1 (e.g. a solver's C++ banner) to stderr
    while the refresh runs, so that stdout carries only the one JSON line."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _emit(summary: dict) -> None:
    typer.echo(json.dumps(summary, default=str, separators=(",", ":")))


def _failure(exc: BaseException) -> dict:
    code = getattr(exc, "exit_code", 1) if isinstance(exc, NetdesignError) else 1
    if isinstance(exc, InputError):
        message = exc.render(limit=5)
    else:
        message = f"{type(exc).__name__}: {exc}" if not isinstance(exc, LockedError) else str(exc)
    return {"status": _STATUS.get(code, "failed"), "exit_code": code, "message": message}


@app.command("refresh")
@handle_errors
def refresh_cmd(
    config: Path = typer.Argument(..., help="Study config (YAML)."),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder where new volume files (CSV/Parquet: corridor, month, "
        "parcels) arrive. Default: <store>/incoming."),
    store: Path = typer.Option(
        Path("."), "--store", help="Folder holding models/, forecasts/ and state/."),
    resolve: bool = typer.Option(
        False, "--resolve", help="After publishing, re-solve the baseline scenarios with the "
        "new forecasts (into <store>/resolved/<run-id>/)."),
    full_reselect: bool = typer.Option(
        False, "--full-reselect", help="Re-select every corridor's model now, whatever the "
        "schedule (refresh.full_reselect_days)."),
) -> None:
    """Ingest new volume files, refit the forecasts and publish them (nightly job).

    Exit codes: 0 ok or nothing to do, 2 invalid input, 3 another refresh is running,
    1 other failure. One JSON summary line on stdout.
    """
    from netdesign.refresh.job import run_refresh

    try:
        with _stdout_to_stderr():
            outcome = run_refresh(config, store=store, data_dir=data_dir, resolve=resolve,
                                  full_reselect=full_reselect)
    except NetdesignError as exc:
        # Printed plainly (no wrapping): cron mail and the journal get whole paths and rows.
        _emit(_failure(exc))
        text = exc.render() if isinstance(exc, InputError) else str(exc)
        typer.echo(f"error: {text}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except Exception as exc:
        _emit(_failure(exc))
        raise
    _emit(outcome.summary)
    if outcome.summary.get("exit_code", 0):
        typer.echo(f"error: {outcome.summary.get('resolve', {}).get('error', 'failed')}",
                   err=True)
        raise typer.Exit(int(outcome.summary["exit_code"]))
