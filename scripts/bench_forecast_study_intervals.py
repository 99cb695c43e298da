"""The default study's backtest and its interval calibration, origin by origin.

Runs (or loads from the forecast cache, `$NETDESIGN_CACHE`) the study's rolling-origin
backtest exactly as `netdesign run` does (`pipeline.backtest_study`), then prints:
- the backtest summary (MASE, sMAPE, model-interval coverage) and the calibration factors
  fitted on all origins;
- the model intervals' coverage per origin;
- leave-one-origin-out: factors fitted on the other origins, coverage of the left-out one
  (origin 1, the latest, is what `netdesign run` prints as its out-of-sample check);
- the cross-corridor error correlation used for the joint design quantiles.

    .venv/bin/python scripts/bench_forecast_study_intervals.py configs/hangzhou.yaml
"""

from __future__ import annotations

import sys

import numpy as np


def _cover(frame, level: int) -> float:
    a = frame["actual"].to_numpy(float)
    return float(np.mean((a >= frame[f"lo_{level}"]) & (a <= frame[f"hi_{level}"])))


def main() -> int:
    from netdesign.forecast.calibration import apply_calibration, fit_calibration
    from netdesign.forecast.paths import error_correlation
    from netdesign.pipeline import backtest_study, load_study

    study = load_study(sys.argv[1] if len(sys.argv) > 1 else "configs/hangzhou.yaml")
    bt = backtest_study(study, progress=False)
    if bt is None:
        print("the study has no backtest (forecast.backtest_origins = 0)")
        return 1
    p = bt.points
    s = bt.summary
    cal = fit_calibration(p)
    print(f"{int(s['n_series'])} series x {int(s['origins'])} origins, {len(p)} points: "
          f"MASE {s['mase']:.3f}, sMAPE {s['smape']:.2f} %, model coverage 80 % "
          f"{s['coverage_80']:.3f}, 95 % {s['coverage_95']:.3f}")
    if cal is not None:
        print("factors (all origins): " + ", ".join(f"{lv} % {f:.3f}"
                                                    for lv, f in cal.factors.items()))
    print("origin  model 80 %  model 95 %  | left out: factors 80/95   calibrated 80 %  95 %")
    rows = []
    for k in sorted(p["origin"].unique()):
        test = p[p["origin"] == k]
        other = fit_calibration(p[p["origin"] != k])
        line = f"{k:6d}  {_cover(test, 80):10.3f}  {_cover(test, 95):10.3f}  |"
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
    print(f"cross-corridor error correlation: {error_correlation(p):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
