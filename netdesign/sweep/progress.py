"""The sweep's progress bar (rich): scenarios done, running, failed, and an ETA."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class SweepProgress:
    """Progress of a sweep of `total` scenarios of which `done` were already on disk.

    ``running`` is the number of scenarios being solved: the task slots in use (the remaining
    scenarios, at most the cluster's slots). The ETA extrapolates the pace of the scenarios
    solved in this run.
    """

    def __init__(self, total: int, done: int = 0, enabled: bool = True):
        self.total, self.done, self.failed, self.slots = total, done, 0, 1
        self._solving = False
        self._progress = Progress(
            TextColumn("[bold]{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("running {task.fields[running]}, failed {task.fields[failed]}"
                       "{task.fields[reused]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), disable=not enabled, transient=False)
        self._task = self._progress.add_task(
            "starting", total=total, completed=done, running=0, failed=0,
            reused=f", {done} reused" if done else "")

    def __enter__(self) -> SweepProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def _running(self) -> int:
        return min(self.slots, self.total - self.done) if self._solving else 0

    def stage(self, description: str) -> None:
        """Name the current stage (starting workers, forecasting, solving, combining)."""
        self._solving = description == "solving"
        if description == "solving":
            # ETA from now on: forget the reused scenarios' instant "progress".
            self._progress.reset(self._task, total=self.total, completed=self.done,
                                 start=True)
        self._progress.update(self._task, description=description, running=self._running())

    def set_slots(self, slots: int) -> None:
        """Task slots of the cluster (scenarios solved at once)."""
        self.slots = max(1, slots)

    def finished(self, failed: bool = False) -> None:
        """One more scenario finished (written to disk)."""
        self.done += 1
        self.failed += int(failed)
        self._progress.update(self._task, completed=self.done, running=self._running(),
                              failed=self.failed)
