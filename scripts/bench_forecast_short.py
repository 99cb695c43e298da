"""Short-history seasonality: the engine with and without the F test for 2-4 seasons of data.

`seasonality.has_seasonality` adds an F test of season-position effects for series shorter
than four seasons, where the autocorrelation test (`is_seasonal`) has little power. Only
those series can change. This script finds them in a data set (the series whose decision
differs), forecasts them with the whole "auto" engine both ways, and prints sMAPE and MASE
over the changed series and over the whole data set (unchanged series count with their one
forecast), plus 95 % paired-bootstrap intervals of the change over the changed series.

    .venv/bin/python scripts/bench_forecast_short.py --data m3-monthly --split validation
    .venv/bin/python scripts/bench_forecast_short.py --data m1-monthly
"""

from __future__ import annotations

import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast import DATASETS, competition_parser, load_split  # noqa: E402


def _forecast(job):
    from netdesign.forecast import model, seasonality

    uid, y, h, m = job
    warnings.simplefilter("ignore")
    new = model.forecast_one(uid, y, h, m).table["mean"]
    model.has_seasonality = lambda v, k: len(v) >= 2 * k and seasonality.is_seasonal(v, k)
    old = model.forecast_one(uid, y, h, m).table["mean"]
    model.has_seasonality = seasonality.has_seasonality
    return uid, new, old


def main() -> int:
    from netdesign.forecast.metrics import mase, smape
    from netdesign.forecast.robust import prepare
    from netdesign.forecast.seasonality import has_seasonality, is_seasonal

    p = competition_parser(__doc__.splitlines()[0], "m3-monthly", "test")
    a = p.parse_args()
    loaded = load_split(a)
    if loaded is None:
        return 1
    actual, insample, h, m = loaded
    changed = []
    for uid in actual:
        y = prepare(insample[uid], m, "impute").y
        if len(y) >= 2 * m and has_seasonality(y, m) != is_seasonal(y, m):
            changed.append(uid)
    print(f"{DATASETS[a.data][0]}, split={a.split}, {len(actual)} series, h={h}, m={m}: "
          f"{len(changed)} series change their seasonality decision")
    if not changed:
        return 0
    with ProcessPoolExecutor(a.workers) as pool:
        res = list(pool.map(_forecast, [(u, insample[u], h, m) for u in changed]))
    sc = {k: np.array([(smape(actual[u], f), mase(actual[u], f, insample[u], m))
                       for u, *fs in res for f in [fs[i]]]) for i, k in enumerate(("new", "old"))}
    d = sc["new"] - sc["old"]
    boot = np.random.default_rng(0).integers(0, len(res), (2000, len(res)))
    lo, hi = np.percentile(d[boot].mean(axis=1), [2.5, 97.5], axis=0)
    n_all = len(actual)
    for k in ("old", "new"):
        print(f"  {k}: changed series sMAPE {sc[k][:, 0].mean():.3f} MASE {sc[k][:, 1].mean():.4f}")
    print(f"  change on the changed series: sMAPE [{lo[0]:+.3f}, {hi[0]:+.3f}], "
          f"MASE [{lo[1]:+.4f}, {hi[1]:+.4f}] (95 % bootstrap)")
    print(f"  change of the whole data set's mean: sMAPE {d[:, 0].sum() / n_all:+.4f}, "
          f"MASE {d[:, 1].sum() / n_all:+.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
