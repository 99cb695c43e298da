"""Exception hierarchy and the `Problem` record used to report every input problem at once.

Exit codes used by the CLI (the constants below; README and docs/architecture.md list them):
0 ok, 1 other failure, 2 invalid input (nothing written), 3 locked (refresh, sweep),
4 some scenario of `run` or `sweep` has no design (infeasible, error, stopped without a
solution; the results are still written), 5 every scenario of `sweep` has a solution but some
stopped before the configured MIP gap (`report/status.py`; `report` and `compare` flag them),
6 `compare` printed its tables but some scenario compared is flagged (no solution, stopped at
a time limit, gap above the tolerance, demand unserved; `report/status.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INPUT = 2
EXIT_LOCKED = 3
EXIT_SCENARIOS_FAILED = 4
EXIT_GAP_NOT_MET = 5
EXIT_FLAGGED = 6


@dataclass(frozen=True)
class Problem:
    """One problem found in the inputs.

    source:   the file (or config file) the problem is in.
    location: where in it, e.g. ``"row 12"`` (1-based data row, header excluded) or a key path
              such as ``"solver.time_limit_s"``.
    field:    the column or key at fault, if one.
    value:    the offending value (``None`` when it is missing).
    expected: what was expected, phrased so that the user knows how to fix it.
    severity: ``"error"`` stops the run; ``"warning"`` is reported and the run goes on.
    """

    source: str
    location: str
    field: str | None
    value: Any
    expected: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.source}: {self.location}"
        if self.field:
            where += f", field '{self.field}'"
        got = "missing" if self.value is None else repr(self.value)
        return f"{where}: got {got}; expected {self.expected}"


class NetdesignError(Exception):
    """Base class of every error netdesign raises on purpose."""

    exit_code = 1


class InputError(NetdesignError):
    """Invalid configuration or data. Carries every problem found, not only the first."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Iterable[Problem], headline: str = "invalid input"):
        self.problems = [p for p in problems]
        self.headline = headline
        super().__init__(self.render())

    def render(self, limit: int = 200) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [f"{self.headline}: {len(errors)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


def raise_if_errors(problems: Iterable[Problem], headline: str = "invalid input") -> None:
    """Raise `InputError` if any problem has severity ``"error"``."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems, headline)


class SolveError(NetdesignError):
    """The solver could not be run at all (not: infeasible, which is a reported status)."""


class LockedError(NetdesignError):
    """Another refresh (or sweep) holds the lock."""

    exit_code = EXIT_LOCKED
