"""Designs -> results Dataset: shapes, units, derived figures checked by hand."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from netdesign.data.network import Network
from netdesign.optimise.solution import Design
from netdesign.results import design_to_dataset, failed_scenario_dataset, summary_table
from netdesign.results.io import read_results, write_dataset_atomic
from netdesign.scenario.scenario import Scenario


@pytest.fixture()
def network():
    corridors = pd.DataFrame({"origin": ["a", "b", "a"], "destination": ["b", "a", "c"],
                              "service_class": ["domestic", "domestic", "global"]},
                             index=pd.Index(["a>b", "b>a", "a>c"], name="corridor_id"))
    hubs = pd.DataFrame({"capacity_parcels_per_day": [100.0, 50.0],
                         "module_parcels_per_day": [10.0, 20.0]},
                        index=pd.Index(["H1", "H2"], name="hub_id"))
    links = pd.DataFrame({"from_node": ["a", "H1"], "to_node": ["H1", "b"],
                          "mode": ["road", "rail"]}, index=pd.Index(["l1", "l2"], name="link_id"))
    return Network(nodes=pd.DataFrame(), links=links, hubs=hubs, corridors=corridors,
                   history=pd.DataFrame())


def _design():
    flow = pd.DataFrame({"road": [6.0, 4.0, 0.0], "rail": [2.0, 0.0, 0.0],
                         "water": 0.0, "air": [0.0, 0.0, 1.0]}, index=["a>b", "b>a", "a>c"])
    return Design(
        corridor_flow=flow,
        unserved=pd.Series([0.0, 1.0, 0.0], index=flow.index),
        late=pd.Series([2.0, 0.0, 0.0], index=flow.index),
        links=pd.DataFrame({"flow_parcels_per_day": [8.0, 2.0], "modules_added": [0.0, 1.0],
                            "capacity_parcels_per_day": [10.0, 5.0],
                            "departures_per_week": [7.0, 14.0]}, index=["l1", "l2"]),
        hubs=pd.DataFrame({"throughput_parcels_per_day": [50.0, 0.0], "modules_added": [2, 0],
                           "capacity_parcels_per_day": [120.0, 50.0], "is_open": [1, 0]},
                          index=["H1", "H2"]),
        parcel_km={"road": 300.0, "rail": 100.0, "water": 0.0, "air": 600.0},
        costs={"transport": 10.0, "handling": 2.0, "capacity": 3.0, "carbon": 0.0,
               "late_penalty": 1.0, "unserved_penalty": 5.0, "total": 21.0},
        co2_t_per_day=0.5,
        report={"status": "optimal", "gap": 0.001, "objective": 21.0, "best_bound": 20.98},
    )


def _scenario():
    demand = pd.Series([10.0, 5.0, 1.0], index=["a>b", "b>a", "a>c"])
    return Scenario(name="s1", year=2035, demand=demand,
                    params={"growth": "base", "costs": "base", "policy": "none"})


def test_headline_figures(network):
    ds = design_to_dataset(network, _scenario(), _design())
    # parcel-km shares: 300, 100, 0, 600 of 1000
    np.testing.assert_allclose(ds["mode_share"].sel(scenario="s1").values, [0.3, 0.1, 0.0, 0.6])
    # on time = demand - unserved - late = (10-0-2) + (5-1-0) + 1 = 13 of 16
    assert float(ds["on_time_share"][0]) == pytest.approx(13 / 16)
    # domestic: (8 + 4) / 15; global: 1 / 1
    by_class = ds["on_time_share_by_class"].sel(scenario="s1")
    assert float(by_class.sel(service_class="domestic")) == pytest.approx(12 / 15)
    assert float(by_class.sel(service_class="global")) == pytest.approx(1.0)
    # 2 modules of 10 parcels/day at H1
    np.testing.assert_allclose(ds["hub_capacity_added"].values[0], [20.0, 0.0])
    assert float(ds["hub_utilisation"].sel(hub="H1")[0]) == pytest.approx(50 / 120)
    assert ds["flow"].attrs["units"] == "parcels/day"
    assert float(ds["total_cost"][0]) == 21.0
    assert str(ds["status"].values[0]) == "optimal"
    assert json.loads(ds.attrs["solver_report"])["best_bound"] == 20.98


def test_summary_and_failed_scenario(network, tmp_path: Path):
    ok = design_to_dataset(network, _scenario(), _design())
    bad_sc = Scenario(name="s2", year=2025, demand=_scenario().demand)
    bad = failed_scenario_dataset(network, bad_sc, "error", "worker died")
    both = xr.concat([ok.assign_attrs({}), bad.assign_attrs({})], dim="scenario")
    table = summary_table(both)
    assert list(table["scenario"]) == ["s1", "s2"]
    assert table.loc[1, "status"] == "error" and table.loc[1, "message"] == "worker died"
    assert np.isnan(table.loc[1, "total_cost_cny_per_day"])
    assert table.loc[0, "share_air"] == pytest.approx(0.6)
    path = tmp_path / "r.nc"
    write_dataset_atomic(both, path)
    back = read_results(path)
    assert list(back["scenario"].values) == ["s1", "s2"]
    assert [p.name for p in tmp_path.iterdir()] == ["r.nc"]  # no temp file left behind


def test_design_without_solution_has_no_figures(network):
    """An infeasible solve must not look like a perfect one (on time 100 %, nothing unserved)."""
    design = _design()
    design.report = {"status": "infeasible", "message": "CO2 cap 0 t/day cannot be met"}
    ds = design_to_dataset(network, _scenario(), design)
    for name in ("on_time_share", "unserved_total", "total_cost", "co2"):
        assert np.isnan(float(ds[name][0])), name
    assert np.isnan(ds["flow"].values).all()
    assert str(ds["status"].values[0]) == "infeasible"
    assert "CO2 cap" in str(ds["message"].values[0])
    np.testing.assert_allclose(ds["demand"].values[0], [10.0, 5.0, 1.0])  # demand still shown


def test_one_summary_table_serves_results_files_of_every_age():
    """The report, compare and export read `statistics(ds).headline()` (results/summary.py),
    the one summary table; a file written before `unserved_total`, `message`,
    `economic_cost` or `hub_utilisation_peak` existed still gives every column: unserved
    from the corridors, the message from the solver reports, the rest NaN."""
    from netdesign.report import tables
    from netdesign.results.statistics import statistics
    from netdesign.results.summary import SUMMARY_COLUMNS
    from tests.report_fixtures import build_results

    assert not hasattr(tables, "summary_table")  # the report's copy is gone
    ds = build_results(failed="2035-high")
    assert "unserved_total" not in ds and "message" not in ds
    head = statistics(ds).headline().set_index("scenario")
    assert list(head.columns) == list(SUMMARY_COLUMNS[1:])
    by_hand = {s: float(ds["unserved"].sel(scenario=s).sum()) for s in ("2030-base",
                                                                          "2035-high-co2_300")}
    for s, v in by_hand.items():
        assert head.loc[s, "unserved_parcels_per_day"] == pytest.approx(v)
    failed = head.loc["2035-high"]
    assert failed["message"] == "solver crashed (synthetic)"
    # a scenario without a solution has no capacity figure (not 0 parcels/day added)
    assert np.isnan(failed["hub_capacity_added_parcels_per_day"])
    assert np.isnan(failed["unserved_parcels_per_day"])
    # economic and penalty cost from the cost components (older results), by hand
    for s in by_hand:
        c = ds["cost"].sel(scenario=s)
        assert head.loc[s, "economic_cost_cny_per_day"] == pytest.approx(float(
            c.sel(cost_component=["transport", "handling", "capacity", "carbon"]).sum()))
        assert head.loc[s, "penalty_cost_cny_per_day"] == pytest.approx(float(
            c.sel(cost_component=["late_penalty", "unserved_penalty"]).sum()))
    assert np.isnan(failed["economic_cost_cny_per_day"])
    assert (head["peak_factor"] == 1.0).all()
