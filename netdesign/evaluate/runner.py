"""`evaluate_design(RESULTS, OUT, n)`: a fixed design under N joint demand draws, on Dask.

Layout of ``OUT`` (the sweep's, `sweep.store`, with draws for scenarios)::

    OUT/scenarios/draw_0007.nc   one finished draw (written atomically, with its resume key)
    OUT/sweep-log.jsonl          one JSON line per event
    OUT/.sweep/lock              one evaluation per folder at a time
    OUT/results.nc               every draw (dimension `draw`) + `draw_summary`
    OUT/summary.csv              the distribution: metric × (mean, p50, p95, worst)

Resume: a draw whose file exists with the same key (design, solver, the draw's demand) is
not recomputed, so a run killed with SIGKILL continues where it stopped. Failure isolation:
a draw whose solve raises, or whose worker dies `retries` times, is recorded as failed
(status ``error`` / ``killed``) and retried on the next run; the other draws are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.errors import InputError, LockedError, Problem, raise_if_errors
from netdesign.evaluate.design import SolvedDesign, draw_demands, load_design
from netdesign.evaluate.summary import distribution_summary, draws_dataset
from netdesign.evaluate.tasks import EvalContext, evaluate_draw
from netdesign.sweep import store
from netdesign.sweep.runner import SweepOutcome

DEFAULT_SEED = 20261206


@dataclass
class EvaluationOutcome(SweepOutcome):
    """What an evaluation did: a sweep's outcome over draws (`sweep.runner.SweepOutcome`,
    whose fields it shares: the combined dataset and summary, draws computed now, reused from
    disk and failed, per-draw timings, phase wall times (s), workers; `exit_code` 4 when some
    draw failed)."""

    kind: str = "draws"


def draw_name(i: int) -> str:
    return f"draw_{i:04d}"


def check_draws(n: Any) -> list[Problem]:
    """N must be an integer ≥ 1."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        return [Problem("command line", "--scenarios", "N", n, "an integer >= 1 (draws)")]
    return []


