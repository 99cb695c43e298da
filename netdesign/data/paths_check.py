"""Does every corridor have a path? A breadth-first search under the path grammar.

The grammar (docs/architecture.md, "Contracts between stages"; the same as the candidate
paths of `netdesign.optimise.paths`): a path from origin o to destination d is a non-empty
sequence of directed links

    [collection leg]  linehaul leg x k  [distribution leg],   0 <= k <= max_linehaul_legs

k = 0 means both ends attach to the same hub: o -> hub -> d, or a single collection leg into
d when d is itself a hub, or a single distribution leg out of o when o is itself a hub.
A collection leg ends at a hub. Every node between the first and the last is a hub (listed in
the hubs table); no node is visited twice; where two consecutive legs use different modes, the
hub between them lists both modes in its ``transfer_modes``. Links with zero capacity and zero
module size carry nothing and are skipped. A corridor whose origin equals its destination is
reported by `validate.check_corridor_ends` and skipped here.

The search runs once per distinct origin over states (node, stage, mode of the last leg,
line-haul legs so far) and finds every destination that origin can reach, so checking 2,000
corridors costs one search per origin, not per corridor. Those states forget which nodes were
passed, so a destination whose shortest walk visits a node twice is checked again by an
exact depth-first search over simple paths (rare: only transfer restrictions cause it).

`tests/test_model_path_grammar.py` checks on random networks that this search and the
optimiser's candidate paths (`netdesign.optimise.paths`) agree on which corridors have one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import pandas as pd

from netdesign.data.network import Network
from netdesign.data.rules import MAX_ROW_PROBLEMS, row_location
from netdesign.data.schema import MODES
from netdesign.errors import Problem

START, COLLECTED, LINEHAUL, DISTRIBUTED = 0, 1, 2, 3
State = tuple[str, int, str, int]  # node, stage, mode of the last leg ("" at start), legs


class PathGraph:
    """Adjacency of the network for the path search (links with known ends, mode and role)."""

    def __init__(self, net: Network):
        nodes = set(net.nodes.index)
        self.hub_modes: dict[str, frozenset[str]] = {
            h: frozenset(_modes(m)) for h, m in net.hubs["transfer_modes"].items()}
        self.out: dict[str, list[tuple[str, str, str, str]]] = {}
        self.has_in: set[str] = set()
        self.ends: dict[str, tuple[str, str]] = {}
        self._max = 2  # line-haul legs allowed in the current search
        links = net.links
        usable = _usable(links)
        for link_id, a, b, mode, role, ok in zip(links.index, links["from_node"],
                                                 links["to_node"], links["mode"], links["role"],
                                                 usable, strict=True):
            if ok and a in nodes and b in nodes and a != b and mode in MODES:
                self.out.setdefault(a, []).append((str(link_id), b, mode, role))
                self.has_in.add(b)
                self.ends[str(link_id)] = (a, b)

    def can_change(self, hub: str, m1: str, m2: str) -> bool:
        """A parcel arriving by m1 can leave `hub` by m2."""
        if m1 == m2 or not m1:
            return True
        modes = self.hub_modes.get(hub)
        if modes is None:
            return False
        if not modes:  # transfer_modes missing: reported elsewhere; do not cascade
            return True
        return m1 in modes and m2 in modes

    def search(self, origin: str, max_linehaul_legs: int) -> dict[str, list[str]]:
        """Every node reachable from `origin` by a valid path -> the link ids of one such path
        (one with the fewest legs)."""
        found = self._walks(origin, max_linehaul_legs)
        for node, links in list(found.items()):
            if not self._simple(origin, links):
                exact = self._simple_path(origin, node, max_linehaul_legs)
                if exact is None:
                    del found[node]
                else:
                    found[node] = exact
        return found

    def _simple(self, origin: str, links: list[str]) -> bool:
        nodes = [origin] + [self.ends[lk][1] for lk in links]
        return len(set(nodes)) == len(nodes)

    def _steps(self, state: State):
        """Legs allowed from `state` under the grammar: (link id, next state)."""
        node, stage, mode, k = state
        if stage == DISTRIBUTED or (stage != START and node not in self.hub_modes):
            return  # a distribution leg ends the path; intermediate nodes must be hubs
        for link_id, nxt, m, role in self.out.get(node, ()):
            if not self.can_change(node, mode, m):
                continue
            if role == "collection" and stage == START and nxt in self.hub_modes:
                yield link_id, (nxt, COLLECTED, m, 0)
            elif role == "linehaul" and k < self._max:
                yield link_id, (nxt, LINEHAUL, m, k + 1)
            elif role == "distribution" and node in self.hub_modes:  # from a hub only
                yield link_id, (nxt, DISTRIBUTED, m, k)

    def _simple_path(self, origin: str, target: str, max_linehaul_legs: int) -> list[str] | None:
        """Exact search: the fewest-legs path to `target` visiting no node twice, or None."""
        self._max = max_linehaul_legs
        best: list[str] | None = None
        stack: list[tuple[State, list[str], frozenset[str]]] = [
            ((origin, START, "", 0), [], frozenset([origin]))]
        while stack:
            state, links, seen = stack.pop()
            if state[0] == target and state[1] != START:
                if best is None or len(links) < len(best):
                    best = links
                continue
            for link_id, new in self._steps(state):
                if new[0] not in seen:
                    stack.append((new, links + [link_id], seen | {new[0]}))
        return best

    def _walks(self, origin: str, max_linehaul_legs: int) -> dict[str, list[str]]:
        """Breadth-first search over states (nodes may repeat): node -> fewest-legs walk."""
        self._max = max_linehaul_legs
        start: State = (origin, START, "", 0)
        parent: dict[State, tuple[State, str] | None] = {start: None}
        found: dict[str, State] = {}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            node, stage, _mode, _k = state
            if stage != START and node != origin and node not in found:
                found[node] = state
            for link_id, new in self._steps(state):
                if new not in parent:
                    parent[new] = (state, link_id)
                    queue.append(new)
        return {node: _trace(parent, s) for node, s in found.items()}


def _usable(links) -> list[bool]:
    """A link carries parcels unless both its capacity and its module size are 0 (as the
    optimiser's `ModelData.link_usable`; a missing capacity means uncapacitated)."""
    n = len(links)
    cap = pd.to_numeric(links.get("capacity_parcels_per_day", pd.Series([1.0] * n)),
                        errors="coerce").fillna(1.0).to_numpy()
    mod = pd.to_numeric(links.get("module_parcels_per_day", pd.Series([0.0] * n)),
                        errors="coerce").fillna(0.0).to_numpy()
    return ((cap > 0) | (mod > 0)).tolist()


def _trace(parent: dict[State, tuple[State, str] | None], state: State) -> list[str]:
    links: list[str] = []
    step = parent[state]
    while step is not None:
        state, link_id = step
        links.append(link_id)
        step = parent[state]
    return links[::-1]


def find_path(net: Network, origin: str, destination: str,
              max_linehaul_legs: int = 2) -> list[str] | None:
    """Link ids of one valid path from origin to destination (fewest legs), or None."""
    return PathGraph(net).search(origin, max_linehaul_legs).get(destination)


def corridors_without_path(net: Network, max_linehaul_legs: int = 2,
                           corridor_ids: Iterable[str] | None = None) -> list[str]:
    """Corridor ids (with known, distinct ends) that have no valid path."""
    graph = PathGraph(net)
    nodes = set(net.nodes.index)
    reach: dict[str, dict[str, list[str]]] = {}
    cors = net.corridors if corridor_ids is None else net.corridors.loc[list(corridor_ids)]
    out = []
    for cid, o, d in zip(cors.index, cors["origin"], cors["destination"], strict=True):
        if o not in nodes or d not in nodes or o == d:
            continue
        if o not in reach:
            reach[o] = graph.search(o, max_linehaul_legs)
        if d not in reach[o]:
            out.append(cid)
    return out


def check_corridor_paths(net: Network, sources: dict[str, str], *,
                         max_linehaul_legs: int = 2) -> list[Problem]:
    """Every corridor has at least one path under the grammar in the module docstring."""
    graph = PathGraph(net)
    bad = set(corridors_without_path(net, max_linehaul_legs))
    if not bad:
        return []
    src = sources.get("corridors", "corridors.csv")
    out = []
    rows = [(pos, cid, o, d) for pos, (cid, o, d) in enumerate(
        zip(net.corridors.index, net.corridors["origin"], net.corridors["destination"],
            strict=True)) if cid in bad]
    for pos, cid, o, d in rows[:MAX_ROW_PROBLEMS]:
        hint = ""
        if o not in graph.out:
            hint = f"; {o!r} has no outgoing link"
        elif d not in graph.has_in:
            hint = f"; {d!r} has no incoming link"
        out.append(Problem(
            src, row_location(pos, "corridor_id", cid), "origin -> destination", f"{o} -> {d}",
            f"a path in the network: optional collection leg to a hub, 0 to {max_linehaul_legs} "
            "line-haul legs via hubs (0 only through a single hub), optional distribution leg "
            "from a hub, changing mode only at hubs whose transfer_modes hold both modes "
            f"(docs/architecture.md){hint}"))
    if len(rows) > MAX_ROW_PROBLEMS:
        out.append(Problem(src, f"{len(rows) - MAX_ROW_PROBLEMS} more corridors",
                           "origin -> destination", None, "a path in the network"))
    return out


def _modes(value: object) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(m) for m in value)
    if isinstance(value, str):
        return tuple(m.strip() for m in value.split("|") if m.strip())
    return ()
