#!/usr/bin/env python3
"""Solve time of the default study's baseline scenarios, from saved forecasts (no forecasting).

usage: python scripts/bench_circle.py CONFIG FORECASTS_CSV [--repeat N] [--scenario NAME ...]

Loads the study once, then for each repetition builds every named scenario (default: the
baseline scenarios of CONFIG) and solves it with `design_network`; prints, per scenario, the
median build, hand-off and solve seconds, the candidate paths and the objective. Used for the
"segments multiply paths" figures in docs/benchmarks.md (run it on two checkouts side by side,
alternating, with the same forecasts file).
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from netdesign.optimise import design_network
from netdesign.pipeline import build_scenario, load_study


def scenario_bench_parser(description: str) -> argparse.ArgumentParser:
    """CONFIG FORECASTS [--repeat N] [--scenario NAME ...]: the options of the scripts that
    time the study's scenario solves on saved forecasts."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("config")
    ap.add_argument("forecasts", help="forecasts.csv written by `netdesign run` or `forecast`")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--scenario", action="append", default=None,
                    help="scenario name (repeatable); default: the baseline scenarios")
    return ap


def main() -> None:
    args = scenario_bench_parser(__doc__.splitlines()[0]).parse_args()
    study = load_study(args.config)
    fc = pd.read_csv(args.forecasts)
    wanted = [sc for sc in study.cfg.scenarios
              if args.scenario is None or sc.name in args.scenario]
    times: dict[str, list[float]] = {sc.name: [] for sc in wanted}
    last: dict[str, object] = {}
    for _ in range(args.repeat):
        for sc in wanted:
            scenario = build_scenario(study, sc, fc)
            t0 = time.perf_counter()
            design = design_network(study.network, scenario, study.cfg.solver)
            times[sc.name].append(time.perf_counter() - t0)
            last[sc.name] = design.report
    for name, ts in times.items():
        r = last[name]
        print(f"{name}: median {statistics.median(ts):.1f} s wall over {len(ts)} "
              f"(all: {', '.join(f'{t:.1f}' for t in ts)}); build {r.build_s:.1f} s, "
              f"solve {r.solve_s:.1f} s, {r.n_paths:,} paths, {r.rows:,} rows, "
              f"status {r.status}, gap {(r.mip_gap or 0.0):.2%}, "
              f"objective {(r.objective or float('nan')):,.0f} CNY/day")


if __name__ == "__main__":
    main()
