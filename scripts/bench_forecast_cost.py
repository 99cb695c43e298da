"""Where the time of a cold forecast of the default study goes: CPU per corridor by member.

Forecasts a sample of the default study's corridors one by one in this process with
single-threaded BLAS (as the Dask workers run), at the study's horizon, and times each
statsmodels fitter (`candidates.fit_*`) and the Chinese calendar adjustment
(`calendar.adjust_history`) with `time.process_time`. Prints CPU ms per corridor by part and
the number of corridor fits a cold `netdesign run` does (forecast + backtest), with the
implied CPU seconds. CPU time, not wall time: it does not depend much on other jobs on a
shared machine.

With `--wall`, also the wall time of the study's forecasting stage as `netdesign run` does it
(`pipeline.forecast_study` with its backtest, on the configured workers, one Dask cluster):
once with an empty forecast cache (cold) and once again on the entries it wrote (warm). Use a
scratch cache folder so that other runs' entries are not touched:

    .venv/bin/python scripts/bench_forecast_cost.py --series 60
    .venv/bin/python scripts/bench_forecast_cost.py --series 60 --ets-grid-start off
    .venv/bin/python scripts/bench_forecast_cost.py --series 150 --long-history-shift
    NETDESIGN_CACHE=/tmp/scratch_cache .venv/bin/python scripts/bench_forecast_cost.py --wall
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np
from threadpoolctl import threadpool_limits

from netdesign.forecast import calendar as cal_mod
from netdesign.forecast import candidates as cand
from netdesign.forecast import model as model_mod
from netdesign.forecast.engine import _calendar_regressor, split_series
from netdesign.pipeline import (
    backtest_corridors,
    design_years,
    forecast_horizon,
    history_long,
    load_study,
)

FITTERS = ("fit_ets", "fit_holt_winters", "fit_arima_drift", "fit_theta")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="configs/hangzhou.yaml")
    ap.add_argument("--series", type=int, default=60)
    ap.add_argument("--calendar", default="china", choices=("china", "none"))
    ap.add_argument("--ets-start", action="store_true",
                    help="also time statsmodels' ETS fits from their default start and from "
                         "the optimum (the most a better start could save)")
    ap.add_argument("--ets-grid-start", choices=("on", "off"), default="on",
                    help="ANN/AAdN fits from the engine's grid start (`ets_start`, on: the "
                         "engine's default) or from statsmodels' own start (off)")
    ap.add_argument("--long-history-shift", action="store_true",
                    help="instead of timing: forecast the sampled corridors with the "
                         "Holt-Winters long-history factor (model.LONG_HISTORY_SEASONAL_"
                         "FACTOR) and with 1, and print how the first and last 12 forecast "
                         "months' totals change")
    ap.add_argument("--wall", action="store_true",
                    help="also time forecast_study cold and warm ($NETDESIGN_CACHE)")
    args = ap.parse_args()
    cand.GRID_START = args.ets_grid_start == "on"
    study = load_study(args.config)
    horizon = forecast_horizon(study.network, design_years(study.cfg))
    grid, series = split_series(history_long(study.network), "M")
    pick = np.random.default_rng(0).choice(len(series), min(args.series, len(series)),
                                           replace=False)
    if args.long_history_shift:
        long_history_shift([series[i] for i in pick], grid, horizon, args.calendar)
        return
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def timed(name, func):
        def wrapper(*a, **k):
            t = time.process_time()
            try:
                return func(*a, **k)
            finally:
                spent[name] += time.process_time() - t
                calls[name] += 1
        return wrapper

    for name in FITTERS:
        setattr(cand, name, timed(name, getattr(cand, name)))
    model_mod.adjust_history = timed("calendar", cal_mod.adjust_history)
    total = 0.0
    with threadpool_limits(1):
        for i in pick:
            sid, start, values, _ = series[i]
            x = _calendar_regressor(args.calendar, grid, 12, start, len(values), horizon)
            t = time.process_time()
            model_mod.forecast_one(sid, values, horizon, regressor=x)
            total += time.process_time() - t
    n = len(pick)
    print(f"{n} corridors, horizon {horizon} months, calendar {args.calendar}, ETS grid "
          f"start {args.ets_grid_start}: "
          f"{1000 * total / n:.1f} CPU ms per corridor")
    for name in (*FITTERS, "calendar"):
        print(f"  {name:18s} {1000 * spent[name] / n:7.1f} ms  ({calls[name] / n:.1f} calls)")
    rest = total - sum(spent.values())
    print(f"  {'rest':18s} {1000 * rest / n:7.1f} ms  (decomposition, combination, intervals)")
    f = study.cfg.forecast
    n_fc = len(series)
    n_bt = len(backtest_corridors(study)) * f.backtest_origins if f.backtest_origins else 0
    print(f"cold netdesign run: {n_fc} forecast + {n_bt} backtest corridor fits "
          f"(+ region/total series) = about {(n_fc + n_bt) * total / n:.0f} CPU s")
    if args.ets_start:
        ets_start([series[i][2] for i in pick])
    if args.wall:
        wall(study)


def ets_start(histories: list[np.ndarray]) -> None:
    """CPU ms per statsmodels `ETSModel` fit (ANN, AAdN) on the corridors' histories (not
    seasonally adjusted: an estimate of the cost, not of the engine's fits), from
    statsmodels' default start and again from the optimum it found."""
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    for trend, damped, name in ((None, False, "ANN"), ("add", True, "AAdN")):
        t_default = t_optimum = 0.0
        n = 0
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for v in histories:
                y = v[np.isfinite(v)]
                if len(y) < 24 or np.min(y) <= 0:
                    continue
                model = ETSModel(y, error="add", trend=trend, damped_trend=damped)
                t = time.process_time()
                params = model.fit(disp=False, return_params=True)
                t_default += time.process_time() - t
                t = time.process_time()
                model.fit(disp=False, return_params=True, start_params=params)
                t_optimum += time.process_time() - t
                n += 1
        if n:
            print(f"ETS {name}: {1000 * t_default / n:.1f} ms per fit from the default "
                  f"start, {1000 * t_optimum / n:.1f} ms from the optimum ({n} corridors)")


