"""Reconciliation: hand-worked WLS cases, non-negativity and coherence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netdesign.errors import InputError
from netdesign.forecast import reconcile_forecasts

DATE = pd.Timestamp("2030-01-01")


def frame(means: dict[str, float], half_width: float = 5.0) -> pd.DataFrame:
    rows = []
    for sid, m in means.items():
        rows.append({"series_id": sid, "date": DATE, "mean": m,
                     "lo_80": max(m - 0.65 * half_width, 0), "hi_80": m + 0.65 * half_width,
                     "lo_95": max(m - half_width, 0), "hi_95": m + half_width, "model": "x"})
    return pd.DataFrame(rows)


HIER = pd.DataFrame({"series_id": ["a", "b"], "region": ["R", "R"]})


def test_bottom_up_without_aggregate_forecasts():
    hier = pd.DataFrame({"series_id": ["a", "b", "c"], "region": ["R", "R", "Q"]})
    out = reconcile_forecasts(frame({"a": 10, "b": 20, "c": 5}), hier).set_index("series_id")
    assert out.loc["region:R", "mean"] == pytest.approx(30)
    assert out.loc["region:Q", "mean"] == pytest.approx(5)
    assert out.loc["total", "mean"] == pytest.approx(35)
    assert out.loc["a", "mean"] == pytest.approx(10)
    # independent corridors: 95 % half-widths add in quadrature
    assert out.loc["region:R", "hi_95"] - 30 == pytest.approx(np.sqrt(50))


def test_wls_with_equal_variances_matches_hand_computation():
    # S = [[1,0],[0,1],[1,1],[1,1]], y = (10, 20, 36, 36), W = I:
    # (S'S)^-1 S'y = 1/5 [[3,-2],[-2,3]] (82, 92) = (12.4, 22.4)
    out = reconcile_forecasts(frame({"a": 10, "b": 20, "region:R": 36, "total": 36}), HIER)
    m = out.set_index("series_id")["mean"]
    assert m["a"] == pytest.approx(12.4)
    assert m["b"] == pytest.approx(22.4)
    assert m["region:R"] == pytest.approx(34.8)
    assert m["total"] == pytest.approx(34.8)


def test_negative_reconciled_values_are_set_to_zero_and_rest_reprojected():
    # unconstrained a = (3·41 − 2·90)/5 = −11.4 → a fixed at 0;
    # then min (b−50)² + 2 (b−20)² gives b = 30
    out = reconcile_forecasts(frame({"a": 1, "b": 50, "region:R": 20, "total": 20}), HIER)
    m = out.set_index("series_id")["mean"]
    assert m["a"] == pytest.approx(0.0)
    assert m["b"] == pytest.approx(30.0)
    assert m["total"] == pytest.approx(30.0)
    assert (out[["mean", "lo_80", "hi_80", "lo_95", "hi_95"]] >= 0).all().all()


def test_random_panel_is_coherent_and_nonnegative():
    rng = np.random.default_rng(0)
    ids = [f"c{i}" for i in range(12)]
    hier = pd.DataFrame({"series_id": ids, "region": [f"r{i % 3}" for i in range(12)]})
    dates = pd.date_range("2030-01-01", periods=5, freq="MS")
    rows = []
    for sid in ids + ["region:r0", "region:r1", "region:r2", "total"]:
        scale = 40 if sid.startswith("region") else (100 if sid == "total" else 10)
        for d in dates:
            m = float(rng.uniform(0, 2 * scale))
            rows.append({"series_id": sid, "date": d, "mean": m, "lo_80": 0.8 * m,
                         "hi_80": 1.2 * m + 1, "lo_95": 0.6 * m, "hi_95": 1.5 * m + 2,
                         "model": "x"})
    out = reconcile_forecasts(pd.DataFrame(rows), hier)
    assert (out[["mean", "lo_80", "hi_80", "lo_95", "hi_95"]] >= 0).all().all()
    assert (out["lo_95"] <= out["lo_80"]).all() and (out["lo_80"] <= out["mean"]).all()
    assert (out["mean"] <= out["hi_80"]).all() and (out["hi_80"] <= out["hi_95"]).all()
    piv = out.pivot(index="date", columns="series_id", values="mean")
    regions = hier.groupby("region")["series_id"].apply(list)
    for r, members in regions.items():
        np.testing.assert_allclose(piv[members].sum(axis=1), piv[f"region:{r}"], rtol=1e-9)
    np.testing.assert_allclose(piv[[f"region:{r}" for r in regions.index]].sum(axis=1),
                               piv["total"], rtol=1e-9)


def test_corridor_without_region_is_an_input_error():
    with pytest.raises(InputError, match="region for every forecast corridor"):
        reconcile_forecasts(frame({"a": 1, "zz": 2}), HIER)
