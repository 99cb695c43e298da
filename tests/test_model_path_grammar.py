"""The validator's path search (`data/paths_check.py`) and the optimiser's path generation
(`optimise/paths.py`) implement the path grammar of docs/model.md twice; on random networks
they must agree on which corridors have a path.

Random networks (seeded, 300 of them): 2-4 hubs with random non-empty transfer modes, 2-4
other nodes, 6-22 random links (random role and mode, possibly into non-hub nodes, possibly
parallel), every ordered node pair a corridor, 0-3 line-haul legs. Every link is usable
(infinite capacity): the optimiser skips links of zero capacity and zero module size, which
the validator -- checking tables, not a scenario -- does too (tested separately below).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from model_fixtures import make_network, make_scenario

from netdesign.data.paths_check import corridors_without_path, find_path
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.paths import generate_paths

MODES = ("road", "rail", "water", "air")
ROLES = ("collection", "linehaul", "distribution")


def random_network(seed: int):
    rng = np.random.default_rng(seed)
    n_hubs, n_other = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    hubs = [f"H{i}" for i in range(n_hubs)]
    others = [f"N{i}" for i in range(n_other)]
    nodes = [{"node_id": h, "kind": "hub"} for h in hubs] + [{"node_id": n} for n in others]
    hub_rows = []
    for h in hubs:
        k = int(rng.integers(1, 4))
        modes = tuple(sorted(rng.choice(MODES[:3], size=k, replace=False).tolist()))
        hub_rows.append({"hub_id": h, "transfer_modes": modes})
    ids = hubs + others
    links = []
    for i in range(int(rng.integers(6, 23))):
        a, b = rng.choice(len(ids), size=2, replace=False)
        links.append({"link_id": f"l{i}", "from_node": ids[a], "to_node": ids[b],
                      "role": str(rng.choice(ROLES)), "mode": str(rng.choice(MODES[:3])),
                      "cost_cny_per_parcel": float(rng.uniform(1, 5))})
    corridors = [{"corridor_id": f"{o}>{d}", "origin": o, "destination": d}
                 for o in ids for d in ids if o != d]
    legs = int(rng.integers(0, 4))
    return make_network(nodes, links, hub_rows, corridors), legs


def optimiser_reaches(net, legs: int) -> set[str]:
    """Corridors with at least one candidate path in the optimiser."""
    sc = make_scenario({c: 1.0 for c in net.corridors.index}, max_linehaul_legs=legs,
                       service_policy="penalty")
    data = build_model_data(net, sc)
    paths = generate_paths(data)
    return {data.corr_ids[c] for c in set(paths.corridor.tolist())}


@pytest.mark.parametrize("block", range(6))
def test_validator_and_optimiser_agree_on_random_networks(block: int) -> None:
    disagree = []
    for seed in range(block * 50, block * 50 + 50):
        net, legs = random_network(seed)
        missing = set(corridors_without_path(net, legs))
        validator = set(net.corridors.index) - missing
        optimiser = optimiser_reaches(net, legs)
        if validator != optimiser:
            disagree.append((seed, legs, sorted(validator - optimiser),
                             sorted(optimiser - validator)))
    assert not disagree, (
        "(seed, legs, validator only, optimiser only): " + repr(disagree[:5]))


def test_unusable_links_are_skipped_by_both() -> None:
    """A link with zero capacity and zero module size carries nothing: neither finds A>B."""
    net = make_network(
        [{"node_id": "A"}, {"node_id": "H", "kind": "hub"}, {"node_id": "B"}],
        [{"link_id": "c", "from_node": "A", "to_node": "H", "role": "collection",
          "capacity_parcels_per_day": 0.0, "module_parcels_per_day": 0.0},
         {"link_id": "d", "from_node": "H", "to_node": "B", "role": "distribution"}],
        [{"hub_id": "H"}], [{"corridor_id": "A>B", "origin": "A", "destination": "B"}])
    assert corridors_without_path(net, 2) == ["A>B"]
    assert optimiser_reaches(net, 2) == set()
    net.links.loc["c", "capacity_parcels_per_day"] = math.inf
    assert find_path(net, "A", "B") == ["c", "d"]
    assert optimiser_reaches(net, 2) == {"A>B"}


def test_a_path_may_not_revisit_a_hub() -> None:
    """A collects to H1 by road; H1 cannot transfer road -> rail, so its rail distribution to
    B is closed to A's parcels -- except by going H1 -> H2 (road) -> H1 (rail) and out by rail,
    which visits H1 twice and is not a path (docs/model.md)."""
    net = make_network(
        [{"node_id": "A"}, {"node_id": "H1", "kind": "hub"}, {"node_id": "H2", "kind": "hub"},
         {"node_id": "B"}],
        [{"link_id": "a", "from_node": "A", "to_node": "H1", "role": "collection"},
         {"link_id": "h12", "from_node": "H1", "to_node": "H2"},
         {"link_id": "h21", "from_node": "H2", "to_node": "H1", "mode": "rail"},
         {"link_id": "d", "from_node": "H1", "to_node": "B", "role": "distribution",
          "mode": "rail"}],
        [{"hub_id": "H1", "transfer_modes": ("road",)},
         {"hub_id": "H2", "transfer_modes": ("road", "rail")}],
        [{"corridor_id": "A>B", "origin": "A", "destination": "B"}])
    assert find_path(net, "A", "B") is None
    assert optimiser_reaches(net, 2) == set()
