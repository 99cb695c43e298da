"""Benchmark of `netdesign evaluate` (docs/benchmarks.md, "Evaluating a fixed design").

1. Re-solve vs fresh: the same draws routed through the design (a) by one `Resolver` (model
   built once; per draw the demand rows change and HiGHS warm-starts from the last basis,
   draws in order of network total as the evaluation submits them) and (b) from scratch
   (`fresh_solve`: model data, paths, model, compile, passModel, solve with presolve), side
   by side in one run, alternating; medians of the per-draw wall times and their ratio
   (target <= 0.3).
2. Parallel efficiency: `evaluate_design` of the same N draws on a local Dask cluster of 1
   and of 2 process workers, `--reps` times each, alternating which goes first, fresh output
   folders; efficiency = median T1 / (2 median T2) on the draw phase (cluster start and
   worker warm-up excluded; the model build once per worker included). The load average is
   printed before every run: the figure means something only when it is below ~0.5 per core
   before the runs.

Self-contained: RESULTS is created with `netdesign run CONFIG` when it holds no results.nc
(the forecasts come from the shared cache when they were computed before).

    .venv/bin/python scripts/bench_evaluate.py out/hz-bench --config configs/hangzhou.yaml \\
        --design base_2035 --draws 12 --parallel 200 --reps 3

Prints a human-readable line per run to stderr and one JSON line to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def resolve_vs_fresh(design, n: int, seed: int) -> dict:
    from netdesign.evaluate.design import draw_demands
    from netdesign.optimise.resolve import Resolver, fresh_solve

    D = draw_demands(design, n, seed).to_numpy(float)
    D = D[np.argsort(D.sum(axis=1))]
    solver = design.study.cfg.solver.model_copy(update={"threads": 1})
    net, sc = design.study.network, design.scenario
    load = _load()
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
    out = {"draws": n, "build_once_s": round(build_s, 3), "is_lp": not r.is_mip,
           "resolve_median_s": round(statistics.median(re), 3),
           "fresh_median_s": round(statistics.median(fr), 3),
           "ratio_of_medians": round(statistics.median(re) / statistics.median(fr), 3),
           "warm_runs": r.warm_runs, "cold_runs": r.cold_runs,
           "max_rel_cost_difference": float(max(diff)), "load_before": load,
           "load_after": _load(),
           "resolve_s": [round(x, 3) for x in re], "fresh_s": [round(x, 3) for x in fr]}
    _say(f"re-solve vs fresh, {n} draws: median {out['resolve_median_s']} s vs "
         f"{out['fresh_median_s']} s, ratio {out['ratio_of_medians']} "
         f"(warm {r.warm_runs}, cold {r.cold_runs}; load {load})")
    return out


def parallel(results: Path, design_name: str, design, n: int, seed: int, reps: int) -> dict:
    from netdesign.evaluate.design import draw_demands
    from netdesign.evaluate.runner import evaluate_design

    demands = draw_demands(design, n, seed)
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for rep in range(reps):
        for w in ((1, 2) if rep % 2 == 0 else (2, 1)):
            load = _load()
            with tempfile.TemporaryDirectory() as tmp:
                o = evaluate_design(results, Path(tmp) / f"w{w}", n, seed=seed,
                                    scenario=design_name, workers=w, design=design,
                                    demands=demands)
            t = o.phases["solve_s"]
            cpu = sum(x.get("task_cpu_s", 0.0) for x in o.timings.values())
            warm = sum(1 for x in o.timings.values() if not x.get("built_model", True))
            rec = {"workers": w, "draw_phase_s": round(t, 2), "task_cpu_s": round(cpu, 2),
                   "cpu_per_worker_wall": round(cpu / (w * t), 3),
                   "models_built": n - warm, "failed": len(o.failed),
                   "cluster_start_s": round(o.phases.get("cluster_start_s", 0.0), 2),
                   "combine_s": round(o.phases.get("combine_s", 0.0), 2),
                   "load_before": load, "load_after": _load()}
            runs[w].append(rec)
            _say(f"rep {rep + 1}/{reps}, {w} worker(s): draw phase {t:.1f} s, task CPU "
                 f"{cpu:.1f} s, {rec['models_built']} model build(s), load before {load}")
    t1 = statistics.median(r["draw_phase_s"] for r in runs[1])
    t2 = statistics.median(r["draw_phase_s"] for r in runs[2])
    c1 = statistics.median(r["task_cpu_s"] for r in runs[1])
    c2 = statistics.median(r["task_cpu_s"] for r in runs[2])
    out = {"draws": n, "reps": reps, "t1_median_s": t1, "t2_median_s": t2,
           "efficiency": round(t1 / (2 * t2), 3),
           # what the work itself allows: the CPU of the draws alone and on two workers
           "cpu_ceiling": round(c1 / c2, 3), "runs": runs}
    _say(f"parallel efficiency, {n} draws: T1 {t1:.1f} s, T2 {t2:.1f} s -> "
         f"{out['efficiency']} (CPU ceiling {out['cpu_ceiling']})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("results", type=Path)
    ap.add_argument("--config", type=Path, default=Path("configs/hangzhou.yaml"),
                    help="study to run into RESULTS when it holds no results.nc")
    ap.add_argument("--design", default="base_2035")
    ap.add_argument("--draws", type=int, default=12)
    ap.add_argument("--parallel", type=int, default=200)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    from netdesign.evaluate.design import load_design

    rec = {"design": a.design, "cores": os.cpu_count(), "load_start": _load()}
    if not (a.results / "results.nc").is_file():
        from netdesign.pipeline import run_study

        _say(f"no {a.results / 'results.nc'}: netdesign run {a.config} --out {a.results}")
        t = time.perf_counter()
        run_study(a.config, a.results, progress=False)
        rec["study_run_s"] = round(time.perf_counter() - t, 1)
    design = load_design(a.results, a.design)
    rec["design_own_cost_cny_per_day"] = round(sum(design.cost.values()))
    if a.draws:
        rec["resolve_vs_fresh"] = resolve_vs_fresh(design, a.draws, a.seed)
    if a.parallel:
        rec["parallel"] = parallel(a.results, a.design, design, a.parallel, a.seed, a.reps)
    rec["load_end"] = _load()
    print(json.dumps(rec))


if __name__ == "__main__":
    main()
