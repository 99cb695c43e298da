"""Benchmark of the staged plan (docs/benchmarks.md, "Staged investment plan").

    nice -n 10 .venv/bin/python scripts/bench_plan.py configs/hangzhou-plan.yaml --repeats 2

Side by side in one process, `--repeats` times (medians reported): the three single-period
solves of the plan's periods (each period's scenario alone, `design_network`) and the plan
(all periods in one MIP, `solve_plan`), both to the config's `solver.mip_rel_gap`. Reports
wall seconds, the plan's ratio to the sum of the single solves, the plan's build + hand-off
share, model sizes, and the process's peak RSS after the single solves and after the plan
(memory of the three-period model beside one period). Forecasts come from the cache
(`forecast.cache`) or `--forecasts`.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

from netdesign.optimise import design_network
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.multiperiod import Commitment, solve_plan
from netdesign.pipeline import forecast_study, load_study
from netdesign.plan import period_scenarios, plan_costs
from netdesign.study import read_forecasts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("--forecasts", default=None, help="saved forecasts.csv")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    study = load_study(args.config)
    if args.forecasts:
        fc = read_forecasts(args.forecasts, study.network.corridors.index)
    else:
        fc = forecast_study(study, progress=False).forecasts
    scenarios = period_scenarios(study, fc)
    cfg = study.cfg
    costs = plan_costs(cfg)
    commits = [Commitment(c.hub, c.by, c.modules) for c in cfg.planning.committed]
    budgets = {int(k): float(v) for k, v in cfg.planning.budget_cny.items()}
    runs = []
    rss_single = rss_plan = 0.0
    for rep in range(args.repeats):
        singles = []
        for sc in scenarios:
            t0 = time.perf_counter()
            d = design_network(study.network, sc, cfg.solver)
            singles.append({"period": sc.year, "wall_s": time.perf_counter() - t0,
                            "status": d.report.status, "gap": d.report.mip_gap,
                            "rows": d.report.rows, "cols": d.report.cols,
                            "build_s": d.report.build_s, "handoff_s": d.report.handoff_s})
        rss_single = max(rss_single, peak_rss_mb())
        t0 = time.perf_counter()
        datas = [build_model_data(study.network, s) for s in scenarios]
        plan = solve_plan(datas, costs, cfg.solver, budgets=budgets, commitments=commits)
        wall = time.perf_counter() - t0
        rss_plan = max(rss_plan, peak_rss_mb())
        r = plan.report
        run = {"repeat": rep, "singles": singles,
               "single_sum_s": sum(s["wall_s"] for s in singles),
               "plan_wall_s": wall, "plan_status": r.status, "plan_gap": r.mip_gap,
               "plan_build_s": r.build_s, "plan_handoff_s": r.handoff_s,
               "plan_solve_s": r.solve_s, "plan_rows": r.rows, "plan_cols": r.cols,
               "plan_integers": r.integers, "plan_nnz": r.nnz,
               "npv_total_cny": plan.npv["total"]}
        run["ratio"] = wall / run["single_sum_s"]
        run["build_handoff_share"] = (r.build_s + r.handoff_s) / wall
        runs.append(run)
        print(json.dumps(run, default=str), flush=True)
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("single_sum_s", "plan_wall_s", "ratio", "build_handoff_share")}
    print(json.dumps({"median": med, "peak_rss_mb_after_singles": rss_single,
                      "peak_rss_mb_after_plan": rss_plan}, default=str), flush=True)


if __name__ == "__main__":
    main()
