"""netdesign: multimodal express network design and parcel-volume forecasting.

The documented surface (docs/api.md), imported on first use so that ``import netdesign``
stays fast:

- `Study` (`Study.load`, `with_overrides`, `forecast`, `scenario`, `solve`, `run`),
  `SolvedScenario`, `StudyRun`                      (netdesign.study)
- `ProgressEvent` (what a progress callback gets)  (netdesign.progress)
- `statistics` (tables of a results Dataset)       (netdesign.results.statistics)
- `open_results` (read and check a results.nc)      (netdesign.report.load)
- `InputError`, `Problem`                           (netdesign.errors)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Study": "netdesign.study",
    "SolvedScenario": "netdesign.study",
    "StudyRun": "netdesign.study",
    "ProgressEvent": "netdesign.progress",
    "statistics": "netdesign.results.statistics",
    "open_results": "netdesign.report.load",
    "InputError": "netdesign.errors",
    "Problem": "netdesign.errors",
}
__all__ = ["InputError", "Problem", "ProgressEvent", "SolvedScenario", "Study", "StudyRun",
           "__version__", "open_results", "statistics"]

if TYPE_CHECKING:  # for type checkers and IDEs only; at run time see __getattr__
    from netdesign.errors import InputError, Problem
    from netdesign.progress import ProgressEvent
    from netdesign.report.load import open_results
    from netdesign.results.statistics import statistics
    from netdesign.study import SolvedScenario, Study, StudyRun


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'netdesign' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
