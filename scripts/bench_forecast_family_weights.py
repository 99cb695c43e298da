"""Family weights of the "auto" forecast, scored offline: which weight on Holt-Winters?

For every series of a data set this fits, once, each model family of the engine's "auto"
forecast separately - the decomposition part (Theta + ETS over the aggregation levels,
re-seasonalised), the Holt-Winters member on the raw series and the ARIMA(0,1,1)+drift member
(`model._model`, `candidates.fit_holt_winters`, `candidates.fit_arima_drift`, as the engine
calls them) - and with `--extra-members` three seasonal candidates that are not in the
engine: statsmodels `ETSModel` ETS(M,Ad,M) and ETS(A,Ad,A) with heuristic initial states,
and Holt-Winters with an additive season on log volumes (exp back-transformed; no interval).
It then mixes the stored forecasts with each weighting rule of `RULES` (`combine.combine`,
`intervals.interval_table`, as the engine does) and prints sMAPE, MASE and 95 % coverage,
with a 95 % paired-bootstrap interval (1,000 resamples over the series) of each rule's MASE
change against the engine's fixed 2 : 1 : 1. The engine's rule is "hw x3 if >= 10 seasons".

Use `--split validation` (each series' own earlier holdout) to choose, the test split only to
report. `--ets-grid-start off` fits the ETS members from statsmodels' own start (the engine
before `ets_start`).

    .venv/bin/python scripts/bench_forecast_family_weights.py --data tourism-monthly
    .venv/bin/python scripts/bench_forecast_family_weights.py --data m3-monthly
    .venv/bin/python scripts/bench_forecast_family_weights.py --data tourism-monthly \
        --split test --ets-grid-start off --extra-members
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast import DATASETS, competition_parser, load_split  # noqa: E402


def _families(job: tuple) -> dict:
    """Each family's forecast (a `candidates.Fit`, clipped at 0) for one series."""
    from threadpoolctl import threadpool_limits

    from netdesign.forecast import candidates as cand
    from netdesign.forecast import model as M
    from netdesign.forecast.robust import prepare
    from netdesign.forecast.seasonality import expand, seasonal_estimate

    uid, values, h, m, grid_start, extra = job
    warnings.simplefilter("ignore")
    cand.GRID_START = grid_start
    with threadpool_limits(1):
        y = prepare(values, m, "impute").y
        counter = M._Counter()
        only_dec = {"decomposition": 1.0, "seasonal": 0.0, "arima": 0.0}
        fit, lognormal, spec = M._model(y, h, m, "auto", None, counter, only_dec)
        dec = spec.get("decomposition", "none")
        out = {"uid": uid, "y": y, "n": len(y), "dec": dec, "lognormal": lognormal,
               "fits": {"dec": M._clipped(fit) if fit is not None else None}}
        if spec["method"] != "auto":
            return out
        if dec != "none":
            idx, idx_var = seasonal_estimate(y, m, dec == "multiplicative", shrink=True)
            s_in, s_out, s_var = expand(idx, 0, len(y)), expand(idx, len(y), h), \
                expand(idx_var, len(y), h)
            ya = y / s_in if dec == "multiplicative" else y - s_in
        else:
            s_out, s_var, ya = np.ones(h), np.zeros(h), y
        if len(ya) >= cand.MIN_ARIMA_OBS:
            ar = counter.run("ar", cand.fit_arima_drift, ya, h)
            if ar is not None and M.is_sane(ar, ya):
                out["fits"]["ar"] = M._clipped(M._reseasonalise(ar, dec, s_out, s_var))
        if dec == "none":
            return out
        hw = counter.run("hw", cand.fit_holt_winters, y, h, m, dec == "multiplicative")
        if hw is not None and M.is_sane(hw, y):
            out["fits"]["hw"] = M._clipped(hw)
        if extra:
            out["fits"].update(_extra_members(y, h, m, counter))
    return out


def _extra_members(y: np.ndarray, h: int, m: int, counter) -> dict:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    from netdesign.forecast import candidates as cand
    from netdesign.forecast import model as M

    out = {}
    for name, error, season in (("ets_MAdM", "mul", "mul"), ("ets_AAdA", "add", "add")):
        if "mul" in (error, season) and np.min(y) <= 0:
            continue

        def fit(error=error, season=season, name=name):
            res = ETSModel(y, error=error, trend="add", damped_trend=True, seasonal=season,
                           seasonal_periods=m, initialization_method="heuristic"
                           ).fit(disp=False)
            var = np.full(h, np.var(res.resid) if error == "add" else 0.0)
            return cand.Fit(name, np.asarray(res.forecast(h), float), var, res.aicc)

        f = counter.run(name, fit)
        if f is not None and M.is_sane(f, y):
            out[name] = M._clipped(f)
    if np.min(y) > 0:
        f = counter.run("hwlog", cand.fit_holt_winters, np.log(y), h, m, False)
        if f is not None and np.all(np.isfinite(f.mean)):
            mean = np.exp(f.mean)
            if M.is_sane(cand.Fit("hwlog", mean, np.zeros(h)), y):
                out["hwlog"] = cand.Fit("hwlog", mean, np.zeros(h))
    return out


Rule = Callable[[dict, int], dict[str, float]]


def _seasonal(o: dict) -> bool:
    return o["dec"] != "none"


