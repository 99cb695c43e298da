"""Dask clusters for sweeps: a local cluster of process workers, or an existing scheduler.

Pyomo is not thread-safe, so every worker is its own process with one task slot
(``threads_per_worker=1``); HiGHS gets ``cores // workers`` threads so that
workers x HiGHS threads never exceeds the cores of a machine.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import dask


def machine_cores() -> int:
    """Cores this process may use (CPU affinity aware)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def default_workers(n_tasks: int) -> int:
    """Local workers: one per core, but no more than there are scenarios to solve."""
    return max(1, min(machine_cores(), n_tasks))


def local_highs_threads(workers: int) -> int:
    """HiGHS threads per solve on a local cluster of `workers` process workers."""
    return max(1, machine_cores() // max(1, workers))


def cluster_highs_threads(client) -> int:
    """HiGHS threads per solve on an existing cluster.

    Per host: the host's cores divided by the task slots of the workers on it (so that
    workers x threads <= cores on every host); the smallest over all hosts. 1 if unknown.
    """
    workers = client.scheduler_info().get("workers", {})
    if not workers:
        return 1
    slots: Counter[str] = Counter()
    for info in workers.values():
        slots[info.get("host", "?")] += int(info.get("nthreads", 1))
    try:
        cores = client.run(machine_cores)
    except Exception:  # noqa: BLE001 - a worker that cannot answer: be conservative
        return 1
    per_host: dict[str, int] = {}
    for addr, n in cores.items():
        host = workers.get(addr, {}).get("host", "?")
        per_host[host] = min(per_host.get(host, n), n)
    return max(1, min(per_host.get(h, 1) // max(1, s) for h, s in slots.items()))


# Generous network timeouts: on a busy machine, starting worker processes that import Pyomo
# and HiGHS can take far longer than Dask's defaults (30 s) expect.
TIMEOUTS = {"distributed.comm.timeouts.connect": "180s", "distributed.comm.timeouts.tcp": "180s"}


@contextmanager
def dask_client(*, workers: int, scheduler: str | None, retries: int,
                timeout_s: float = 180.0) -> Iterator[object]:
    """A `distributed.Client`: to `scheduler` if given, else to a new local cluster.

    The local cluster has `workers` process workers (one task slot each, restarted by their
    nanny if they die); a task whose worker dies is rescheduled up to `retries` times before it
    is reported as failed (``distributed.scheduler.allowed-failures``). With `scheduler` that
    setting is the scheduler's own.
    """
    from distributed import Client, LocalCluster

    with dask.config.set(TIMEOUTS):
        if scheduler:
            client = Client(scheduler, timeout=timeout_s)
            try:
                yield client
            finally:
                client.close()
            return
        with dask.config.set({"distributed.scheduler.allowed-failures": retries}), \
                warnings.catch_warnings():
            # the scheduler's small HTTP server (health, metrics) falls back to a random port
            # when 8787 is taken, with a warning that means nothing to a netdesign user
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR,
                                   death_timeout=timeout_s)
            client = Client(cluster, timeout=timeout_s)
        try:
            yield client
        finally:
            try:
                client.close()
            finally:
                cluster.close()
