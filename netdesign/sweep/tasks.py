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
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import dask
import xarray as xr

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.scenario.scenario import Scenario
from netdesign.sweep.store import StoredScenario, write_scenario


def warm_up() -> int:
    """Import the heavy modules (Pyomo, HiGHS) once per worker process; returns the pid."""
    import highspy  # noqa: F401
    import pyomo.environ  # noqa: F401

    import netdesign.optimise  # noqa: F401
    import netdesign.pipeline  # noqa: F401
    import netdesign.results  # noqa: F401

    # xarray builds its indexes and dtype tables lazily: pay for it here, not in a scenario.
    ds = xr.Dataset({"v": (("scenario", "x"), [[1.0, 2.0]])},
                    coords={"scenario": ["s"], "x": ["a", "b"]})
    ds.sel(x="a")
    # and the netCDF writer's first use (synchronous dask scheduler: this runs on the worker's
    # event loop, where xarray's scheduler probe would trip over an asynchronous client)
    with tempfile.TemporaryDirectory() as tmp, dask.config.set(scheduler="synchronous"):
        ds.to_netcdf(Path(tmp) / "warm.nc", engine="netcdf4")
    return os.getpid()


def identity(obj: Any) -> Any:
    """Return `obj` (ships shared data to the cluster as a recomputable task)."""
    return obj


def _peak_rss_mb() -> float:
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss / 1024.0 / (1024.0 if sys.platform == "darwin" else 1.0)
    except (ImportError, OSError):  # pragma: no cover - not on POSIX
        return float("nan")


def solve_task(network: Network, scenario: Scenario, solver: SolverConfig,
               submitted_unix: float = float("nan"), out_dir: str | None = None,
               key: str = "") -> tuple[xr.Dataset | StoredScenario, dict[str, Any]]:
    """Solve `scenario` on `network`; returns its one-scenario dataset and timings.

    With `out_dir` (a folder this worker shares with the driver) the dataset is written there
    at once (``scenarios/<name>.nc``, atomically, with resume `key`) and its `StoredScenario`
    record is returned instead of the dataset: the write happens in parallel on the workers
    and survives a driver that dies.

    Timings (s, and unix seconds): ``submitted_unix`` (driver), ``started_unix`` (worker),
    ``solve_s`` (model build + hand-off + HiGHS; ``solve_cpu_s`` its CPU time in this process),
    ``to_dataset_s``, ``finished_unix``, (with `out_dir`) ``write_s`` and ``write_cpu_s``,
    ``peak_rss_mb`` of the worker process so far, ``host``, ``pid``.
    """
    from netdesign.pipeline import solve_scenario
    from netdesign.results import design_to_dataset, failed_scenario_dataset

    started = time.time()
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        design = solve_scenario(network, scenario, solver)
        t1, c1 = time.perf_counter(), time.process_time()
        ds = design_to_dataset(network, scenario, design)
    except Exception as exc:  # noqa: BLE001 - isolate the failure to this scenario
        t1, c1 = time.perf_counter(), time.process_time()
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
        ds = failed_scenario_dataset(network, scenario, "error",
                                     f"{type(exc).__name__}: {exc}{where}")
    t2 = time.perf_counter()
    timings = {
        "submitted_unix": submitted_unix,
        "started_unix": started,
        "solve_s": t1 - t0,
        "solve_cpu_s": c1 - c0,
        "to_dataset_s": t2 - t1,
        "finished_unix": time.time(),
        "peak_rss_mb": _peak_rss_mb(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "highs_threads": solver.threads,
    }
    if out_dir is None:
        return ds, timings
    t3, c3 = time.perf_counter(), time.process_time()
    record = write_scenario(Path(out_dir), scenario.name, ds, key, timings)
    timings["write_s"] = time.perf_counter() - t3
    timings["write_cpu_s"] = time.process_time() - c3
    return record, timings


def plan_task(network: Network, forecasts: Any, case: Any, solver: SolverConfig,
              submitted_unix: float = float("nan"), out_dir: str | None = None,
              key: str = "") -> tuple[xr.Dataset | StoredScenario, dict[str, Any]]:
    """Solve the staged plan of one plan-sweep case (`plan_cases.PlanCase`) and its myopic
    counterpart (`plan.solve_study_plan`); returns its plan results dataset (as written by
    `netdesign plan`, with the case's summary row in the attribute `plan_case_summary`) and
    timings. An exception becomes a dataset with no variables, status ``error``. With
    `out_dir` the dataset is written there (``plans/<name>.nc``) and its record returned."""
    from netdesign.data.inputs import StudyInputs
    from netdesign.plan import solve_study_plan
    from netdesign.sweep.plan_cases import summary_row
    from netdesign.sweep.plan_store import case_dataset, write_plan_case

    started = time.time()
    t0, c0 = time.perf_counter(), time.process_time()
    study = StudyInputs(case.cfg.model_copy(update={"solver": solver}), network)
    try:
        run = solve_study_plan(study, forecasts, myopic=True)
        ds = case_dataset(run.dataset, summary_row(case, run))
    except Exception as exc:  # noqa: BLE001 - isolate the failure to this case
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
        msg = f"{type(exc).__name__}: {exc}{where}"
        ds = case_dataset(xr.Dataset(), summary_row(case, status="error", message=msg))
    timings = {"submitted_unix": submitted_unix, "started_unix": started,
               "solve_s": time.perf_counter() - t0, "solve_cpu_s": time.process_time() - c0,
               "finished_unix": time.time(), "peak_rss_mb": _peak_rss_mb(),
               "host": socket.gethostname(), "pid": os.getpid(),
               "highs_threads": solver.threads}
    if out_dir is None:
        return ds, timings
    t3, c3 = time.perf_counter(), time.process_time()
    record = write_plan_case(Path(out_dir), case.name, ds, key, timings)
    timings["write_s"] = time.perf_counter() - t3
    timings["write_cpu_s"] = time.process_time() - c3
    return record, timings
