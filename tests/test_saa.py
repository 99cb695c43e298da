"""Two-stage stochastic design by SAA (`evaluate.saa`) on a hand-worked case.

`line_network`: A -> H1 -> H2 -> B, 14 CNY/parcel door to door by road (uncapacitated), 10 by
rail, whose capacity comes only in modules of 100 parcels/day at 250 CNY/day each.
Demand is 0 or 200 parcels/day with equal probability (mean 100).

* Mean-forecast design (D = 100): one module saves 4 x 100 = 400 > 250: m = 1, 1,250 CNY/day.
* Expected cost of m modules over the two demands:
  m = 0: (0 + 200 x 14) / 2 = 1,400;
  m = 1: (250 + 100 x 10 + 100 x 14 + 250) / 2 = 1,450;
  m = 2: (500 + 200 x 10 + 500) / 2 = 1,500.
  The SAA design is m = 0 (1,400): it differs from the mean design, whose expected cost out
  of sample is 1,450: VSS = 50 CNY/day.
* With hindsight: D = 0 -> 0; D = 200 -> m = 2, 2,500: 1,250 on average; EVPI = 1,400 −
  1,250 = 150 CNY/day.
"""

from __future__ import annotations

import numpy as np
import pytest
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.evaluate.saa import saa_design, stochastic_value


def _case():
    net = line_network(rail_cap=0.0, rail_module=100.0, rail_module_cost_per_day=250.0)
    sc = make_scenario({c: 100.0 for c in net.corridors.index}, allow_unserved=True)
    return net, sc


def test_saa_design_differs_from_the_mean_design_and_costs_less_out_of_sample():
    net, sc = _case()
    sample = np.array([[0.0], [200.0]])
    saa = saa_design(net, sc, sample, exact_solver())
    assert saa.objective == pytest.approx(1400.0)
    assert saa.capacity.link_modules["rail"] == pytest.approx(0.0)
    fresh = np.array([[0.0], [200.0], [200.0], [0.0]])  # the same two-point law, drawn anew
    v = stochastic_value(net, sc, sample, fresh, exact_solver())
    assert v["mean_design_own_cost"] == pytest.approx(1250.0)
    assert v["mean_design_cost"] == pytest.approx(1450.0)
    assert v["saa_design_cost"] == pytest.approx(1400.0)
    assert v["vss"] == pytest.approx(50.0)
    assert v["wait_and_see_cost"] == pytest.approx(1250.0)
    assert v["evpi"] == pytest.approx(150.0)


def test_saa_over_one_scenario_is_the_deterministic_design():
    net, sc = _case()
    saa = saa_design(net, sc, np.array([[100.0]]), exact_solver())
    assert saa.objective == pytest.approx(1250.0)
    assert saa.capacity.link_modules["rail"] == pytest.approx(1.0)


def test_n_minus_1_buys_the_alternative_route():
    """A -> H1 -> H2 -> B at 13 CNY (uncapacitated) or A -> H1 -> H3 -> B at 18 CNY, whose
    H1 -> H3 link has no capacity but modules of 100 parcels/day at 300 CNY/day; demand 100.
    Alone: via H2, 1,300 CNY/day. With H2 closed nothing may go unserved (share 0): one module
    on H1 -> H3 must be bought, 1,600 CNY/day (the normal day still routes via H2). With a
    share of 1 the rule binds nothing: 1,300."""
    from model_fixtures import make_network

    from netdesign.evaluate.saa import n_minus_1_design

    nodes = [{"node_id": "A"}] + [{"node_id": h, "kind": "hub"} for h in ("H1", "H2", "H3")] \
        + [{"node_id": "B", "kind": "city"}]
    links = [
        {"link_id": "col", "from_node": "A", "to_node": "H1", "role": "collection",
         "cost_cny_per_parcel": 1.0},
        {"link_id": "h1h2", "from_node": "H1", "to_node": "H2", "cost_cny_per_parcel": 10.0},
        {"link_id": "d2", "from_node": "H2", "to_node": "B", "role": "distribution",
         "cost_cny_per_parcel": 2.0},
        {"link_id": "h1h3", "from_node": "H1", "to_node": "H3", "cost_cny_per_parcel": 15.0,
         "capacity_parcels_per_day": 0.0, "module_parcels_per_day": 100.0,
         "module_cost_cny_per_year": 300.0 * 365},
        {"link_id": "d3", "from_node": "H3", "to_node": "B", "role": "distribution",
         "cost_cny_per_parcel": 2.0},
    ]
    net = make_network(nodes, links, [{"hub_id": h} for h in ("H1", "H2", "H3")],
                       [{"corridor_id": "A>B", "origin": "A", "destination": "B"}])
    sc = make_scenario({"A>B": 100.0}, allow_unserved=True)
    strict = n_minus_1_design(net, sc, exact_solver(), 0.0, hubs=["H2"])
    assert strict.objective == pytest.approx(1600.0)
    assert strict.capacity.link_modules["h1h3"] == pytest.approx(1.0)
    assert strict.design.links.loc["h1h2", "flow_parcels_per_day"] == pytest.approx(100.0)
    loose = n_minus_1_design(net, sc, exact_solver(), 1.0, hubs=["H2"])
    assert loose.objective == pytest.approx(1300.0)
