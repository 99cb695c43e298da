"""Holt-Winters starting values: statsmodels' brute-force grid against a coarser one.

The Holt-Winters member (`candidates.fit_holt_winters`) starts statsmodels' least-squares fit
from the best point of a grid over the smoothing parameters (`hw_start`). statsmodels' own
grid has about 10,000 points (29 along α); the engine uses `hw_start.N_ALPHA`. This script
forecasts every series of a data set with the whole "auto" engine twice, once per grid, and
scores both with the same sMAPE and MASE as `bench_forecast.py`, plus 95 % paired-bootstrap
intervals (2,000 resamples over the series) of the change, and the median CPU ms per series
of each variant (serial per series, in a process pool; no Dask).

    .venv/bin/python scripts/bench_forecast_hwstart.py --data tourism-monthly
    .venv/bin/python scripts/bench_forecast_hwstart.py --data m3-monthly --split validation
"""

from __future__ import annotations

import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast import DATASETS, competition_parser, load_split  # noqa: E402

REFERENCE = 29  # statsmodels' grid (87 // 3 points along alpha)


def _forecast(job: tuple[str, np.ndarray, int, int, tuple[int, ...]]
              ) -> tuple[str, dict[int, tuple[np.ndarray, float]]]:
    from netdesign.forecast import hw_start
    from netdesign.forecast.model import forecast_one

    uid, y, h, m, grids = job
    warnings.simplefilter("ignore")
    out = {}
    for n in grids:
        hw_start.N_ALPHA = n
        t0 = time.process_time()
        mean = forecast_one(uid, y, h, m).table["mean"]
        out[n] = (mean, time.process_time() - t0)
    return uid, out


def main() -> int:
    from netdesign.forecast import hw_start
    from netdesign.forecast.metrics import mase, smape

    p = competition_parser(__doc__.splitlines()[0], "tourism-monthly", "test")
    p.add_argument("--n-alpha", type=int, default=hw_start.N_ALPHA,
                   help="grid points along alpha of the variant (engine default)")
    a = p.parse_args()
    loaded = load_split(a)
    if loaded is None:
        return 1
    actual, insample, h, m = loaded
    grids = (REFERENCE, a.n_alpha)
    jobs = [(uid, insample[uid], h, m, grids) for uid in actual]
    with ProcessPoolExecutor(a.workers) as pool:
        results = list(pool.map(_forecast, jobs, chunksize=8))
    scores = {n: np.array([(smape(actual[u], f[n][0]), mase(actual[u], f[n][0], insample[u], m))
                           for u, f in results]) for n in grids}
    cpu = {n: np.median([f[n][1] for _, f in results]) * 1000 for n in grids}
    boot = np.random.default_rng(0).integers(0, len(results), (2000, len(results)))
    print(f"{DATASETS[a.data][0]}, split={a.split}, {len(results)} series, h={h}, m={m}")
    print(f"{'grid':28s} {'sMAPE %':>8s} {'MASE':>7s} {'CPU ms':>7s}   "
          "change vs 29 (95 % bootstrap)")
    for n in grids:
        d = scores[n] - scores[REFERENCE]
        lo, hi = np.percentile(d[boot].mean(axis=1), [2.5, 97.5], axis=0)
        label = f"{n} along alpha ({len(hw_start.grid(n))} points)"
        print(f"{label:28s} {scores[n][:, 0].mean():8.3f} {scores[n][:, 1].mean():7.4f} "
              f"{cpu[n]:7.1f}   sMAPE [{lo[0]:+.3f}, {hi[0]:+.3f}]  "
              f"MASE [{lo[1]:+.4f}, {hi[1]:+.4f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
