"""The hub-flow aggregation is exact: same optimum as the path formulation where it applies,
and it is chosen automatically only where it applies."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from model_fixtures import exact_solver, make_network, make_scenario

from netdesign.optimise.api import solve_design
from netdesign.optimise.hubflow import hubflow_blockers
from netdesign.optimise.model_data import build_model_data


def hub_location_instance(n: int, seed: int, capacity: float = math.inf):
    """n nodes, each an optional hub (fixed cost, capacity on collected volume); links
    3/0.75/2 CNY per km; flows W_ij between all pairs including i = i."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n, 2))
    ids = [f"N{i}" for i in range(n)]
    nodes = [{"node_id": i, "kind": "hub"} for i in ids]
    hubs = [{"hub_id": i, "optional": True, "fixed_cost_cny_per_year": float(f),
             "capacity_parcels_per_day": capacity}
            for i, f in zip(ids, rng.uniform(500, 1500, n), strict=True)]
    links = []
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            km = float(np.hypot(*(xy[a] - xy[b])))
            for role, unit in (("collection", 3.0), ("linehaul", 0.75), ("distribution", 2.0)):
                links.append({"link_id": f"{role}{a}-{b}", "from_node": ids[a],
                              "to_node": ids[b], "role": role, "distance_km": km,
                              "cost_cny_per_parcel": unit * km, "transit_h": 0.0})
    W = rng.uniform(0, 10, (n, n)).round(2)
    corr = [{"corridor_id": f"{ids[a]}>{ids[b]}", "origin": ids[a], "destination": ids[b]}
            for a in range(n) for b in range(n)]
    net = make_network(nodes, links, hubs, corr)
    demand = {f"{ids[a]}>{ids[b]}": W[a, b] for a in range(n) for b in range(n)}
    sc = make_scenario(demand, allocation="single", allow_unserved=False,
                       hub_capacity_basis="collected", days_per_year=365.0)
    return net, sc, W


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
