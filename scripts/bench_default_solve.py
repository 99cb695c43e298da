"""Solve seconds of a study's baseline scenarios (the default study: base_2025, base_2035).

    python scripts/bench_default_solve.py [CONFIG] [--forecasts CSV] [--repeat N]

Forecasts: a CSV as `netdesign run` writes it (forecasts.csv: series_id, date, mean, lo_80,
hi_80, lo_95, hi_95); without it the study is forecast first (minutes). Each scenario is solved
`--repeat` times; the table gives the median and all runs of build + hand-off + solve seconds
(`SolveReport.total_s`), with status, gap and objective, so two checkouts can be compared side
by side (run it at each commit with the same forecasts file, on an idle machine).
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    from netdesign.pipeline import build_scenario, forecast_study, load_study, solve_scenario

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", nargs="?", default=str(ROOT / "configs" / "hangzhou.yaml"))
    ap.add_argument("--forecasts", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    study = load_study(args.config)
    if args.forecasts is not None:
        fc = pd.read_csv(args.forecasts)
    else:
        fc = forecast_study(study, progress=False).forecasts
    rows = []
    for sc in study.cfg.scenarios:
        scenario = build_scenario(study, sc, fc)
        times, last = [], None
        for _ in range(args.repeat):
            last = solve_scenario(study.network, scenario, study.cfg.solver)
            times.append(last.report.total_s)
        r = last.report
        rows.append({"scenario": scenario.name, "median_s": statistics.median(times),
                     "runs_s": " ".join(f"{t:.1f}" for t in times), "status": r.status,
                     "gap": r.mip_gap, "objective": r.objective, "paths": r.n_paths,
                     "rows": r.rows, "cols": r.cols, "integers": r.integers})
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
