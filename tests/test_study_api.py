"""The scripting API: `netdesign.Study`, dotted overrides, saved forecasts, statistics."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import netdesign as nd
from netdesign.config.overrides import apply_overrides
from netdesign.data.network import Network
from netdesign.errors import InputError
from netdesign.optimise.solution import Design
from netdesign.results import design_to_dataset
from netdesign.results.statistics import statistics
from netdesign.scenario.scenario import Scenario
from netdesign.study import read_forecasts


@pytest.fixture(scope="module")
def tiny_study(tiny_config):
    return nd.Study.load(tiny_config)


def flat_forecasts(network: Network, years=range(2025, 2031)) -> pd.DataFrame:
    """Every corridor's 2024 months repeated for each later year (mean; intervals +-10/20 %)."""
    h = network.history
    last = h[h["month"].dt.year == 2024]
    rows = []
    for year in years:
        for cid, month, parcels in zip(last["corridor_id"], last["month"], last["parcels"],
                                       strict=True):
            rows.append({"series_id": cid, "date": f"{year}-{month.month:02d}-01",
                         "mean": parcels, "lo_80": 0.9 * parcels, "hi_80": 1.1 * parcels,
                         "lo_95": 0.8 * parcels, "hi_95": 1.2 * parcels})
    return pd.DataFrame(rows)


