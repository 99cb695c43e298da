"""Benchmark of the staged plan (docs/benchmarks.md, "Staged investment plan").

    nice -n 10 .venv/bin/python scripts/bench_plan.py configs/hangzhou-plan.yaml --repeats 1

Side by side in one process, `--repeats` times (medians reported): the single-period solves
of the plan's periods (each period's scenario alone, `design_network`) and the plan as
`netdesign plan` solves it (`solve_plans`: the myopic plan, periods one after another, then
all periods in one MIP stopped as soon as its dual bound certifies the best known plan within
`solver.mip_rel_gap`), both to the config's `solver.mip_rel_gap`. `--mip-only` times the one
MIP alone instead (`solve_plan`, no known plan: what it takes HiGHS to reach the gap on its
own). Reports wall seconds, the plan's ratio to the sum of the single solves, the plan's
build + hand-off share (every model built and passed to HiGHS: the periods, the myopic steps'
stacks, the plan's stack), the plan's status, gap and bound, model sizes, the process's peak
RSS after the single solves and after the plan (memory of the three-period model beside one
period), and the load average at start and end (the machine may be shared). Forecasts come
from the cache (`forecast.cache`, computed when cold) or `--forecasts`. One JSON line per
repeat, then one with the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time

from netdesign.optimise import design_network
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.multiperiod import Commitment, solve_plan, solve_plans
from netdesign.pipeline import forecast_study, load_study
from netdesign.plan import period_scenarios, plan_costs
from netdesign.study import read_forecasts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _single(study, sc, solver) -> dict:
    t0 = time.perf_counter()
    d = design_network(study.network, sc, solver)
    r = d.report
    return {"period": sc.year, "wall_s": time.perf_counter() - t0, "status": r.status,
            "gap": r.mip_gap, "rows": r.rows, "cols": r.cols, "nnz": r.nnz,
            "build_s": r.build_s, "handoff_s": r.handoff_s, "solve_s": r.solve_s}


def _plan(study, scenarios, mip_only: bool) -> dict:
    cfg = study.cfg
    costs = plan_costs(cfg)
    commits = [Commitment(c.hub, c.by, c.modules) for c in cfg.planning.committed]
    budgets = {int(k): float(v) for k, v in cfg.planning.budget_cny.items()}
    t0 = time.perf_counter()
    datas = [build_model_data(study.network, s) for s in scenarios]
    data_s = time.perf_counter() - t0
    if mip_only:
        plan, my = solve_plan(datas, costs, cfg.solver, budgets=budgets,
                              commitments=commits), None
    else:
        plan, my = solve_plans(datas, costs, cfg.solver, budgets=budgets,
                               commitments=commits)
    wall = time.perf_counter() - t0
    r = plan.report
    # the plan's report carries the periods' build; the myopic steps' own stacks beside it
    build_s = data_s + r.build_s + (sum(s.build_s for s in my.steps) if my else 0.0)
    handoff_s = r.handoff_s + (my.report.handoff_s if my else 0.0)
    out = {"plan_wall_s": wall, "plan_status": r.status, "plan_termination": r.termination,
           "plan_gap": r.mip_gap, "plan_bound_cny": r.best_bound,
           "npv_total_cny": plan.npv["total"], "plan_build_s": build_s,
           "plan_handoff_s": handoff_s, "mip_solve_s": r.solve_s,
           "plan_rows": r.rows, "plan_cols": r.cols, "plan_integers": r.integers,
           "plan_nnz": r.nnz, "build_handoff_share": (build_s + handoff_s) / wall,
           "message": r.message}
    if my is not None:
        out.update(myopic_npv_cny=my.npv["total"], myopic_status=my.report.status,
                   myopic_solve_s=my.report.solve_s,
                   myopic_steps=[{"gap": s.mip_gap, "solve_s": s.solve_s} for s in my.steps])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("--forecasts", default=None, help="saved forecasts.csv")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--mip-only", action="store_true",
                    help="time the one MIP alone (solve_plan), not solve_plans")
    args = ap.parse_args()
    load0 = os.getloadavg()
    study = load_study(args.config)
    if args.forecasts:
        fc = read_forecasts(args.forecasts, study.network.corridors.index)
    else:
        fc = forecast_study(study, progress=False).forecasts
    scenarios = period_scenarios(study, fc)
    runs = []
    rss_single = rss_plan = 0.0
    for rep in range(args.repeats):
        singles = [_single(study, sc, study.cfg.solver) for sc in scenarios]
        if rep == 0:  # before any plan: later repeats' peaks include the plan's
            rss_single = peak_rss_mb()
        run = {"repeat": rep, "singles": singles,
               "single_sum_s": sum(s["wall_s"] for s in singles),
               **_plan(study, scenarios, args.mip_only), "loadavg": os.getloadavg()}
        rss_plan = max(rss_plan, peak_rss_mb())
        run["ratio"] = run["plan_wall_s"] / run["single_sum_s"]
        runs.append(run)
        print(json.dumps(run, default=str), flush=True)
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("single_sum_s", "plan_wall_s", "ratio", "build_handoff_share")}
    print(json.dumps({"median": med, "peak_rss_mb_after_singles": rss_single,
                      "peak_rss_mb_after_plan": rss_plan, "loadavg_start": load0,
                      "loadavg_end": os.getloadavg(), "mip_only": args.mip_only},
                     default=str), flush=True)


if __name__ == "__main__":
    main()
