"""Benchmark the forecasting engine on the M3 competition's monthly series.

Runs `netdesign.forecast.forecast_panel` (default "auto" method) and, in the same run and
with the same number of worker processes, statsforecast's AutoETS, AutoTheta and
SeasonalNaive (a benchmark-only dependency, `pip install .[bench]`). Reports sMAPE (as in
M3), MASE (seasonal naive lag-12 scale), the 80/95 % interval coverage and wall seconds per
1,000 series.

Data: ../shared/data/forecasting/m3-monthly (beside the checkout). Two evaluations:
  --split test        train on the competition history, score the 18 held-out months
  --split validation  the series' own earlier holdout: train on history[:-18], score
                      history[-18:] (never looks at the competition's test months)

    .venv/bin/python scripts/bench_forecast.py --workers 2
    .venv/bin/python scripts/bench_forecast.py --workers 2 --split validation
    .venv/bin/python scripts/bench_forecast.py --workers 2 --subset 200 --no-baselines
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
DATA = ROOT.parent / "shared" / "data" / "forecasting" / "m3-monthly"
H, M = 18, 12


def load(split: str, subset: int | None, seed: int) -> tuple[pd.DataFrame, dict, dict]:
    """Long history frame (series_id, date, value) plus actuals and in-sample arrays."""
    train = pd.read_csv(DATA / "m3_monthly_train.csv")
    test = pd.read_csv(DATA / "m3_monthly_test.csv")
    ids = train["unique_id"].unique()
    if subset:
        ids = np.sort(np.random.default_rng(seed).choice(ids, subset, replace=False))
        train = train[train["unique_id"].isin(ids)]
        test = test[test["unique_id"].isin(ids)]
    hist, actual, insample = [], {}, {}
    tests = {u: g.sort_values("t")["y"].to_numpy(float) for u, g in test.groupby("unique_id")}
    for uid, g in train.groupby("unique_id", sort=False):
        y = g.sort_values("t")["y"].to_numpy(float)
        if split == "validation":
            y, a = y[:-H], y[-H:]
        else:
            a = tests[uid]
        actual[uid], insample[uid] = a, y
        months = pd.period_range("1990-01", periods=len(y), freq="M").to_timestamp()
        hist.append(pd.DataFrame({"series_id": uid, "date": months, "value": y}))
    return pd.concat(hist, ignore_index=True), actual, insample


def score(fc: dict[str, dict[str, np.ndarray]], actual: dict, insample: dict) -> dict:
    from netdesign.forecast.metrics import coverage, mase, smape

    rows = []
    for uid, f in fc.items():
        a, y = actual[uid], insample[uid]
        row = {"smape": smape(a, f["mean"]), "mase": mase(a, f["mean"], y, M)}
        for lv in (80, 95):
            if f"lo_{lv}" in f:
                row[f"cov_{lv}"] = coverage(a, f[f"lo_{lv}"], f[f"hi_{lv}"])
        rows.append(row)
    t = pd.DataFrame(rows)
    return {c: float(t[c].mean()) for c in t.columns}


def run_engine(hist: pd.DataFrame, workers: int) -> tuple[dict, float, pd.DataFrame]:
    from netdesign.forecast import ForecastSettings, forecast_panel

    t0 = time.perf_counter()
    res = forecast_panel(hist, H, ForecastSettings(workers=workers, progress=True))
    wall = time.perf_counter() - t0
    out = {}
    for uid, g in res.forecasts.groupby("series_id", sort=False):
        out[uid] = {c: g[c].to_numpy(float) for c in
                    ("mean", "lo_80", "hi_80", "lo_95", "hi_95")}
    return out, wall, res.diagnostics


def run_statsforecast(hist: pd.DataFrame, workers: int) -> dict[str, tuple[dict, float]]:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive

    df = hist.rename(columns={"series_id": "unique_id", "date": "ds", "value": "y"})
    results = {}
    for name, model in (("AutoETS", AutoETS(season_length=M)),
                        ("AutoTheta", AutoTheta(season_length=M)),
                        ("SeasonalNaive", SeasonalNaive(season_length=M))):
        warm = df[df["unique_id"].isin(df["unique_id"].unique()[:4])]
        StatsForecast(models=[model], freq="MS", n_jobs=1).forecast(df=warm, h=H,
                                                                    level=[80, 95])
        sf = StatsForecast(models=[model], freq="MS", n_jobs=workers)
        t0 = time.perf_counter()
        fc = sf.forecast(df=df, h=H, level=[80, 95])
        wall = time.perf_counter() - t0
        out = {}
        for uid, g in fc.groupby("unique_id", sort=False):
            out[uid] = {"mean": g[name].to_numpy(float)}
            for lv in (80, 95):
                out[uid][f"lo_{lv}"] = g[f"{name}-lo-{lv}"].to_numpy(float)
                out[uid][f"hi_{lv}"] = g[f"{name}-hi-{lv}"].to_numpy(float)
        results[name] = (out, wall)
    return results


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--split", choices=("test", "validation"), default="test")
    p.add_argument("--subset", type=int, default=None, help="random subset of series")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-baselines", action="store_true", help="skip statsforecast")
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    a = p.parse_args()
    if not DATA.exists():
        print(f"M3 data not found at {DATA}", file=sys.stderr)
        return 1
    hist, actual, insample = load(a.split, a.subset, a.seed)
    n = hist["series_id"].nunique()
    rows = []
    fc, wall, diag = run_engine(hist, a.workers)
    rows.append({"method": "netdesign auto (statsmodels)", **score(fc, actual, insample),
                 "wall_s": wall, "wall_s_per_1000": wall / n * 1000,
                 "fallbacks": int(diag["fallback"].sum()),
                 "fit_warnings": int(diag["n_warnings"].sum())})
    if not a.no_baselines:
        for name, (sfc, swall) in run_statsforecast(hist, a.workers).items():
            rows.append({"method": f"statsforecast {name}", **score(sfc, actual, insample),
                         "wall_s": swall, "wall_s_per_1000": swall / n * 1000})
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 160)
    print(f"M3 monthly, split={a.split}, {n} series, h={H}, workers/n_jobs={a.workers}, "
          f"cpus={os.cpu_count()}")
    print(table.round(4).to_string(index=False))
    if not a.no_baselines:
        ets = table.loc[table["method"] == "statsforecast AutoETS", "wall_s"].iloc[0]
        print(f"wall-time ratio netdesign / statsforecast AutoETS: {wall / ets:.2f}")
    if a.json:
        a.json.write_text(json.dumps({"split": a.split, "n_series": n, "workers": a.workers,
                                      "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