# --- loading and overrides ---------------------------------------------------------------------
def test_import_netdesign_is_lazy():
    """`import netdesign` loads none of the stages (pyomo, xarray, statsmodels stay unloaded)."""
    code = ("import sys, netdesign; heavy = [m for m in ('pyomo', 'xarray', 'statsmodels', "
            "'netdesign.study') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
    assert set(nd.__all__) >= {"Study", "statistics", "open_results", "InputError"}


def test_load_from_a_mapping_equals_load_from_the_file(tiny_config):
    import yaml

    raw = yaml.safe_load(tiny_config.read_text(encoding="utf-8"))
    a = nd.Study.load(raw, base_dir=tiny_config.parent)
    b = nd.Study.load(tiny_config)
    assert a.cfg == b.cfg.model_copy(update={"config_dir": a.cfg.config_dir,
                                              "config_file": None})
    assert a.network.version == b.network.version


def test_dotted_override_changes_one_value_and_validates(tiny_study):
    new = tiny_study.with_overrides({"service.late_penalty_cny_per_parcel": 10,
                                     "policies.co2_cap.co2_cap_t_per_day": 300,
                                     "solver.time_limit_s": 5})
    assert new.cfg.service.late_penalty_cny_per_parcel == 10
    assert new.cfg.policies["co2_cap"].co2_cap_t_per_day == 300
    assert new.cfg.solver.time_limit_s == 5
    assert new.cfg.service.collection_h == tiny_study.cfg.service.collection_h
    assert tiny_study.cfg.service.late_penalty_cny_per_parcel == 15.0  # the original unchanged
    assert new.network is tiny_study.network  # data not re-read
    assert new.cfg.config_file == tiny_study.cfg.config_file  # errors still name the file
    # a field the file leaves to its default stays unset (the sweep reads model_fields_set)
    assert "seed" not in new.cfg.solver.model_fields_set
    assert "time_limit_s" in new.cfg.solver.model_fields_set


@pytest.mark.parametrize(("key", "says"), [
    ("service.late_penalty", "did you mean 'late_penalty_cny_per_parcel'"),
    ("servce.policy", "did you mean 'service'"),
    ("solver.time_limit_s.seconds", "it is a value, not a section"),
    ("policies.co2_cap.co2cap", "did you mean 'co2_cap_t_per_day'"),
    ("service..policy", "a dotted key of config fields"),
])
def test_unknown_override_key_is_named(tiny_study, key, says):
    with pytest.raises(InputError) as err:
        tiny_study.with_overrides({key: 1})
    (problem,) = err.value.problems
    assert problem.source == "overrides" and problem.location == key
    assert says in problem.expected


def test_invalid_override_value_reports_key_and_value(tiny_study):
    with pytest.raises(InputError) as err:
        tiny_study.with_overrides({"service.late_penalty_cny_per_parcel": -1,
                                   "solver.mip_rel_gap": 2})
    where = {p.location: p.value for p in err.value.problems}
    assert where == {"service.late_penalty_cny_per_parcel": -1, "solver.mip_rel_gap": 2}


def test_override_naming_a_hub_the_data_lack_is_an_error(tiny_study):
    """The config <-> data cross check runs again although the data are not re-read."""
    with pytest.raises(InputError) as err:
        tiny_study.with_overrides({"policies.co2_cap.hub_capacity_cap": {"HUB_NOWHERE": 1000}})
    assert any(p.value == "HUB_NOWHERE" or "HUB_NOWHERE" in str(p) for p in err.value.problems)


def test_override_of_a_whole_mapping_replaces_it(tiny_study):
    cfg = apply_overrides(tiny_study.cfg, {"growth_cases": {"base": 0.0, "fast": 0.1}})
    assert cfg.growth_cases == {"base": 0.0, "fast": 0.1}


def test_override_naming_an_unknown_case_in_a_scenario_is_an_error(tiny_study):
    with pytest.raises(InputError) as err:
        tiny_study.with_overrides({"growth_cases": {"only": 0.0}})
    assert any("growth" in p.location for p in err.value.problems)


# --- forecasts -------------------------------------------------------------------------------
def test_forecast_cache_key_ignores_solver_but_not_forecast_settings(tiny_study):
    key = tiny_study._forecast_key()
    assert tiny_study.with_overrides({"solver.time_limit_s": 1})._forecast_key() == key
    assert tiny_study.with_overrides({"forecast.workers": 2})._forecast_key() == key
    assert tiny_study.with_overrides({"forecast.method": "theta"})._forecast_key() != key
    # a later design year lengthens the horizon
    later = tiny_study.with_overrides({"scenarios": [{"year": 2040}]})
    assert later._forecast_key()[3] > key[3]


def test_saved_forecasts_are_used_and_checked(tiny_study, tmp_path):
    fc = flat_forecasts(tiny_study.network)
    path = tmp_path / "forecasts.csv"
    fc.to_csv(path, index=False)
    study = tiny_study.with_forecasts(path)
    assert len(study.forecast()) == len(fc)
    # a corridor missing, a negative value, a column missing: each named
    bad = fc[fc["series_id"] != "CITY_LA>HZ_XIHU"].copy()
    bad.loc[bad.index[3], "hi_95"] = -5
    with pytest.raises(InputError) as err:
        read_forecasts(bad, tiny_study.network.corridors.index)
    found = {(p.location, p.field) for p in err.value.problems}
    assert ("row 4", "hi_95") in found and ("series_id", "series_id") in found
    with pytest.raises(InputError, match="a column named lo_95"):
        read_forecasts(fc.drop(columns="lo_95"), tiny_study.network.corridors.index)


# --- scenarios -----------------------------------------------------------------------------
def test_scenario_demand_from_saved_forecasts(tiny_study):
    """Flat forecasts repeat 2024, so 2030 demand = 2024 parcels / 365 days (2030 is not a
    leap year), times 1.03 ** 6 under the `high` growth case (+3 %/yr after 2024)."""
    study = tiny_study.with_forecasts(flat_forecasts(tiny_study.network))
    h = study.network.history
    per_day_2024 = h[h["month"].dt.year == 2024].groupby("corridor_id")["parcels"].sum() / 365
    base = study.scenario(year=2030)
    high = study.scenario(year=2030, growth="high", carbon_price_cny_per_t=200)
    pd.testing.assert_series_equal(base.demand, per_day_2024.reindex(base.demand.index),
                                   check_names=False)
    np.testing.assert_allclose(high.demand, base.demand * 1.03 ** 6)
    assert high.carbon_price_cny_per_t == 200
    assert high.name == "2030_g-high_c-base_co2-200_p-none"


def test_scenario_by_name_and_bad_names(tiny_study):
    study = tiny_study.with_forecasts(flat_forecasts(tiny_study.network))
    assert study.scenario("2025_g-base_c-base_co2-0_p-none").year == 2025
    with pytest.raises(InputError, match="one of the study's scenarios"):
        study.scenario("base_2099")
    with pytest.raises(InputError) as err:
        study.scenario(year=2030, policy="rail_push", costs="dear")
    assert {p.location for p in err.value.problems} == {"policy", "costs"}
    with pytest.raises(InputError) as err:
        study.scenario(year=2030, carbon_price=5)
    assert err.value.problems[0].location == "carbon_price"


def test_solve_returns_design_report_and_kpis(tiny_study):
    """One solve of the tiny study with flat forecasts; the KPIs agree with the design."""
    events = []
    study = nd.Study.load(tiny_study.cfg, progress=events.append,
                          forecasts=flat_forecasts(tiny_study.network))
    solved = study.solve(year=2025, carbon_price_cny_per_t=100)
    assert solved.report.status == "optimal"
    shares = solved.mode_shares()
    pkm = pd.Series(solved.design.parcel_km)
    pd.testing.assert_series_equal(shares, (pkm / pkm.sum()).reindex(shares.index),
                                   check_names=False)
    assert solved.mode_shares(by="parcels").sum() == pytest.approx(1.0)
    assert solved.costs["carbon"] == pytest.approx(100 * solved.co2_t_per_day)
    assert solved.costs["total"] == pytest.approx(solved.design.costs["total"])
    assert set(solved.on_time_by_class.index) == {"domestic", "neighbouring", "global", "all"}
    assert 0 <= solved.hub_utilisation.max() <= 1 + 1e-9
    assert [(e.stage, e.done, e.total) for e in events] == [("solve", 0, 1), ("solved", 1, 1)]


# --- statistics ------------------------------------------------------------------------------
def _two_scenarios() -> xr.Dataset:
    corridors = pd.DataFrame({"origin": ["a", "a"], "destination": ["b", "c"],
                              "service_class": ["domestic", "global"]},
                             index=pd.Index(["a>b", "a>c"], name="corridor_id"))
    hubs = pd.DataFrame({"capacity_parcels_per_day": [100.0], "module_parcels_per_day": [10.0]},
                        index=pd.Index(["H"], name="hub_id"))
    links = pd.DataFrame({"from_node": ["a"], "to_node": ["H"], "mode": ["road"]},
                         index=pd.Index(["l"], name="link_id"))
    net = Network(nodes=pd.DataFrame(), links=links, hubs=hubs, corridors=corridors,
                  history=pd.DataFrame())
    parts = []
    for name, road, rail, pkm_road, pkm_rail, late in (("s1", 6.0, 2.0, 300.0, 100.0, 1.0),
                                                       ("s2", 2.0, 6.0, 100.0, 900.0, 0.0)):
        flow = pd.DataFrame({"road": [road, 0.0], "rail": [rail, 0.0], "water": 0.0,
                             "air": [0.0, 2.0]}, index=corridors.index)
        design = Design(
            corridor_flow=flow, unserved=pd.Series(0.0, index=flow.index),
            late=pd.Series([late, 0.0], index=flow.index),
            links=pd.DataFrame({"flow_parcels_per_day": [8.0], "modules_added": [0.0],
                                "capacity_parcels_per_day": [10.0],
                                "departures_per_week": [7.0]}, index=["l"]),
            hubs=pd.DataFrame({"throughput_parcels_per_day": [road + rail],
                               "modules_added": [0], "capacity_parcels_per_day": [40.0],
                               "is_open": [1]}, index=["H"]),
            parcel_km={"road": pkm_road, "rail": pkm_rail, "water": 0.0, "air": 0.0},
            costs={"transport": 10.0, "handling": 2.0, "capacity": 3.0, "carbon": 1.0,
                   "late_penalty": late, "unserved_penalty": 0.0, "total": 16.0 + late},
            co2_t_per_day=0.25, report={"status": "optimal"})
        scenario = Scenario(name=name, year=2030, demand=pd.Series([8.0, 2.0], index=flow.index),
                            carbon_price_cny_per_t=4.0, params={"policy": "none"})
        parts.append(design_to_dataset(net, scenario, design))
    return xr.concat(parts, dim="scenario", data_vars="minimal", coords="minimal",
                     compat="override")


def test_statistics_by_hand():
    """s1: road 6 + rail 2 of 8 parcels on a>b, air 2 on a>c; parcel-km road 300, rail 100.
    s2: road 2, rail 6; parcel-km road 100, rail 900. s1 has 1 late parcel on a>b (domestic)."""
    stats = statistics(_two_scenarios())
    pkm = stats.mode_shares()
    assert pkm.loc["s1"].tolist() == pytest.approx([0.75, 0.25, 0.0, 0.0])
    assert pkm.loc["s2"].tolist() == pytest.approx([0.1, 0.9, 0.0, 0.0])
    parcels = stats.mode_shares(by="parcels")
    assert parcels.loc["s1"].tolist() == pytest.approx([0.6, 0.2, 0.0, 0.2])
    on_time = stats.on_time()
    assert on_time.loc["s1", "domestic"] == pytest.approx(7 / 8)
    assert on_time.loc["s1", "all"] == pytest.approx(9 / 10)
    assert on_time.loc["s2", "all"] == pytest.approx(1.0)
    costs = stats.costs()
    assert costs.loc["s1", "total"] == 17.0 and costs.loc["s2", "late_penalty"] == 0.0
    assert stats.utilisation().loc["s2", "H"] == pytest.approx(8 / 40)
    assert stats.co2().tolist() == [0.25, 0.25] and stats.co2().attrs["unit"] == "t CO2/day"
    long = stats.mode_shares(long=True)
    assert list(long.columns) == ["scenario", "mode", "value"] and len(long) == 8
    assert stats.scenarios()["carbon_price"].tolist() == [4.0, 4.0]
    assert stats.headline()["share_rail"].tolist() == pytest.approx([0.25, 0.9])
    with pytest.raises(ValueError, match="by must be"):
        stats.mode_shares(by="tonnes")


def test_statistics_rejects_a_foreign_dataset():
    with pytest.raises(ValueError, match="missing"):
        statistics(xr.Dataset({"x": ("a", [1.0])}))