def _context_key(design: SolvedDesign, solver) -> str:
    cap = design.capacity
    blob = json.dumps({"design": str(design.results_dir.resolve()),
                       "scenario": design.scenario.name,
                       "design_day": [design.scenario.peak_factor,
                                      design.scenario.max_utilisation],
                       "demand": design.scenario.demand.round(6).tolist(),
                       "capacity": [sorted(cap.link_modules.items()),
                                    sorted(cap.hub_modules.items()),
                                    sorted(cap.hub_open.items())],
                       "solver": solver.model_dump(mode="json")}, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _draw_key(context_key: str, demand: np.ndarray) -> str:
    h = hashlib.sha256(context_key.encode())
    h.update(np.ascontiguousarray(np.round(demand, 6)).tobytes())
    return h.hexdigest()[:16]


def evaluate_design(results_dir: str | Path, out_dir: str | Path, n: int, *,
                    seed: int = DEFAULT_SEED, scenario: str | None = None,
                    workers: int | None = None, scheduler: str | None = None,
                    demands: pd.DataFrame | None = None,
                    design: SolvedDesign | None = None,
                    capacity: str = "physical") -> EvaluationOutcome:
    """Evaluate the design of `scenario` in `results_dir` under `n` demand draws.

    workers: local process workers (default: one per core, at most one per draw); 0 routes
    every draw in this process without Dask. scheduler: address of an existing Dask scheduler.
    demands: draw × corridor parcels/day to use instead of drawing (tests: draws equal to the
    design's own demand). capacity: "physical" (an average day using all the capacity) or
    "planned" (the design's peak-day rule; `design.CAPACITY_MODES`).
    Raises `InputError` (nothing written) for bad input, `LockedError`
    when another evaluation writes to `out_dir`.
    """
    from filelock import FileLock, Timeout

    from netdesign.results.io import check_out_dir

    raise_if_errors(check_draws(n) + check_out_dir(out_dir), "cannot evaluate")
    design = design or load_design(results_dir, scenario, capacity=capacity)
    if demands is None:
        demands = draw_demands(design, int(n), seed)
    elif len(demands) != n:
        raise InputError([Problem("demands", "rows", "draw", len(demands), f"{n} draws")],
                         "cannot evaluate")
    out_dir = Path(out_dir)
    lock_path = out_dir / store.STATE_DIR / "lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockedError(f"another evaluation is writing to {out_dir}") from None
    try:
        return _run_locked(design, demands, out_dir, workers, scheduler)
    finally:
        lock.release()


def _run_locked(design: SolvedDesign, demands: pd.DataFrame, out_dir: Path,
                workers: int | None, scheduler: str | None) -> EvaluationOutcome:
    from netdesign.results.io import write_frame_atomic

    store.remove_stale_temporaries(out_dir)
    cfg = design.study.cfg
    solver = cfg.solver.model_copy(update={"threads": 1})
    net = design.study.network
    ctx_key = _context_key(design, solver)
    D = demands.reindex(columns=net.corridors.index).fillna(0.0).to_numpy(float)
    names = [draw_name(i) for i in range(len(D))]
    keys = {nm: _draw_key(ctx_key, D[i]) for i, nm in enumerate(names)}
    reused = [nm for nm in names if store.reusable(store.read_stored(out_dir, nm), keys[nm])]
    # in order of network total: each worker's model then warm-starts from a nearby draw
    todo = [i for i in np.argsort(D.sum(axis=1), kind="stable") if names[i] not in set(reused)]
    run_log = store.RunLog(out_dir, uuid.uuid4().hex[:8])
    run_log.write("start", kind="evaluate", draws=len(names), reused=len(reused),
                  todo=len(todo), scheduler=scheduler, workers=workers)
    outcome = EvaluationOutcome(out_dir, xr.Dataset(), pd.DataFrame(), reused=reused)
    ref = np.maximum(design.scenario.demand.to_numpy(float), D.max(axis=0))
    slim = dataclasses.replace(net, history=net.history.iloc[:0])
    ctx = EvalContext(ctx_key, slim, design.scenario, design.capacity, solver, ref)
    t0 = time.perf_counter()
    with ExitStack() as stack:
        if todo and not (scheduler is None and workers == 0):
            from netdesign.sweep.cluster import dask_client, default_workers
            from netdesign.sweep.execute import shared_with_workers
            from netdesign.sweep.tasks import warm_up

            retries = cfg.sweep.retries if cfg.sweep else 2
            client = stack.enter_context(dask_client(
                workers=workers or default_workers(len(todo)), scheduler=scheduler,
                retries=retries))
            outcome.workers = len(client.nthreads())
            client.run(warm_up)  # imports and first netCDF write, before the clock of draws
            worker_dir = str(out_dir.resolve()) if shared_with_workers(client, out_dir) \
                else None
            outcome.phases["cluster_start_s"] = time.perf_counter() - t0
            results = _on_dask(client, ctx, [(names[i], D[i], keys[names[i]]) for i in todo],
                               retries, worker_dir)
        else:
            results = ((names[i], *evaluate_draw(ctx, names[i], D[i])) for i in todo)
        t1 = time.perf_counter()
        for name, ds, timings in results:
            stored = store.read_stored(out_dir, name) \
                if isinstance(ds, BaseException) else None
            if isinstance(ds, store.StoredScenario):
                rec = ds  # its worker wrote the file
            elif store.reusable(stored, keys[name]):
                rec = stored  # written before its batch's worker was lost
            else:
                if isinstance(ds, BaseException):
                    ds = _failed(ctx, name, D[names.index(name)], ds)
                rec = store.write_scenario(out_dir, name, ds, keys[name], timings)
            outcome.computed.append(name)
            outcome.timings[name] = timings
            run_log.write("failed" if rec.failed else "computed", scenario=name,
                          key=keys[name], status=rec.status, timings=timings)
        outcome.phases["solve_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    parts = [store.load_scenario(out_dir, nm) for nm in names]
    ds = draws_dataset(parts, design)
    summary = distribution_summary(ds)
    ds["draw_summary"] = (("metric", "statistic"), summary.to_numpy(float))
    ds = ds.assign_coords(metric=list(summary.index), statistic=list(summary.columns))
    ds = _annotate(ds, design)
    write_results_nc(ds, out_dir)
    write_frame_atomic(summary.reset_index(), out_dir / "summary.csv")
    outcome.phases["combine_s"] = time.perf_counter() - t2
    outcome.results, outcome.summary = ds, summary
    st = ds["status"].values.astype(str)
    outcome.failed = [nm for nm, s, c in zip(names, st, ds["total_cost"].values, strict=True)
                      if store.is_failure(s, float(c))]
    run_log.write("done", computed=len(outcome.computed), reused=len(reused),
                  failed=outcome.failed, phases=outcome.phases)
    return outcome


def write_results_nc(ds: xr.Dataset, out_dir: Path) -> Path:
    """results.nc, atomically."""
    import dask

    from netdesign.results.io import write_dataset_atomic

    with dask.config.set(scheduler="synchronous"):
        write_dataset_atomic(ds, Path(out_dir) / "results.nc")
    return Path(out_dir) / "results.nc"


def _annotate(ds: xr.Dataset, design: SolvedDesign) -> xr.Dataset:
    from netdesign.results import schema
    from netdesign.results.provenance import provenance_attrs

    ds.attrs.update(provenance_attrs(design.study))
    ds.attrs.update(evaluated_design=design.scenario.name,
                    evaluated_results=str(design.results_dir),
                    draw_correlation=float(design.correlation))
    return schema.annotate(ds)


def _failed(ctx: EvalContext, name: str, demand: np.ndarray, exc: BaseException) -> xr.Dataset:
    from distributed import KilledWorker

    from netdesign.evaluate.tasks import draw_scenario
    from netdesign.results import failed_scenario_dataset

    status = "killed" if isinstance(exc, KilledWorker) else "error"
    return failed_scenario_dataset(ctx.network, draw_scenario(ctx, name, demand), status,
                                   f"{type(exc).__name__}: {exc}")


MAX_BATCH = 16
"""Draws per task at most (a lost worker loses at most this many draws' work)."""


def batch_sizes(n: int, slots: int, *, per_slot: int = 4, largest: int = MAX_BATCH
                ) -> list[int]:
    """Guided self-scheduling: each batch takes ceil(remaining / (per_slot × slots)) draws
    (1 … `largest`), so the first batches are large (scheduling amortised) and the last ones
    single draws (the workers finish together).

    E.g. n = 20, slots = 2: 3, 3, 2, 2, 2, then eight 1s (ceil(20/8) = 3, ceil(17/8) = 3,
    ceil(14/8) = ceil(12/8) = ceil(10/8) = 2, then 1 from 8 left on)."""
    out, left = [], int(n)
    while left > 0:
        b = max(1, min(largest, -(-left // (per_slot * max(1, slots)))))
        out.append(b)
        left -= b
    return out


def _on_dask(client, ctx: EvalContext, jobs: list[tuple[str, np.ndarray, str]], retries: int,
             worker_dir: str | None) -> Iterator[tuple[str, Any, dict]]:
    """Submit the draws in batches (`batch_sizes`, consecutive draws in the submitted order:
    neighbours in network total) with the context shipped once and copied to every worker, as
    the sweep ships its network; yield (name, dataset | record | exception, timings) per draw.
    Two batches per task slot are in flight, so that a worker never waits for its next one."""
    from netdesign.evaluate.tasks import evaluate_batch
    from netdesign.sweep.execute import share_with_workers, stream_tasks

    ctx_future = share_with_workers(client, ctx, "evalctx")
    slots = max(1, sum(client.nthreads().values()))
    batches, o = [], 0
    for b in batch_sizes(len(jobs), slots):
        batches.append(jobs[o:o + b])
        o += b

    def submit(batch):
        first = batch[0][0]
        return first, client.submit(evaluate_batch, ctx_future, batch, worker_dir,
                                    key=f"draws-{first}-{uuid.uuid4().hex[:8]}", pure=False,
                                    retries=retries)

    by_first = {b[0][0]: b for b in batches}

    def unbatch(it):
        # stream_tasks yields (first name, per-draw list | exception, the batch's timings)
        for first, result, _ in it:
            if isinstance(result, BaseException):
                for name, _, _ in by_first[first]:
                    yield name, result, {}
            else:
                yield from result

    try:
        yield from unbatch(stream_tasks(client, batches, submit, per_slot=2))
    finally:
        ctx_future.release()
