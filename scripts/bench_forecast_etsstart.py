"""Non-seasonal ETS starting values: statsmodels' default start against the grid start.

The ETS(A,N,N) and ETS(A,Ad,N) members (`candidates.fit_ets`, ten fits per series with the
temporal aggregation levels) start statsmodels' maximum-likelihood fit from the best point of
a grid with the initial states concentrated out (`ets_start`) unless `candidates.GRID_START`
is off. This script forecasts every series of a data set with the whole "auto" engine both
ways and scores both with the same sMAPE, MASE and 80/95 % coverage as `bench_forecast.py`,
with 95 % paired-bootstrap intervals (2,000 resamples over the series) of the change, and
the CPU seconds per series of each variant: the whole forecast and its `fit_ets` calls
(serial per series with single-threaded BLAS, in a process pool; no Dask).

    .venv/bin/python scripts/bench_forecast_etsstart.py --data m3-monthly --split validation
    .venv/bin/python scripts/bench_forecast_etsstart.py --data tourism-monthly
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

VARIANTS = {"statsmodels start": False, "grid start (engine)": True}


def _forecast(job: tuple[str, np.ndarray, int, int]
              ) -> tuple[str, dict[str, tuple[dict, float, float]]]:
    from threadpoolctl import threadpool_limits

    from netdesign.forecast import candidates as cand
    from netdesign.forecast.model import forecast_one

    uid, y, h, m = job
    warnings.simplefilter("ignore")
    fit_ets = cand.fit_ets
    spent = [0.0]

    def timed(*args, **kwargs):
        t = time.process_time()
        try:
            return fit_ets(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - t

    cand.fit_ets = timed
    out = {}
    try:
        with threadpool_limits(1):
            for name, grid in VARIANTS.items():
                cand.GRID_START = grid
                spent[0] = 0.0
                t0 = time.process_time()
                table = forecast_one(uid, y, h, m).table
                out[name] = (table, time.process_time() - t0, spent[0])
    finally:
        cand.fit_ets = fit_ets
    return uid, out


def main() -> int:
    from netdesign.forecast.metrics import coverage, mase, smape

    p = competition_parser(__doc__.splitlines()[0], "m3-monthly", "test")
    a = p.parse_args()
    loaded = load_split(a)
    if loaded is None:
        return 1
    actual, insample, h, m = loaded
    jobs = [(uid, insample[uid], h, m) for uid in actual]
    with ProcessPoolExecutor(a.workers) as pool:
        results = list(pool.map(_forecast, jobs, chunksize=8))

    def row(u, t):
        return (smape(actual[u], t["mean"]), mase(actual[u], t["mean"], insample[u], m),
                coverage(actual[u], t["lo_80"], t["hi_80"]),
                coverage(actual[u], t["lo_95"], t["hi_95"]))

    scores = {v: np.array([row(u, f[v][0]) for u, f in results]) for v in VARIANTS}
    cpu = {v: np.array([[f[v][1], f[v][2]] for _, f in results]) for v in VARIANTS}
    ref = "statsmodels start"
    boot = np.random.default_rng(0).integers(0, len(results), (2000, len(results)))
    print(f"{DATASETS[a.data][0]}, split={a.split}, {len(results)} series, h={h}, m={m}")
    print(f"{'start':22s} {'sMAPE %':>8s} {'MASE':>7s} {'cov80':>6s} {'cov95':>6s} "
          f"{'CPU ms/series':>13s} {'of which ETS':>12s}   change vs statsmodels start "
          "(95 % bootstrap)")
    for v in VARIANTS:
        s, c = scores[v], cpu[v].mean(axis=0) * 1000
        d = s - scores[ref]
        lo, hi = np.percentile(d[boot].mean(axis=1), [2.5, 97.5], axis=0)
        print(f"{v:22s} {s[:, 0].mean():8.3f} {s[:, 1].mean():7.4f} {s[:, 2].mean():6.3f} "
              f"{s[:, 3].mean():6.3f} {c[0]:13.1f} {c[1]:12.1f}   sMAPE [{lo[0]:+.3f}, "
              f"{hi[0]:+.3f}]  MASE [{lo[1]:+.4f}, {hi[1]:+.4f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
