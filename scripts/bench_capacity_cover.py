"""The aggregate hub-capacity cut (`define_hub_capacity_cover`) on a study's baseline solves.

    python scripts/bench_capacity_cover.py [CONFIG] [--repeat N] [--forecasts CSV]

Each scenario of the study is solved with the path formulation's families as they are
(`constraints.FAMILIES`, which ends with the cut: "with") and with the same families minus the
cut ("without"), alternating which goes first, `--repeat` times each, with the study's solver
options. Forecasts come from the forecast cache (as `netdesign run` computes them; a cache hit
unless the corridors, their history or the engine changed) or from a saved forecasts.csv.
Prints one JSON line per solve, then per scenario the medians of build + hand-off + solve
seconds, the MIP gap at the stop, the objective, and the ratio with / without.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

import pandas as pd

import netdesign.optimise.model as path_model
from netdesign.optimise.constraints import FAMILIES, define_hub_capacity_cover
from netdesign.pipeline import build_scenario, forecast_study, load_study, solve_scenario

ROOT = Path(__file__).resolve().parents[1]


def solve(study, scenario, with_cut: bool) -> dict:
    """One solve of `scenario`, the cut switched on or off for this build only."""
    path_model.FAMILIES = FAMILIES if with_cut else tuple(
        f for f in FAMILIES if f is not define_hub_capacity_cover)
    try:
        design = solve_scenario(study.network, scenario, study.cfg.solver)
    finally:
        path_model.FAMILIES = FAMILIES
    r = design.report
    return {"scenario": scenario.name, "cut": with_cut, "status": r.status,
            "objective": r.objective, "best_bound": r.best_bound, "gap": r.mip_gap,
            "total_s": round(r.total_s, 2), "solve_s": round(r.solve_s, 2), "rows": r.rows,
            "cols": r.cols, "load": round(os.getloadavg()[0], 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=str(ROOT / "configs" / "hangzhou.yaml"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--forecasts", type=Path, default=None)
    a = ap.parse_args(argv)
    study = load_study(a.config)
    fc = (pd.read_csv(a.forecasts) if a.forecasts is not None
          else forecast_study(study, progress=False).forecasts)
    runs = []
    turn = 0
    for sc in study.cfg.scenarios:
        scenario = build_scenario(study, sc, fc)
        for _ in range(a.repeat):
            for with_cut in ((True, False) if turn % 2 == 0 else (False, True)):
                runs.append(solve(study, scenario, with_cut))
                print(json.dumps(runs[-1]), flush=True)
            turn += 1
    print("| scenario | total s with / without | ratio | gap with / without | "
          "objective with / without | rows with / without |\n|---|---|---|---|---|---|")
    for name in dict.fromkeys(r["scenario"] for r in runs):
        w = [r for r in runs if r["scenario"] == name and r["cut"]]
        wo = [r for r in runs if r["scenario"] == name and not r["cut"]]
        tw = statistics.median(r["total_s"] for r in w)
        two = statistics.median(r["total_s"] for r in wo)
        gw = statistics.median(r["gap"] for r in w)
        gwo = statistics.median(r["gap"] for r in wo)
        print(f"| {name} | {tw:.1f} / {two:.1f} | {tw / two:.2f} | {gw:.4%} / {gwo:.4%} | "
              f"{w[-1]['objective']:,.0f} / {wo[-1]['objective']:,.0f} | "
              f"{w[-1]['rows']} / {wo[-1]['rows']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
