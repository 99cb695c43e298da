"""What runs on a worker: route one demand draw through the fixed design.

The `Resolver` (model built, compiled and handed to HiGHS once) is kept per worker process in
`_RESOLVERS`, keyed by the evaluation's context key, so every draw after a worker's first
only changes the demand rows and re-solves (`optimise.resolve`). Any exception becomes a
failed-draw dataset with status ``error``: one bad draw never stops the evaluation.

`evaluate_batch` is the Dask task: several draws (neighbours in network total, so each warm
start begins near the last draw) solved one after another, each written by the worker to its
own file as soon as it is solved (`sweep.store.write_scenario`, atomic, with its resume key)
when the worker sees the output folder; the driver then only logs the records.
"""

from __future__ import annotations

import dataclasses
import os
import time
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.optimise.resolve import FixedCapacity, Resolver
from netdesign.scenario.scenario import Scenario
from netdesign.sweep.store import StoredScenario, write_scenario


@dataclass
class EvalContext:
    """Everything a worker needs besides the draw: shipped to the cluster once.

    key: identifies the design + solver (the worker's cached model is reused only for it);
    reference_demand: parcels/day by corridor, ≥ every draw (which corridors get a row)."""

    key: str
    network: Network
    scenario: Scenario
    capacity: FixedCapacity
    solver: SolverConfig
    reference_demand: np.ndarray


_RESOLVERS: dict[str, Resolver] = {}


def resolver_for(ctx: EvalContext) -> tuple[Resolver, bool]:
    """This process's model for `ctx` (built on first use); (resolver, was it built now)."""
    r = _RESOLVERS.get(ctx.key)
    if r is not None:
        return r, False
    _RESOLVERS.clear()  # one design at a time per worker
    r = Resolver(ctx.network, ctx.scenario, ctx.capacity, ctx.solver, ctx.reference_demand)
    _RESOLVERS[ctx.key] = r
    return r, True


def draw_scenario(ctx: EvalContext, name: str, demand: np.ndarray) -> Scenario:
    """The design's scenario with this draw's name and demand (parcels/day)."""
    return dataclasses.replace(ctx.scenario, name=name, demand=pd.Series(
        np.asarray(demand, float), index=ctx.network.corridors.index))


def evaluate_draw(ctx: EvalContext, name: str, demand: np.ndarray
                  ) -> tuple[xr.Dataset, dict[str, Any]]:
    """Route `demand` through the design; (the draw's results dataset, timings)."""
    from netdesign.results import failed_scenario_dataset
    from netdesign.results.dataset import design_to_dataset

    t0, c0 = time.perf_counter(), time.process_time()
    timings: dict[str, Any] = {"pid": os.getpid()}
    sc = draw_scenario(ctx, name, demand)
    try:
        r, built = resolver_for(ctx)
        timings["built_model"] = built
        timings["build_s"] = r.build_s if built else 0.0
        design = r.solve(demand)
        timings["solve_s"] = design.report.solve_s
        ds = design_to_dataset(ctx.network, sc, design)
    except Exception as exc:  # noqa: BLE001 - isolate this draw
        ds = failed_scenario_dataset(ctx.network, sc, "error", f"{type(exc).__name__}: {exc}"
                                     f" | {traceback.format_exc(limit=3)}")
    timings["task_s"] = time.perf_counter() - t0
    timings["task_cpu_s"] = time.process_time() - c0
    return ds, timings


def evaluate_batch(ctx: EvalContext, jobs: list[tuple[str, np.ndarray, str]],
                   out_dir: str | None = None
                   ) -> tuple[list[tuple[str, xr.Dataset | StoredScenario, dict[str, Any]]],
                              dict[str, Any]]:
    """Route each (name, demand, resume key) of `jobs` in turn; ([per draw (name, result,
    timings)], the batch's timings). With `out_dir` each draw is written there at once
    (``scenarios/<name>.nc``, atomically) and its result is the `StoredScenario` record, else
    the dataset. Per-draw timings add ``write_s`` (worker-side write) and ``batch_size``."""
    from pathlib import Path

    t0 = time.perf_counter()
    out = []
    for name, demand, key in jobs:
        ds, timings = evaluate_draw(ctx, name, demand)
        timings["batch_size"] = len(jobs)
        if out_dir is not None:
            t = time.perf_counter()
            rec = write_scenario(Path(out_dir), name, ds, key, timings)
            timings["write_s"] = time.perf_counter() - t
            out.append((name, rec, timings))
        else:
            out.append((name, ds, timings))
    return out, {"batch_s": time.perf_counter() - t0, "draws": len(jobs)}
