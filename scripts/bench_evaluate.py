"""Benchmark of `netdesign evaluate` (docs/benchmarks.md, "Evaluating a fixed design").

1. Re-solve vs fresh: the same draws routed through the design (a) by one `Resolver` (model
   built once; per draw the demand rows change and HiGHS warm-starts, draws in order of
   network total as the evaluation submits them) and (b) from scratch (`fresh_solve`: model
   data, paths, model, compile, passModel, solve with presolve), side by side in one run,
   alternating; medians of the per-draw wall times and their ratio (target <= 0.3).
2. Parallel efficiency: `evaluate_design` of N draws on a local Dask cluster of 1 and of 2
   workers (one after the other, fresh output folders); efficiency = T1 / (2 T2) on the
   draw phase (cluster start excluded; the model build once per worker included).

    .venv/bin/python scripts/bench_evaluate.py RESULTS --design base_2035 --draws 12 --parallel 60

RESULTS: a folder of `netdesign run configs/hangzhou.yaml --out RESULTS`. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def resolve_vs_fresh(design, n: int, seed: int) -> dict:
    from netdesign.evaluate.design import draw_demands
    from netdesign.optimise.resolve import Resolver, fresh_solve

    D = draw_demands(design, n, seed).to_numpy(float)
    D = D[np.argsort(D.sum(axis=1))]
    solver = design.study.cfg.solver.model_copy(update={"threads": 1})
    net, sc = design.study.network, design.scenario
    t = time.perf_counter()
    r = Resolver(net, sc, design.capacity, solver, np.maximum(sc.demand.to_numpy(), D.max(0)))
    build_s = time.perf_counter() - t
    re, fr, diff = [], [], []
    for d in D:
        t = time.perf_counter()
        a = r.solve(d)
        re.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = fresh_solve(net, sc, design.capacity, solver, d)
        fr.append(time.perf_counter() - t)
        diff.append(abs(a.costs["total"] - b.costs["total"]) / abs(b.costs["total"]))
    return {"draws": n, "build_once_s": round(build_s, 3),
            "resolve_median_s": round(statistics.median(re), 3),
            "fresh_median_s": round(statistics.median(fr), 3),
            "ratio_of_medians": round(statistics.median(re) / statistics.median(fr), 3),
            "warm_runs": r.warm_runs, "cold_runs": r.cold_runs,
            "max_rel_cost_difference": float(max(diff)),
            "resolve_s": [round(x, 2) for x in re], "fresh_s": [round(x, 2) for x in fr]}


def parallel(results: Path, design_name: str, design, n: int, seed: int) -> dict:
    from netdesign.evaluate.runner import evaluate_design

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in (1, 2):
            o = evaluate_design(results, Path(tmp) / f"w{w}", n, seed=seed,
                                scenario=design_name, workers=w, design=design)
            cpu = sum(t.get("task_cpu_s", 0.0) for t in o.timings.values())
            out[w] = (o.phases["solve_s"], cpu, os.getloadavg()[0])
    (t1, c1, l1), (t2, c2, l2) = out[1], out[2]
    return {"draws": n, "t1_s": round(t1, 1), "t2_s": round(t2, 1),
            "efficiency": round(t1 / (2 * t2), 3),
            "task_cpu_s_1": round(c1, 1), "task_cpu_s_2": round(c2, 1),
            # the share of a worker's wall time it had the CPU, per run (load, not Dask)
            "cpu_per_worker_wall_1": round(c1 / t1, 3), "cpu_per_worker_wall_2":
            round(c2 / (2 * t2), 3), "load_1": l1, "load_2": l2}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("results", type=Path)
    ap.add_argument("--design", default="base_2035")
    ap.add_argument("--draws", type=int, default=12)
    ap.add_argument("--parallel", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    from netdesign.evaluate.design import load_design

    design = load_design(a.results, a.design)
    rec = {"design": a.design, "load_before": os.getloadavg(), "cores": os.cpu_count()}
    if a.draws:
        rec["resolve_vs_fresh"] = resolve_vs_fresh(design, a.draws, a.seed)
    if a.parallel:
        rec["parallel"] = parallel(a.results, a.design, design, a.parallel, a.seed)
    rec["load_after"] = os.getloadavg()
    print(json.dumps(rec))


if __name__ == "__main__":
    main()
