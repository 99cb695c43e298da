"""Fan-out of corridor chunks over Dask process workers, with a rich progress bar.

Series are batched into chunks (tens of corridors per task) so that scheduling overhead stays
small next to the fitting. Workers are single-threaded processes with single-threaded BLAS
(OMP/OPENBLAS/MKL threads = 1), one per core by default; ``workers=1`` runs serially in this
process (no cluster). An existing ``distributed.Client`` can be passed instead.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                     "MKL_NUM_THREADS": "1"}


def default_workers() -> int:
    """One worker per core."""
    return max(1, os.cpu_count() or 1)


def chunked(items: Sequence[Any], size: int) -> list[list[Any]]:
    """Split `items` into lists of at most `size`."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def chunk_size(n_items: int, workers: int, target: int = 64) -> int:
    """Aim for `target` per chunk, but at least ~4 chunks per worker for load balance."""
    per = max(1, -(-n_items // max(1, 4 * workers)))
    return max(1, min(target, per))


def _start_client(n_workers: int) -> Any:
    from distributed import Client, LocalCluster

    with warnings.catch_warnings():
        # the scheduler's HTTP server falls back to a random port when 8787 is taken, with a
        # warning that means nothing to a netdesign user
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, env=SINGLE_THREAD_ENV, silence_logs=40)
    return Client(cluster)


def _stop_client(client: Any) -> None:
    cluster = client.cluster
    client.close()
    cluster.close()


class _LazyClient:
    """A Dask client whose local cluster starts on first use, so that a run whose forecast and
    backtest both come from the cache starts no cluster (a warm `make run` saves its start)."""

    def __init__(self, n_workers: int):
        self._n_workers = n_workers
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = _start_client(self._n_workers)
        return getattr(self._client, name)

    @property
    def started(self) -> bool:
        return self._client is not None

    def stop(self) -> None:
        if self._client is not None:
            _stop_client(self._client)
            self._client = None


@contextmanager
def local_client(workers: int | None) -> Iterator[Any]:
    """A Dask client on a local cluster of single-threaded process workers, shared by
    several calls (e.g. a forecast and its backtest), started when first used; None when
    `workers` is 1."""
    n = workers or default_workers()
    if n <= 1:
        yield None
        return
    client = _LazyClient(n)
    try:
        yield client
    finally:
        client.stop()


def _progress(enabled: bool, total: int, description: str):
    if not enabled:
        return nullcontext(None)
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), transient=True)


def _call_single_threaded(func: Callable[[Any], Any], chunk: Any) -> Any:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return func(chunk)


def map_chunks(func: Callable[[Any], Any], chunks: list[Any], *, workers: int | None = None,
               client: Any = None, progress: bool = True, description: str = "forecasting",
               weights: list[int] | None = None) -> list[Any]:
    """Apply `func` to every chunk (results in input order). `weights`: items per chunk, for
    the progress bar (defaults to 1 per chunk)."""
    weights = weights or [1] * len(chunks)
    total = sum(weights)
    results: list[Any] = [None] * len(chunks)
    n_workers = workers or default_workers()
    with _progress(progress, total, description) as bar:
        task = bar.add_task(description, total=total) if bar is not None else None
        if client is None and (n_workers <= 1 or len(chunks) <= 1):
            for i, chunk in enumerate(chunks):
                results[i] = _call_single_threaded(func, chunk)
                if bar is not None:
                    bar.advance(task, weights[i])
            return results
        from distributed import as_completed

        owned = None
        if client is None:
            client = owned = _start_client(n_workers)
        try:
            futures = client.map(_call_single_threaded, [func] * len(chunks), chunks,
                                 pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            for fut in as_completed(futures):
                i = index[fut.key]
                results[i] = fut.result()
                if bar is not None:
                    bar.advance(task, weights[i])
        finally:
            if owned is not None:
                _stop_client(owned)
    return results
