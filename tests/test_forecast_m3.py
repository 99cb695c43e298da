"""The engine on real competition data (a fixed M3 monthly subset; needs ../shared)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netdesign.forecast import ForecastSettings, forecast_panel
from netdesign.forecast.metrics import coverage, mase, smape

M3 = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "forecasting" / "m3-monthly"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not M3.exists(), reason=f"M3 data not found at {M3} (../shared absent)"),
]


def test_engine_beats_seasonal_naive_on_m3_subset_with_calibrated_intervals():
    train = pd.read_csv(M3 / "m3_monthly_train.csv")
    test = pd.read_csv(M3 / "m3_monthly_test.csv")
    ids = np.sort(train["unique_id"].unique())[::36]   # 40 series spread over the set
    hist = []
    for uid in ids:
        y = train.loc[train["unique_id"] == uid].sort_values("t")["y"].to_numpy(float)
        months = pd.period_range("1990-01", periods=len(y), freq="M").to_timestamp()
        hist.append(pd.DataFrame({"series_id": uid, "date": months, "value": y}))
    history = pd.concat(hist, ignore_index=True)
    res = forecast_panel(history, 18, ForecastSettings(workers=1, progress=False))
    ours, naive, cov95 = [], [], []
    for uid in ids:
        y = history.loc[history["series_id"] == uid, "value"].to_numpy()
        a = test.loc[test["unique_id"] == uid].sort_values("t")["y"].to_numpy(float)
        f = res.forecasts[res.forecasts["series_id"] == uid]
        snaive = y[-12:][np.arange(18) % 12]
        ours.append((smape(a, f["mean"]), mase(a, f["mean"], y, 12)))
        naive.append((smape(a, snaive), mase(a, snaive, y, 12)))
        cov95.append(coverage(a, f["lo_95"], f["hi_95"]))
    ours_m, naive_m = np.mean(ours, axis=0), np.mean(naive, axis=0)
    assert ours_m[0] < naive_m[0] and ours_m[1] < naive_m[1]
    assert 0.8 <= np.mean(cov95) <= 1.0
    assert not res.diagnostics["fallback"].any()