RULES: dict[str, Rule] = {
    "engine before, 2 : 1 : 1": lambda o, m: {"dec": 2, "hw": 1, "ar": 1},
    "hw x2": lambda o, m: {"dec": 2, "hw": 2, "ar": 1},
    "hw x2, no ARIMA if seasonal": lambda o, m: {"dec": 2, "hw": 2,
                                                 "ar": 0 if _seasonal(o) else 1},
    "hw x(1 + seasonal strength)": lambda o, m: {"dec": 2, "hw": 1 + o["fs"], "ar": 1},
    "hw x clip(seasons / 5, 1, 3)": lambda o, m: {"dec": 2, "hw": min(3, max(1, o["n"] / (5 * m))),
                                                  "ar": 1},
    "hw x2 if >= 10 seasons": lambda o, m: {"dec": 2, "hw": 2 if o["n"] >= 10 * m else 1,
                                            "ar": 1},
    "hw x3 if >= 10 seasons (engine)": lambda o, m: {"dec": 2,
                                                     "hw": 3 if o["n"] >= 10 * m else 1,
                                                     "ar": 1},
}
EXTRA_RULES: dict[str, Rule] = {
    "+ ETS(M,Ad,M) 1": lambda o, m: {"dec": 2, "hw": 1, "ar": 1, "ets_MAdM": 1},
    "+ ETS(A,Ad,A) 1": lambda o, m: {"dec": 2, "hw": 1, "ar": 1, "ets_AAdA": 1},
    "+ HW on logs 1": lambda o, m: {"dec": 2, "hw": 1, "ar": 1, "hwlog": 1},
    "ETS(M,Ad,M) instead of HW": lambda o, m: {"dec": 2, "ets_MAdM": 1, "ar": 1},
    "HW on logs instead of HW": lambda o, m: {"dec": 2, "hwlog": 1, "ar": 1},
}


def seasonal_strength(y: np.ndarray, m: int, multiplicative: bool) -> float:
    """1 − var(remainder) / var(detrended), classical decomposition (logs if multiplicative;
    Wang, Smith & Hyndman 2006), in [0, 1]."""
    x = np.log(y) if multiplicative else np.asarray(y, float)
    w = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    trend = np.convolve(x, w, mode="valid")
    off = (len(w) - 1) // 2
    d = x[off:off + len(trend)] - trend
    idx = np.array([np.mean(d[(k - off) % m::m]) for k in range(m)])
    r = d - idx[np.arange(off, off + len(trend)) % m]
    return max(0.0, 1.0 - float(np.var(r)) / float(np.var(d))) if np.var(d) > 0 else 0.0


def main() -> int:
    from netdesign.forecast.combine import combine
    from netdesign.forecast.intervals import interval_table
    from netdesign.forecast.metrics import coverage, mase, smape

    p = competition_parser(__doc__.splitlines()[0], "tourism-monthly", "validation")
    p.add_argument("--ets-grid-start", choices=("on", "off"), default="on")
    p.add_argument("--extra-members", action="store_true",
                   help="also fit ETS(M,Ad,M), ETS(A,Ad,A) and HW on logs (slow)")
    a = p.parse_args()
    loaded = load_split(a)
    if loaded is None:
        return 1
    actual, insample, h, m = loaded
    jobs = [(u, insample[u], h, m, a.ets_grid_start == "on", a.extra_members) for u in actual]
    with ProcessPoolExecutor(a.workers) as pool:
        results = list(pool.map(_families, jobs, chunksize=4))
    rules = {**RULES, **(EXTRA_RULES if a.extra_members else {})}
    scores = {name: [] for name in rules}
    for o in results:
        o["fs"] = (seasonal_strength(o["y"], m, o["dec"] == "multiplicative")
                   if _seasonal(o) else 0.0)
        act, hist = actual[o["uid"]], insample[o["uid"]]
        for name, rule in rules.items():
            parts = [(o["fits"][k], w) for k, w in rule(o, m).items()
                     if w > 0 and o["fits"].get(k) is not None]
            fit = parts[0][0] if len(parts) == 1 else combine(
                [f for f, _ in parts], np.array([w for _, w in parts]), name)
            t = interval_table(fit.mean, fit.var, (95,), o["lognormal"])
            scores[name].append((smape(act, t["mean"]), mase(act, t["mean"], hist, m),
                                 coverage(act, t["lo_95"], t["hi_95"])))
    base = np.array(scores["engine before, 2 : 1 : 1"])
    boot = np.random.default_rng(0).integers(0, len(base), (1000, len(base)))
    n_seasonal = sum(_seasonal(o) for o in results)
    n_long = sum(_seasonal(o) and o["n"] >= 10 * m for o in results)
    print(f"{DATASETS[a.data][0]}, split={a.split}, {len(results)} series ({n_seasonal} "
          f"seasonal, {n_long} of them with >= 10 seasons), h={h}, m={m}, ETS grid start "
          f"{a.ets_grid_start}")
    print(f"{'rule (weights decomposition : Holt-Winters : ARIMA)':52s} {'sMAPE %':>8s} "
          f"{'MASE':>7s} {'cov95':>6s}   MASE change (95 % bootstrap)")
    for name, rows in scores.items():
        r = np.array(rows)
        lo, hi = np.percentile((r - base)[boot].mean(axis=1)[:, 1], [2.5, 97.5])
        print(f"{name:52s} {r[:, 0].mean():8.3f} {r[:, 1].mean():7.4f} {r[:, 2].mean():6.3f}"
              f"   [{lo:+.4f}, {hi:+.4f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
