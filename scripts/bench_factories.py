#!/usr/bin/env python3
"""Solve time of the default study with and without "into factories" (issue 15), side by side.

usage: python scripts/bench_factories.py CONFIG FORECASTS_CSV [--repeat N] [--scenario NAME ...]

Writes the default data twice into a temporary folder with `build_hangzhou_study.py` — as
shipped, and with `--without-factories` (the study before issue 15: 4 parks, no B2B segments,
no park centres) — loads CONFIG on each, and solves every named scenario (default: CONFIG's
baseline scenarios) on both, alternating, with the same forecasts (FORECASTS_CSV, e.g. the
forecasts.csv of `netdesign run`; each study takes its own corridors from it). Prints, per
scenario and variant, the median wall seconds of `design_network` (build + hand-off + solve),
the paths, rows, gap and objective, and the ratio with / without.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from netdesign.config.loader import load_config
from netdesign.optimise import design_network
from netdesign.pipeline import build_scenario, load_study

BUILDER = Path(__file__).resolve().parent / "build_hangzhou_study.py"
sys.path.insert(0, str(BUILDER.parent))
from bench_circle import scenario_bench_parser  # noqa: E402


def main() -> None:
    args = scenario_bench_parser(__doc__.splitlines()[0]).parse_args()
    fc = pd.read_csv(args.forecasts)
    base = load_config(args.config)
    with tempfile.TemporaryDirectory(prefix="bench_factories_") as tmp:
        studies = {}
        for variant, extra in (("without", ["--without-factories"]), ("with", [])):
            out = Path(tmp) / variant
            subprocess.run([sys.executable, str(BUILDER), "--out", str(out), *extra],
                           check=True, capture_output=True)
            cfg = base.with_overrides(data={**base.data.model_dump(), "dir": str(out)})
            studies[variant] = load_study(cfg)
        wanted = [sc for sc in base.scenarios
                  if args.scenario is None or sc.name in args.scenario]
        times = {(sc.name, v): [] for sc in wanted for v in studies}
        last = {}
        for _ in range(args.repeat):
            for sc in wanted:
                for variant, study in studies.items():
                    corr = study.network.corridors.index
                    scenario = build_scenario(study, sc, fc[fc["series_id"].isin(corr)])
                    t0 = time.perf_counter()
                    design = design_network(study.network, scenario, study.cfg.solver)
                    times[(sc.name, variant)].append(time.perf_counter() - t0)
                    last[(sc.name, variant)] = design.report
    for sc in wanted:
        med = {}
        for variant in studies:
            ts = times[(sc.name, variant)]
            r = last[(sc.name, variant)]
            med[variant] = statistics.median(ts)
            print(f"{sc.name} {variant:>7} factories: median {med[variant]:.1f} s wall over "
                  f"{len(ts)} (all: {', '.join(f'{t:.1f}' for t in ts)}); {r.n_paths:,} paths, "
                  f"{r.rows:,} rows, status {r.status}, gap {(r.mip_gap or 0.0):.2%}, "
                  f"objective {(r.objective or float('nan')):,.0f} CNY/day")
        print(f"{sc.name}: with / without = {med['with'] / med['without']:.2f}x")


if __name__ == "__main__":
    main()