def long_history_shift(series: list, grid, horizon: int, calendar: str) -> None:
    """Total forecast (parcels) of the corridors in the first and last 12 forecast months
    with the engine's long-history Holt-Winters factor and with factor 1 (no extra weight)."""
    import warnings

    factor = model_mod.LONG_HISTORY_SEASONAL_FACTOR
    first = {1.0: 0.0, factor: 0.0}
    last = {1.0: 0.0, factor: 0.0}
    change = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sid, start, values, _ in series:
            x = _calendar_regressor(calendar, grid, 12, start, len(values), horizon)
            year = {}
            for f in (1.0, factor):
                model_mod.LONG_HISTORY_SEASONAL_FACTOR = f
                mean = model_mod.forecast_one(sid, values, horizon, regressor=x).table["mean"]
                first[f] += mean[:12].sum()
                last[f] += mean[-12:].sum()
                year[f] = mean[-12:].sum()
            change.append(year[factor] / max(year[1.0], 1e-9) - 1.0)
    model_mod.LONG_HISTORY_SEASONAL_FACTOR = factor
    p50, p10, p90 = 100 * np.percentile(change, [50, 10, 90])
    print(f"{len(series)} corridors, horizon {horizon} months, calendar {calendar}: "
          f"Holt-Winters factor {factor:g} against 1: first 12 months' total "
          f"{100 * (first[factor] / first[1.0] - 1):+.2f} %, last 12 months' total "
          f"{100 * (last[factor] / last[1.0] - 1):+.2f} % (per corridor median {p50:+.2f} %, "
          f"10th-90th percentile {p10:+.2f} % to {p90:+.2f} %)")


def wall(study) -> None:
    import os

    from netdesign.forecast import cache
    from netdesign.forecast.parallel import local_client
    from netdesign.pipeline import backtest_study, forecast_study

    folder = cache.cache_dir()
    if any(folder.glob("*.json")):
        raise SystemExit(f"{folder} is not empty: point NETDESIGN_CACHE at a scratch folder")
    print(f"forecast cache: {folder}; load average at start {os.getloadavg()[0]:.1f}")
    for run in ("cold", "warm"):
        t0 = time.perf_counter()
        with local_client(study.cfg.forecast.workers) as client:
            bt = backtest_study(study, progress=False, client=client)
            forecast_study(study, progress=False, client=client, backtest=bt)
        print(f"  {run}: {time.perf_counter() - t0:.1f} s wall (backtest + forecast, "
              f"load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
