"""Component study of the "auto" forecast: what each model family adds, on competition data.

The engine's "auto" forecast is a mean over model families (`model.FAMILY_WEIGHTS`): the
decomposition-based Theta + ETS part (weight 2), Holt-Winters on the raw series (1, seasonal
series only) and ARIMA(0,1,1)+drift (1). This script forecasts every series of a data set
with some families switched off (weight 0, not fitted) and scores each variant with the same
sMAPE and MASE as `bench_forecast.py`, plus 95 % paired-bootstrap intervals (2,000 resamples
over the series) of each variant's change against the reference variant ("+ Holt-Winters",
the engine before the ARIMA member). docs/benchmarks.md, "Forecasting", round 6, used it.

Serial per series, in a process pool (`--workers`); no Dask, no timing.

    .venv/bin/python scripts/bench_forecast_members.py --data m3-monthly --split validation
    .venv/bin/python scripts/bench_forecast_members.py --data tourism-monthly
"""

from __future__ import annotations

import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast import DATASETS, competition_parser, load_split  # noqa: E402

VARIANTS: dict[str, dict[str, float]] = {
    "decomposition part only": {"decomposition": 2.0, "seasonal": 0.0, "arima": 0.0},
    "+ Holt-Winters": {"decomposition": 2.0, "seasonal": 1.0, "arima": 0.0},
    "+ ARIMA": {"decomposition": 2.0, "seasonal": 0.0, "arima": 1.0},
    "+ Holt-Winters + ARIMA (engine)": {"decomposition": 2.0, "seasonal": 1.0, "arima": 1.0},
}
REFERENCE = "+ Holt-Winters"


def _forecast(job: tuple[str, np.ndarray, int, int]) -> tuple[str, dict[str, np.ndarray]]:
    from netdesign.forecast.model import forecast_one

    uid, y, h, m = job
    warnings.simplefilter("ignore")
    return uid, {name: forecast_one(uid, y, h, m, family_weights=w).table["mean"]
                 for name, w in VARIANTS.items()}


def main() -> int:
    from netdesign.forecast.metrics import mase, smape

    p = competition_parser(__doc__.splitlines()[0], "m3-monthly", "test")
    a = p.parse_args()
    loaded = load_split(a)
    if loaded is None:
        return 1
    actual, insample, h, m = loaded
    jobs = [(uid, insample[uid], h, m) for uid in actual]
    with ProcessPoolExecutor(a.workers) as pool:
        results = list(pool.map(_forecast, jobs, chunksize=16))
    scores = {name: np.array([(smape(actual[u], f[name]), mase(actual[u], f[name],
                                                                insample[u], m))
                              for u, f in results]) for name in VARIANTS}
    boot = np.random.default_rng(0).integers(0, len(results), (2000, len(results)))
    print(f"{DATASETS[a.data][0]}, split={a.split}, {len(results)} series, h={h}, m={m}")
    print(f"{'variant':34s} {'sMAPE %':>8s} {'MASE':>7s}   change vs '{REFERENCE}' "
          "(95 % bootstrap)")
    for name, sc in scores.items():
        d = sc - scores[REFERENCE]
        lo, hi = np.percentile(d[boot].mean(axis=1), [2.5, 97.5], axis=0)
        print(f"{name:34s} {sc[:, 0].mean():8.3f} {sc[:, 1].mean():7.4f}   "
              f"sMAPE [{lo[0]:+.3f}, {hi[0]:+.3f}]  MASE [{lo[1]:+.4f}, {hi[1]:+.4f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
