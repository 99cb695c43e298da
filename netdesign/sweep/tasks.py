"""What runs on a worker: solve one scenario and turn it into its results dataset.

Everything here is picklable and import-light at module level, so that a Dask worker process
(which may live on another machine with the same environment) can run it. Any exception from
the model or the solver is caught and becomes a failed-scenario dataset with status ``error``:
one bad scenario never stops the sweep.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import traceback
from typing import Any

import xarray as xr

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.scenario.scenario import Scenario


def warm_up() -> int:
    """Import the heavy modules (Pyomo, HiGHS) once per worker process; returns the pid."""
    import highspy  # noqa: F401
    import pyomo.environ  # noqa: F401

    import netdesign.optimise  # noqa: F401
    import netdesign.pipeline  # noqa: F401
    import netdesign.results  # noqa: F401

    return os.getpid()


def _peak_rss_mb() -> float:
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss / 1024.0 / (1024.0 if sys.platform == "darwin" else 1.0)
    except (ImportError, OSError):  # pragma: no cover - not on POSIX
        return float("nan")


def solve_task(network: Network, scenario: Scenario, solver: SolverConfig,
               submitted_unix: float = float("nan")) -> tuple[xr.Dataset, dict[str, Any]]:
    """Solve `scenario` on `network`; returns its one-scenario dataset and timings.

    Timings (s, and unix seconds): ``submitted_unix`` (driver), ``started_unix`` (worker),
    ``solve_s`` (model build + hand-off + HiGHS), ``to_dataset_s``, ``finished_unix``,
    ``peak_rss_mb`` of the worker process so far, ``host``, ``pid``.
    """
    from netdesign.pipeline import solve_scenario
    from netdesign.results import design_to_dataset, failed_scenario_dataset

    started = time.time()
    t0 = time.perf_counter()
    try:
        design = solve_scenario(network, scenario, solver)
        t1 = time.perf_counter()
        ds = design_to_dataset(network, scenario, design)
    except Exception as exc:  # noqa: BLE001 - isolate the failure to this scenario
        t1 = time.perf_counter()
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
        ds = failed_scenario_dataset(network, scenario, "error",
                                     f"{type(exc).__name__}: {exc}{where}")
    t2 = time.perf_counter()
    timings = {
        "submitted_unix": submitted_unix,
        "started_unix": started,
        "solve_s": t1 - t0,
        "to_dataset_s": t2 - t1,
        "finished_unix": time.time(),
        "peak_rss_mb": _peak_rss_mb(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "highs_threads": solver.threads,
    }
    return ds, timings
