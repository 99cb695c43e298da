"""`report/robust.py`: draws as box plots, disruptions as a table (synthetic datasets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.report.robust import disruption_table, export_robust, robust_sections


def _draws() -> xr.Dataset:
    n = 5
    return xr.Dataset({
        "total_cost": ("draw", np.linspace(1e6, 2e6, n)),
        "unserved": (("draw", "corridor"), np.zeros((n, 2))),
        "late": (("draw", "corridor"), np.ones((n, 2))),
        "hub_utilisation": (("draw", "hub"), np.full((n, 1), 0.5)),
    }, coords={"draw": np.arange(n), "design": "base_2035"})


def _stress() -> xr.Dataset:
    return xr.Dataset({
        "stress_days": ("disruption", [3, 7]),
        "stress_extra_cost": ("disruption", [6e6, 7e6]),
        "stress_unserved": ("disruption", [10.0, 0.0]),
        "stress_backlog": ("disruption", [100.0, 5.0]),
        "stress_late": ("disruption", [50.0, 1.0]),
        "stress_description": ("disruption", ["typhoon", "port"]),
    }, coords={"disruption": ["typhoon_hgh", "ningbo"], "design": "base_2035"})


def test_sections_and_table(tmp_path):
    secs = robust_sections([_draws(), _stress()], "en")
    assert [s[0] for s in secs] == ["robust_draws_0", "robust_stress_1"]
    assert secs[0][2] is not None and "5 joint demand draws" in secs[0][3]
    t = disruption_table(_stress(), "en")
    assert t.loc["typhoon_hgh", "per outage day, M CNY"] == 2.0
    assert "typhoon_hgh" in secs[1][3]
    path = export_robust([_draws(), _stress()], tmp_path / "robust.xlsx")
    with pd.ExcelFile(path) as xl:
        assert set(xl.sheet_names) == {"draws_0", "stress_1"}


def _value() -> xr.Dataset:
    """The hand case of tests/test_saa.py as `netdesign robust-design` writes it: costs 250
    and 2,650 (mean design), 0 and 2,800 (SAA design) CNY/day on two fresh draws."""
    ds = xr.Dataset({"total_cost": (("plan", "draw"), [[250.0, 2650.0], [0.0, 2800.0]])},
                    coords={"plan": ["mean_forecast", "saa"], "draw": [0, 1]})
    ds.attrs.update(value_vss_cny_per_day=50.0, value_evpi_cny_per_day=150.0,
                    value_mean_design_cost_cny_per_day=1450.0,
                    value_saa_design_cost_cny_per_day=1400.0, value_hindsight_draws=2.0,
                    saa_scenarios=2, evaluated_design="line")
    return ds


def test_value_section_and_sheet(tmp_path):
    secs = robust_sections([_value(), _draws()], "en")
    assert [s[0] for s in secs] == ["robust_value_0", "robust_draws_1"]
    cid, title, fig, body = secs[0]
    assert "line" in title and len(fig.data) == 2
    # million CNY/day: VSS 50 CNY/day = 0.00005 M, rounded to 3 decimals
    assert "VSS" in body and "EVPI" in body and "over the first 2 fresh draws" in body
    no_h = _value()
    no_h.attrs["value_hindsight_draws"] = 0.0
    assert "hindsight" not in robust_sections([no_h], "en")[0][3]
    from netdesign.report.robust import value_table

    t = value_table(_value(), "en")
    assert t.loc["E cost, mean-forecast design"].iloc[0] == 0.001  # 1,450 CNY/day
    assert list(fig.data[1].y) == [0.0, 0.0028]
    path = export_robust([_value()], tmp_path / "v.xlsx")
    with pd.ExcelFile(path) as xl:
        assert set(xl.sheet_names) == {"value_0", "value_draws_0"}
