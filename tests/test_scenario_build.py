"""Design-year demand from monthly forecasts: checked against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from netdesign.config.schema import StudyConfig
from netdesign.data.network import Network
from netdesign.errors import InputError
from netdesign.scenario.build import build_scenario, design_year_demand


def _network(last_month="2024-12"):
    months = pd.period_range("2023-01", last_month, freq="M")
    hist = pd.DataFrame({
        "corridor_id": np.repeat(["A", "B"], len(months)),
        "month": list(months) * 2,
        "parcels": 1.0,
    })
    corridors = pd.DataFrame({"origin": ["x", "y"], "destination": ["y", "x"],
                              "service_class": ["domestic", "global"]},
                             index=pd.Index(["A", "B"], name="corridor_id"))
    return Network(nodes=pd.DataFrame(), links=pd.DataFrame(), hubs=pd.DataFrame(),
                   corridors=corridors, history=hist)


def _forecasts(start="2025-01", end="2026-12"):
    dates = pd.date_range(start, end, freq="MS")
    rows = []
    for sid, level in (("A", 3650.0), ("B", 730.0)):
        for d in dates:
            rows.append({"series_id": sid, "date": d, "mean": level / 12, "lo_80": 0, "hi_80":
                         2 * level / 12, "lo_95": 0, "hi_95": 3 * level / 12, "model": "t"})
    rows.append({"series_id": "total", "date": dates[0], "mean": 1e9, "lo_80": 0, "hi_80": 0,
                 "lo_95": 0, "hi_95": 0, "model": "t"})
    return pd.DataFrame(rows)


def test_mean_demand_is_annual_volume_over_days():
    # A: 3,650 parcels in 2025 (365 days) -> 10 parcels/day; B: 730 -> 2 parcels/day.
    d = design_year_demand(_forecasts(), _network(), 2025)
    assert d.loc["A"] == pytest.approx(10.0)
    assert d.loc["B"] == pytest.approx(2.0)
    assert list(d.index) == ["A", "B"]  # aggregates such as "total" are not corridors


def test_upper_quantile_and_growth_case():
    # hi_80 is twice the mean; 2026 is 2 years after the 2024 history: x 1.1**2 at +10 %/yr.
    d = design_year_demand(_forecasts(), _network(), 2026, "hi_80", growth_per_year=0.10)
    assert d.loc["A"] == pytest.approx(20.0 * 1.21)


def test_year_inside_history_uses_observed_volumes():
    # 2024 is observed: 12 months x 1 parcel over 366 days (leap year).
    d = design_year_demand(_forecasts(), _network(), 2024)
    assert d.loc["A"] == pytest.approx(12 / 366)


def test_year_beyond_forecasts_is_reported():
    with pytest.raises(InputError, match="design year"):
        design_year_demand(_forecasts(end="2025-12"), _network(), 2030)


def test_build_scenario_resolves_cases():
    cfg = StudyConfig.model_validate({
        "name": "t", "growth_cases": {"base": 0.0, "high": 0.05},
        "policies": {"none": {}, "green": {"co2_cap_t_per_day": 5,
                                           "mode_share": {"rail": {"min": 0.2}}}},
        "scenarios": [{"year": 2025, "growth": "high", "policy": "green",
                       "carbon_price_cny_per_t": 100}],
    })
    sc = build_scenario(cfg, cfg.scenarios[0], "s1", _forecasts(), _network())
    assert sc.co2_cap_t_per_day == 5
    assert sc.mode_share_bounds == {"rail": (0.2, None)}
    assert sc.carbon_price_cny_per_t == 100
    assert sc.demand.loc["A"] == pytest.approx(10.0 * 1.05)
    assert sc.params["growth"] == "high"


def test_unknown_case_is_a_config_error():
    with pytest.raises(ValueError, match="unknown case 'nope'"):
        StudyConfig.model_validate({"name": "t", "scenarios": [{"year": 2025, "growth": "nope"}]})
