"""The hub-flow aggregation is exact: same optimum as the path formulation where it applies,
and it is chosen automatically only where it applies."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from model_fixtures import exact_solver, hub_location_instance

from netdesign.optimise.api import solve_design
from netdesign.optimise.hubflow import hubflow_blockers
from netdesign.optimise.model_data import build_model_data


@pytest.mark.parametrize(("seed", "capacity"), [(1, math.inf), (2, 60.0)])
def test_hubflow_equals_path_formulation(seed: int, capacity: float) -> None:
    net, sc, W = hub_location_instance(6, seed, capacity)
    if np.isfinite(capacity):
        assert W.sum(axis=1).max() < capacity < W.sum()  # capacity binds on some choices
    assert not hubflow_blockers(build_model_data(net, sc))
    agg = solve_design(net, sc, exact_solver())
    path = solve_design(net, sc, exact_solver(), formulation="path")
    assert agg.report.formulation == "hubflow" and path.report.formulation == "path"
    assert agg.report.status == path.report.status == "optimal"
    assert agg.report.objective == pytest.approx(path.report.objective, rel=1e-7)
    assert agg.costs["total"] == pytest.approx(path.costs["total"], rel=1e-7)
    open_a = agg.hubs.index[agg.hubs.is_open].tolist()
    open_p = path.hubs.index[path.hubs.is_open].tolist()
    assert open_a == open_p
    pd.testing.assert_series_equal(agg.hubs.throughput_parcels_per_day,
                                   path.hubs.throughput_parcels_per_day, atol=1e-6)
    assert agg.corridor_flow.sum().sum() == pytest.approx(W.sum())


def test_hubflow_not_used_when_it_would_not_be_exact() -> None:
    net, sc, _ = hub_location_instance(4, 3)
    for change, reason in [
        ({"allocation": "multiple"}, "allocation is not single"),
        ({"allow_unserved": True}, "unserved slack allowed"),
        ({"co2_cap_t_per_day": 1.0}, "CO2 cap or mode-share bounds"),
    ]:
        import dataclasses

        sc2 = dataclasses.replace(sc, **change)
        assert reason in hubflow_blockers(build_model_data(net, sc2))
        assert solve_design(net, sc2, exact_solver()).report.formulation == "path"
    # triangle inequality broken on one line-haul arc
    lk = net.links.index[net.links.role == "linehaul"][0]
    net.links.loc[lk, "cost_cny_per_parcel"] *= 50
    assert "line-haul costs violate the triangle inequality" in hubflow_blockers(
        build_model_data(net, sc))
