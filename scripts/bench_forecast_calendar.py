"""Backtest the Chinese calendar adjustment (`forecast.calendar`) with and without, side by side.

Rolling-origin backtest (`backtest_panel`, the study's settings: 12-month horizon, 3 origins)
of the default study's corridors, the same fixed sample that `netdesign run` backtests
(`pipeline.backtest_corridors`, 500 corridors by the SHA-256 of their ids), once with
`calendar: none` and once with `calendar: china`, in the same process. Prints MASE, sMAPE and
interval coverage (model intervals, not calibrated) overall and for the January–February
points alone (where the Spring Festival moves), and how many corridors got the adjustment.

    NETDESIGN_CACHE=/tmp/nd_cache .venv/bin/python scripts/bench_forecast_calendar.py --workers 2
    .venv/bin/python scripts/bench_forecast_calendar.py --series 200 --origins 5 \
        --json calendar.json --points-out points.csv
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.forecast import backtest_panel
from netdesign.forecast.parallel import local_client
from netdesign.pipeline import backtest_corridors, forecast_settings, history_long, load_study

ROOT = Path(__file__).resolve().parents[1]


def point_scores(points: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Per backtest point: |error| / in-sample seasonal-naive MAE of its series (full
    history up to the origin is not kept in points, so the scale is the series' whole-history
    seasonal-naive MAE: the same for both runs, fine for a paired comparison), and the
    target's calendar month."""
    scale = {}
    for sid, g in history.groupby("series_id"):
        v = g.sort_values("date")["value"].to_numpy(float)
        d = np.abs(v[12:] - v[:-12])
        scale[sid] = float(np.nanmean(d)) if d.size else np.nan
    out = points.copy()
    out["ase"] = np.abs(out["actual"] - out["mean"]) / out["series_id"].map(scale)
    return out


def summary(bt, history: pd.DataFrame) -> dict[str, float]:
    s = {k: float(bt.summary[k]) for k in ("mase", "smape", "coverage_80", "coverage_95")}
    pts = point_scores(bt.points, history)
    last = history.groupby("series_id")["date"].max()
    # target month of each point: series' last date - (origin * h) + step
    h = int(bt.points["step"].max())
    end = pd.to_datetime(pts["series_id"].map(last)).dt.to_period("M")
    target = end - (pts["origin"] * h) + pts["step"]
    month = np.array([p.month for p in target])
    s["mase_jan_feb"] = float(pts.loc[np.isin(month, (1, 2)), "ase"].mean())
    s["mase_other_months"] = float(pts.loc[~np.isin(month, (1, 2)), "ase"].mean())
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "configs/hangzhou.yaml"))
    ap.add_argument("--series", type=int, default=None,
                    help="corridors (default: the study's backtest sample)")
    ap.add_argument("--origins", type=int, default=None, help="default: the study's")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None)
    ap.add_argument("--points-out", default=None,
                    help="write every backtest point of both runs (CSV, column calendar); "
                         "scripts/bench_forecast_study_intervals.py --points reads it")
    args = ap.parse_args()
    study = load_study(args.config)
    f = study.cfg.forecast
    if args.series is not None:
        study = replace(study, cfg=study.cfg.model_copy(update={
            "forecast": f.model_copy(update={"backtest_series": args.series})}))
    origins = args.origins or f.backtest_origins
    history = history_long(study.network)
    history = history[history["series_id"].isin(backtest_corridors(study))]
    base = replace(forecast_settings(study.cfg, progress=False), workers=args.workers)
    out: dict[str, dict] = {}
    all_points = []
    with local_client(args.workers) as client:
        for cal in ("none", "china"):
            t0 = time.perf_counter()
            bt = backtest_panel(history, f.backtest_horizon, replace(base, calendar=cal),
                                origins=origins, client=client)
            s = summary(bt, history)
            s["seconds"] = time.perf_counter() - t0
            s["adjusted_series_latest_origin"] = int(
                bt.per_series["model"].str.contains("calendar", regex=False).sum())
            out[cal] = s
            all_points.append(bt.points.assign(calendar=cal))
    n = history["series_id"].nunique()
    print(f"default study backtest: {n} corridors, {origins} origins, "
          f"{f.backtest_horizon} months (model intervals)")
    cols = list(out["none"])
    print(f"{'':32s}{'none':>12s}{'china':>12s}")
    for c in cols:
        print(f"{c:32s}{out['none'][c]:12.4f}{out['china'][c]:12.4f}")
    if args.points_out:
        pd.concat(all_points, ignore_index=True).to_csv(args.points_out, index=False)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
