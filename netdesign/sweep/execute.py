"""Where scenarios are solved: in this process, or on a Dask cluster (local or external).

Both executors yield ``(scenario name, result, timings)`` as scenarios finish; the result is
the scenario's dataset, the record of the file its worker already wrote, or the exception that
ended its task (a lost worker, lost input data).
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from netdesign.config.schema import StudyConfig
from netdesign.sweep import store


def start_client(stack: ExitStack, cfg: StudyConfig, workers: int | None,
                 scheduler: str | None, n_todo: int):
    """(client or None, workers, task slots, HiGHS threads per solve)."""
    from netdesign.sweep.cluster import (
        cluster_highs_threads,
        dask_client,
        default_workers,
        local_highs_threads,
    )
    from netdesign.sweep.tasks import warm_up

    if (scheduler is None and workers == 0) or n_todo == 0:  # nothing needs a cluster
        return None, 0, 1, local_highs_threads(1)
    retries = cfg.sweep.retries if cfg.sweep else 2
    client = stack.enter_context(dask_client(
        workers=workers or default_workers(n_todo), scheduler=scheduler, retries=retries))
    nthreads = client.nthreads()
    threads = (cluster_highs_threads(client) if scheduler
               else local_highs_threads(len(nthreads)))
    if n_todo:
        client.run(warm_up)
    return client, len(nthreads), max(1, sum(nthreads.values())), threads


def run_in_process(jobs, network, solver) -> Iterator[tuple[str, Any, dict]]:
    from netdesign.sweep.tasks import solve_task

    for name, scenario, _ in jobs:
        ds, timings = solve_task(network, scenario, solver, time.time())
        yield name, ds, timings


def run_on_dask(client, jobs, network, solver, retries: int, keys: dict[str, str],
                 worker_out_dir: str | None) -> Iterator[tuple[str, Any, dict]]:
    """Solve `jobs` on the cluster, yielding (name, dataset | record | exception, timings).

    At most one scenario per task slot is in flight (topped up as scenarios finish, largest
    demand first): a worker that dies takes only the scenario it was solving with it, the
    slots are balanced dynamically, and pending scenarios stay on the driver.
    """
    from netdesign.sweep.tasks import solve_task

    # The network goes to the cluster once, without its history (solving does not need it).
    slim = dataclasses.replace(network, history=network.history.iloc[:0])
    net_future = share_with_workers(client, slim, "network")

    def submit(job):
        name, scenario, _ = job
        return name, client.submit(solve_task, net_future, scenario, solver, time.time(),
                                   worker_out_dir, keys[name],
                                   key=f"solve-{name}-{uuid.uuid4().hex[:8]}", pure=False,
                                   retries=retries)

    try:
        yield from stream_tasks(client, sorted(jobs, key=lambda job: -job[2]), submit)
    finally:
        net_future.release()


def share_with_workers(client, value: Any, prefix: str):
    """`value` on the cluster once, as a task that returns it (not `scatter`): if a worker
    holding it dies, the scheduler can recompute it instead of cancelling every task that
    needs it. It is then copied to every worker, so that tasks are placed by load, not by where
    the data lives. Returns the future (release it when done)."""
    from distributed import wait

    from netdesign.sweep.tasks import identity

    fut = client.submit(identity, value, key=f"{prefix}-{uuid.uuid4().hex[:8]}", pure=False)
    wait([fut])
    client.replicate([fut])
    return fut


def stream_tasks(client, jobs: list, submit: Callable[[Any], tuple[str, Any]], *,
                 per_slot: int = 1) -> Iterator[tuple[str, Any, dict]]:
    """Run `jobs` on the cluster with at most `per_slot` tasks per worker thread in flight,
    topped up as tasks finish; yield (name, result | exception, timings) in finishing order.

    submit(job) -> (name, future); a task returns (result, timings). A task that failed or was
    lost yields its exception (or a RuntimeError saying it was lost) with empty timings.
    """
    from distributed import as_completed

    pending = list(jobs)
    names: dict[str, str] = {}
    in_flight = as_completed()

    def top_up() -> None:
        slots = max(1, sum(client.nthreads().values()))
        while pending and in_flight.count() < per_slot * slots:
            name, fut = submit(pending.pop(0))
            names[fut.key] = name
            in_flight.add(fut)

    top_up()
    try:
        for fut in in_flight:
            name = names[fut.key]
            if fut.status == "finished":
                result, timings = fut.result()
            else:
                exc = fut.exception() if fut.status == "error" else None
                result = exc or RuntimeError(f"task {fut.status} (its worker or its input data "
                                             "was lost)")
                timings = {}
            fut.release()
            top_up()
            yield name, result, timings
    finally:
        in_flight.clear()


def shared_with_workers(client, out_dir: Path) -> bool:
    """True when every worker sees `out_dir` (same file system): a probe file test."""
    probe = out_dir.resolve() / store.STATE_DIR / f"probe-{uuid.uuid4().hex[:8]}"
    probe.write_text("probe", encoding="utf-8")
    try:
        seen = client.run(lambda p=str(probe): __import__("os").path.isfile(p))
        return bool(seen) and all(seen.values())
    except Exception:  # noqa: BLE001 - cannot tell: let the driver write
        return False
    finally:
        probe.unlink(missing_ok=True)
