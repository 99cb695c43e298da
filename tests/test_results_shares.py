"""Results: economic vs penalty cost, on-time share per class and segment, mode shares by
parcels / parcel-km / tonne-km split domestic / international (figures worked by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from netdesign.data.network import Network
from netdesign.optimise.solution import Design
from netdesign.results import design_to_dataset, failed_scenario_dataset, summary_table
from netdesign.scenario.scenario import Scenario, Segment

MODES = ["road", "rail", "water", "air"]


@pytest.fixture()
def network():
    nodes = pd.DataFrame({"country": ["CN", "CN", "US"]},
                         index=pd.Index(["a", "b", "c"], name="node_id"))
    corridors = pd.DataFrame({"origin": ["a", "b", "a"], "destination": ["b", "a", "c"],
                              "service_class": ["domestic", "domestic", "global"],
                              "segment": ["parcel", None, "direct_mail"]},
                             index=pd.Index(["a>b", "b>a", "a>c"], name="corridor_id"))
    hubs = pd.DataFrame({"capacity_parcels_per_day": [100.0],
                         "module_parcels_per_day": [10.0]},
                        index=pd.Index(["H1"], name="hub_id"))
    links = pd.DataFrame({"from_node": ["a"], "to_node": ["H1"], "mode": ["road"]},
                         index=pd.Index(["l1"], name="link_id"))
    return Network(nodes=nodes, links=links, hubs=hubs, corridors=corridors,
                   history=pd.DataFrame())


def _design() -> Design:
    """a>b: 6 road (100 km each), 2 rail (1,000 km); b>a: 4 road (100 km), 1 unserved;
    a>c: 1 air (10,000 km). 2 parcels of a>b late."""
    idx = ["a>b", "b>a", "a>c"]
    flow = pd.DataFrame({"road": [6.0, 4.0, 0.0], "rail": [2.0, 0.0, 0.0],
                         "water": 0.0, "air": [0.0, 0.0, 1.0]}, index=idx)
    cpk = pd.DataFrame({"road": [600.0, 400.0, 0.0], "rail": [2000.0, 0.0, 0.0],
                        "water": 0.0, "air": [0.0, 0.0, 10_000.0]}, index=idx)
    return Design(
        corridor_flow=flow,
        unserved=pd.Series([0.0, 1.0, 0.0], index=idx),
        late=pd.Series([2.0, 0.0, 0.0], index=idx),
        links=pd.DataFrame({"flow_parcels_per_day": [8.0], "modules_added": [0.0],
                            "capacity_parcels_per_day": [10.0],
                            "departures_per_week": [7.0]}, index=["l1"]),
        hubs=pd.DataFrame({"throughput_parcels_per_day": [50.0], "modules_added": [0],
                           "capacity_parcels_per_day": [100.0], "is_open": [1]},
                          index=["H1"]),
        parcel_km={"road": 1000.0, "rail": 2000.0, "water": 0.0, "air": 10_000.0},
        costs={"transport": 10.0, "handling": 2.0, "capacity": 3.0, "carbon": 0.5,
               "late_penalty": 1.0, "unserved_penalty": 5.0, "total": 21.5},
        co2_t_per_day=0.5,
        report={"status": "optimal", "gap": 0.0, "objective": 21.5, "best_bound": 21.5},
        extra={"corridor_parcel_km": cpk},
    )


def _scenario() -> Scenario:
    return Scenario(name="s1", year=2035, demand=pd.Series([10.0, 5.0, 1.0],
                                                           index=["a>b", "b>a", "a>c"]),
                    parcel_weight_kg=1.2,
                    segments={"parcel": Segment(), "direct_mail": Segment(weight_kg=0.5)})


def test_costs_and_on_time_by_class_and_segment(network):
    """economic = transport 10 + handling 2 + capacity 3 + carbon 0.5 = 15.5;
    penalty = late 1 + unserved 5 = 6 (sum 21.5 = total).
    parcel segment (a>b, b>a: b>a's empty segment is `parcel`): demand 15, late 2,
    unserved 1 -> on time 12/15 = 0.8; direct_mail: 1 of 1 on time."""
    ds = design_to_dataset(network, _scenario(), _design())
    one = ds.sel(scenario="s1")
    assert float(one["economic_cost"]) == pytest.approx(15.5)
    assert float(one["penalty_cost"]) == pytest.approx(6.0)
    assert list(ds["segment"].values) == ["parcel", "direct_mail"]
    np.testing.assert_allclose(one["segment_demand"].values, [15.0, 1.0])
    np.testing.assert_allclose(one["on_time_share_by_segment"].values, [0.8, 1.0])
    np.testing.assert_allclose(one["segment_flow"].sel(segment="parcel").values,
                               [10.0, 2.0, 0.0, 0.0])
    table = summary_table(ds)
    row = table.iloc[0]
    assert row["economic_cost_cny_per_day"] == pytest.approx(15.5)
    assert row["penalty_cost_cny_per_day"] == pytest.approx(6.0)
    assert row["on_time_share_domestic"] == pytest.approx(12 / 15)
    assert row["on_time_share_global"] == pytest.approx(1.0)
    assert np.isnan(row["on_time_share_neighbouring"])  # no neighbouring demand


def test_mode_shares_by_parcels_parcel_km_and_tonne_km(network):
    """Parcels: all road 10, rail 2, air 1 (of 13); domestic road 10, rail 2 (of 12);
    international air 1.
    Parcel-km: road 1,000, rail 2,000, air 10,000 (of 13,000); international all air.
    Tonne-km: road 1,000 x 1.2 kg = 1.2 t-km, rail 2.4, air 10,000 x 0.5 kg = 5.0
    (direct mail weighs 0.5 kg) -> air 5 / 8.6 of all tonne-km, 0 of domestic."""
    ds = design_to_dataset(network, _scenario(), _design()).sel(scenario="s1")
    sp = ds["mode_share_parcels"]
    np.testing.assert_allclose(sp.sel(scope="all").values, [10 / 13, 2 / 13, 0, 1 / 13])
    np.testing.assert_allclose(sp.sel(scope="domestic").values, [10 / 12, 2 / 12, 0, 0])
    np.testing.assert_allclose(sp.sel(scope="international").values, [0, 0, 0, 1])
    spk = ds["mode_share_parcel_km"]
    np.testing.assert_allclose(spk.sel(scope="all").values,
                               [1 / 13, 2 / 13, 0, 10 / 13])
    np.testing.assert_allclose(ds["tonne_km_by_scope"].sel(scope="all").values,
                               [1.2, 2.4, 0.0, 5.0])
    stk = ds["mode_share_tonne_km"]
    assert float(stk.sel(scope="all", mode="air")) == pytest.approx(5.0 / 8.6)
    assert float(stk.sel(scope="domestic", mode="air")) == pytest.approx(0.0)
    assert ds["tonne_km_by_scope"].attrs["units"] == "t-km/day"


def test_failed_scenario_has_no_shares(network):
    ok = design_to_dataset(network, _scenario(), _design())
    bad = failed_scenario_dataset(network, Scenario(name="s2", year=2025,
                                                    demand=_scenario().demand),
                                  "infeasible", "floor")
    both = xr.concat([ok.assign_attrs({}), bad.assign_attrs({})], dim="scenario",
                     join="outer")
    two = both.sel(scenario="s2")
    for name in ("economic_cost", "penalty_cost", "mode_share_parcels",
                 "on_time_share_by_segment"):
        assert np.isnan(two[name].values).all(), name
    assert summary_table(both).loc[1, "status"] == "infeasible"


def test_on_time_floor_is_a_scenario_coordinate(network):
    """The floors a scenario had to meet travel with it (the price-of-the-circle curve
    plots cost against them); classes without a floor are NaN."""
    sc = Scenario(name="s1", year=2035, demand=_scenario().demand,
                  on_time_floor={"global": 0.9})
    ds = design_to_dataset(network, sc, _design())
    assert float(ds["on_time_floor_global"][0]) == pytest.approx(0.9)
    assert np.isnan(float(ds["on_time_floor_domestic"][0]))
