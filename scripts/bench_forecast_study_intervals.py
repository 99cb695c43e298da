"""The default study's backtest and its interval calibration, origin by origin.

Runs (or loads from the forecast cache, `$NETDESIGN_CACHE`) the study's rolling-origin
backtest exactly as `netdesign run` does (`pipeline.backtest_study`), or reads saved backtest
points (`--points`, e.g. written by `scripts/bench_forecast_calendar.py --points-out`), then
prints:
- the backtest summary (MASE, sMAPE, model-interval coverage) and the calibration factors
  fitted on all origins;
- per origin: the model intervals' coverage and the forecasts' bias (median relative error
  (actual − mean) / mean, share of actuals above the mean);
- leave-one-origin-out: factors fitted on the other origins, coverage of the left-out one
  (origin 1, the latest, is what `netdesign run` prints as its out-of-sample check);
- the latest origin's calibrated coverage with factors from origins 2..k for every k;
- the cross-corridor error correlation used for the joint design quantiles.

    .venv/bin/python scripts/bench_forecast_study_intervals.py configs/hangzhou.yaml
    .venv/bin/python scripts/bench_forecast_study_intervals.py --long-history-seasons 7
    .venv/bin/python scripts/bench_forecast_study_intervals.py --points points.csv \\
        --calendar china
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd


def _cover(frame, level: int) -> float:
    a = frame["actual"].to_numpy(float)
    return float(np.mean((a >= frame[f"lo_{level}"]) & (a <= frame[f"hi_{level}"])))


def main() -> int:
    from netdesign.forecast.calibration import apply_calibration, fit_calibration
    from netdesign.forecast.paths import error_correlation
    from netdesign.pipeline import backtest_study, load_study

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", nargs="?", default="configs/hangzhou.yaml")
    ap.add_argument("--points", default=None, help="saved backtest points (CSV)")
    ap.add_argument("--calendar", default=None,
                    help="with --points: keep the rows of this `calendar` column value")
    ap.add_argument("--long-history-seasons", type=int, default=None, metavar="N",
                    help="run the backtest with the Holt-Winters long-history weight from N "
                         "seasons of history (model.LONG_HISTORY_SEASONS; default: the "
                         "engine's), serially in this process and without the cache")
    args = ap.parse_args()
    if args.long_history_seasons is not None and not args.points:
        from dataclasses import replace

        from netdesign.forecast import backtest_panel
        from netdesign.forecast import model as model_mod
        from netdesign.pipeline import backtest_corridors, forecast_settings, history_long

        model_mod.LONG_HISTORY_SEASONS = args.long_history_seasons
        study = load_study(args.config)
        f = study.cfg.forecast
        history = history_long(study.network)
        history = history[history["series_id"].isin(backtest_corridors(study))]
        settings = replace(forecast_settings(study.cfg, False), workers=1)
        bt = backtest_panel(history, f.backtest_horizon, settings, origins=f.backtest_origins)
        p, s = bt.points, bt.summary
        print(f"long-history weight from {args.long_history_seasons} seasons: "
              f"{int(s['n_series'])} series x {int(s['origins'])} origins, {len(p)} points: "
              f"MASE {s['mase']:.3f}, sMAPE {s['smape']:.2f} %, model coverage 80 % "
              f"{s['coverage_80']:.3f}, 95 % {s['coverage_95']:.3f}")
    elif args.points:
        p = pd.read_csv(args.points)
        if args.calendar is not None:
            p = p[p["calendar"] == args.calendar]
        print(f"{p['series_id'].nunique()} series x {p['origin'].nunique()} origins, "
              f"{len(p)} points from {args.points}")
    else:
        study = load_study(args.config)
        bt = backtest_study(study, progress=False)
        if bt is None:
            print("the study has no backtest (forecast.backtest_origins = 0)")
            return 1
        p = bt.points
        s = bt.summary
        print(f"{int(s['n_series'])} series x {int(s['origins'])} origins, {len(p)} points: "
              f"MASE {s['mase']:.3f}, sMAPE {s['smape']:.2f} %, model coverage 80 % "
              f"{s['coverage_80']:.3f}, 95 % {s['coverage_95']:.3f}")
    cal = fit_calibration(p)
    if cal is not None:
        print("factors (all origins): " + ", ".join(f"{lv} % {f:.3f}"
                                                    for lv, f in cal.factors.items()))
    print("origin  bias median  share above  model 80 %  model 95 %  | left out: "
          "factors 80/95   calibrated 80 %  95 %")
    rows = []
    for k in sorted(p["origin"].unique()):
        test = p[p["origin"] == k]
        other = fit_calibration(p[p["origin"] != k])
        rel = (test["actual"] - test["mean"]) / test["mean"].where(test["mean"] > 0)
        above = float(np.mean(test["actual"] > test["mean"]))
        line = (f"{k:6d}  {float(np.nanmedian(rel)):+11.3f}  {above:11.3f}  "
                f"{_cover(test, 80):10.3f}  {_cover(test, 95):10.3f}  |")
        if other is not None:
            scaled = apply_calibration(test, other)
            c80, c95 = _cover(scaled, 80), _cover(scaled, 95)
            rows.append((c80, c95))
            line += (f" {other.factors[80]:6.3f} {other.factors[95]:6.3f}"
                     f"   {c80:15.3f}  {c95:.3f}")
        print(line)
    if rows:
        m = np.mean(rows, axis=0)
        print(f"leave-one-origin-out mean: calibrated 80 % {m[0]:.3f}, 95 % {m[1]:.3f}")
    latest = p[p["origin"] == 1]
    for k in range(3, int(p["origin"].max()) + 1):
        c = fit_calibration(p[(p["origin"] >= 2) & (p["origin"] <= k)])
        if c is None or latest.empty:
            continue
        scaled = apply_calibration(latest, c)
        print(f"latest origin, factors from origins 2..{k}: factors "
              f"{c.factors[80]:.3f} / {c.factors[95]:.3f}, calibrated 80 % "
              f"{_cover(scaled, 80):.3f}, 95 % {_cover(scaled, 95):.3f}")
    print(f"cross-corridor error correlation: {error_correlation(p):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
