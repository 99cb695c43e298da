#!/usr/bin/env python3
"""Solve time of one default-study scenario with and without the rural tier, side by side.

usage: python scripts/bench_rural.py CONFIG FORECASTS_CSV [--scenario base_2035] [--repeat N]

Loads the study once and builds the scenario (its `rural:` section gives the rural routes);
each repetition solves it twice, alternating the order: without the rural tier (the same
scenario with `rural=None`: the model before issue 15) and with it, at the config's solver
settings (1 % gap). Prints per variant the median wall seconds (build + hand-off + solve),
the integer columns, rows, status, gap and objective, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

import pandas as pd

from netdesign.optimise import design_network
from netdesign.pipeline import build_scenario, load_study


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("forecasts", help="forecasts.csv written by `netdesign run`")
    ap.add_argument("--scenario", default="base_2035")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    study = load_study(args.config)
    fc = pd.read_csv(args.forecasts)
    sc = next(s for s in study.cfg.scenarios if s.name == args.scenario)
    with_rural = build_scenario(study, sc, fc)
    if with_rural.rural is None:
        raise SystemExit(f"{args.config} has no rural: section")
    variants = {"without rural tier": dataclasses.replace(with_rural, rural=None),
                "with rural tier": with_rural}
    times: dict[str, list[float]] = {k: [] for k in variants}
    last: dict[str, object] = {}
    for i in range(args.repeat):
        order = list(variants) if i % 2 == 0 else list(reversed(variants))
        for name in order:
            t0 = time.perf_counter()
            design = design_network(study.network, variants[name], study.cfg.solver)
            times[name].append(time.perf_counter() - t0)
            last[name] = design
    for name, ts in times.items():
        d = last[name]
        r = d.report
        rural = d.extra.get("rural_cost_cny_per_day", 0.0)
        print(f"{name}: median {statistics.median(ts):.1f} s wall over {len(ts)} "
              f"(all: {', '.join(f'{t:.1f}' for t in ts)}); {r.integers:,} integers, "
              f"{r.rows:,} rows, status {r.status}, gap {(r.mip_gap or 0.0):.2%}, "
              f"objective {(r.objective or float('nan')):,.0f} CNY/day "
              f"(rural {rural:,.0f})")
    a, b = (statistics.median(times[k]) for k in variants)
    print(f"ratio with / without: {b / a:.2f}")


if __name__ == "__main__":
    main()
