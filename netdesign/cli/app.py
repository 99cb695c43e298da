"""The Typer application and the error handling shared by every command.

Each command group lives in its own module (run.py, forecast.py, sweep.py, report.py,
refresh.py) and registers itself on `app`; `main.py` imports them all.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from netdesign.errors import InputError, NetdesignError

app = typer.Typer(
    name="netdesign",
    help="Design multimodal long-haul express networks and forecast their parcel volumes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: never break file paths in messages (cron and systemd logs are not terminals).
console = Console(stderr=True, soft_wrap=True, highlight=False)
_state = {"debug": False}


def print_error(text: str, label: str = "error", style: str = "bold red") -> None:
    """Print `label: text` to stderr with `text` taken literally: names and values from input
    files may contain rich markup such as ``[/x]`` or ``[bold]``, which must be shown as typed,
    never interpreted."""
    console.print(Text.assemble((label, style), ": ", text), highlight=False)


def print_warning(text: str) -> None:
    """`print_error` for a warning (yellow label)."""
    print_error(text, "warning", "yellow")


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks.")) -> None:
    _state["debug"] = debug


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn netdesign errors into short messages and documented exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InputError as exc:
            print_error(exc.render())
            raise typer.Exit(exc.exit_code) from None
        except NetdesignError as exc:
            if _state["debug"]:
                traceback.print_exc()
            print_error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            console.print("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - last resort: short message, exit 1
            if _state["debug"]:
                traceback.print_exc()
            else:
                print_error(f"{type(exc).__name__}: {exc} (run with --debug for the traceback)")
            raise typer.Exit(1) from None

    return wrapper


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
