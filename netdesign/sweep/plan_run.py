"""Run a plan sweep (`sweep.plans`): one staged plan per case on Dask, resumable,
failure-isolated, like a scenario sweep (docs/sweeps.md, "Sweeps of plans").

`runner.run_sweep` calls `run_plans` (under the output folder's lock) when the study's sweep
has `plans:`. The forecasts are computed once (the sweep's forecast cache); the network and
the forecasts go to the cluster once; each case's plan and its myopic counterpart are solved
on a worker (`tasks.plan_task`) and written to ``DIR/plans/<name>.nc`` as soon as they are
done. At the end, ``DIR/summary.csv`` has one row per selected case (`plan_cases.summary_row`)
and ``DIR/forecasts.csv`` the forecasts used.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from netdesign import __version__
from netdesign.sweep import plan_store, store
from netdesign.sweep.execute import (
    share_with_workers,
    shared_with_workers,
    start_client,
    stream_tasks,
)
from netdesign.sweep.plan_cases import PlanCase, case_key, summary_row
from netdesign.sweep.progress import SweepProgress

SUMMARY_FILE = "summary.csv"


def run_plans(study, cases: list[PlanCase], out_dir: Path, outcome, *, workers: int | None,
              scheduler: str | None, progress: bool, forecasts: Any,
              get_forecasts: Callable[[Any], Any], solver_for: Callable[[int], Any],
              worker_writes: bool | None = None):
    """Solve (or reuse) every case into `out_dir`; fills and returns `outcome` (a
    `runner.SweepOutcome`). get_forecasts(client): the study's forecasts (cached);
    solver_for(threads): the solver options with HiGHS threads set."""
    from netdesign.results.io import write_frame_atomic

    cfg = study.cfg
    plan_store.remove_stale_temporaries(out_dir)
    keys = {c.name: case_key(c, study.network.version) for c in cases}
    reused = [c.name for c in cases
              if store.reusable(plan_store.read_plan_case(out_dir, c.name), keys[c.name])]
    todo = [c for c in cases if c.name not in set(reused)]
    run_log = store.RunLog(out_dir, uuid.uuid4().hex[:8])
    run_log.write("start", kind="plans", selected=len(cases), reused=len(reused),
                  todo=len(todo), scheduler=scheduler, workers=workers,
                  netdesign_version=__version__)
    for name in reused:
        run_log.write("skipped", scenario=name, key=keys[name])
    outcome.reused = reused
    phases = outcome.phases
    with SweepProgress(len(cases), done=len(reused), enabled=progress) as bar, \
            ExitStack() as stack:
        t0 = time.perf_counter()
        bar.stage("starting workers")
        client, outcome.workers, slots, outcome.highs_threads = start_client(
            stack, cfg, workers, scheduler, len(todo))
        bar.set_slots(slots)
        phases["cluster_start_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        bar.stage("forecasting")
        if forecasts is None:
            forecasts = get_forecasts(client)
        fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
        phases["forecast_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        bar.stage("solving plans")
        solver = solver_for(outcome.highs_threads)
        by_name = {c.name: c for c in todo}
        for name, result, timings in _solve(client, todo, study.network, fc, solver, keys,
                                            cfg.sweep.retries, out_dir, worker_writes):
            timings["received_unix"] = time.time()
            if isinstance(result, BaseException):
                msg = f"{type(result).__name__}: {result}"
                result = plan_store.case_dataset(xr.Dataset(), summary_row(
                    by_name[name], status="killed" if "KilledWorker" in msg else "error",
                    message=msg))
            if not isinstance(result, store.StoredScenario):
                result = plan_store.write_plan_case(out_dir, name, result, keys[name], timings)
            outcome.computed.append(name)
            outcome.timings[name] = timings
            run_log.write("failed" if result.failed else "computed", scenario=name,
                          key=keys[name], status=result.status, message=result.message,
                          timings=timings)
            bar.finished(failed=result.failed)
        phases["solve_s"] = time.perf_counter() - t2
        stack.close()
        bar.stage("combining")
        t3 = time.perf_counter()
        summary = pd.DataFrame([plan_store.read_summary_row(out_dir, c.name) for c in cases])
        write_frame_atomic(summary, out_dir / SUMMARY_FILE)
        if isinstance(fc, pd.DataFrame):
            write_frame_atomic(fc, out_dir / "forecasts.csv")
        phases["combine_s"] = time.perf_counter() - t3
    outcome.summary = summary
    outcome.failed = [c.name for c in cases
                      if (r := plan_store.read_plan_case(out_dir, c.name)) is None or r.failed]
    run_log.write("done", computed=len(outcome.computed), reused=len(reused),
                  failed=outcome.failed, phases=phases)
    return outcome


def _solve(client, todo: list[PlanCase], network, forecasts: pd.DataFrame, solver,
           keys: dict[str, str], retries: int, out_dir: Path, worker_writes: bool | None):
    """(name, dataset | record | exception, timings) per case, as they finish."""
    from netdesign.sweep.tasks import plan_task

    if client is None:
        for case in todo:
            ds, timings = plan_task(network, forecasts, case, solver, time.time())
            yield case.name, ds, timings
        return
    if worker_writes is None:
        worker_writes = shared_with_workers(client, out_dir)
    worker_dir = str(out_dir.resolve()) if worker_writes else None
    net_future = share_with_workers(client, network, "network")
    fc_future = share_with_workers(client, forecasts, "forecasts")

    def submit(case: PlanCase):
        return case.name, client.submit(plan_task, net_future, fc_future, case, solver,
                                        time.time(), worker_dir, keys[case.name],
                                        key=f"plan-{case.name}-{uuid.uuid4().hex[:8]}",
                                        pure=False, retries=retries)

    try:
        yield from stream_tasks(client, list(todo), submit)
    finally:
        net_future.release()
        fc_future.release()
