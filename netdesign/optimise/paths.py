"""Candidate path generation: every admissible leg sequence of every corridor.

Path grammar (see docs/model.md)::

    path := [collection] linehaul{0..L} [distribution]

* a collection leg goes from the corridor's origin to a hub; a distribution leg goes from a
  hub to the corridor's destination; line-haul legs join hubs, or a hub and an external city
  that is the corridor's origin or destination;
* every intermediate node is a hub, no node is visited twice;
* zero line-haul legs only when both ends attach to the same hub (``o -> h -> d``, or ``o``
  itself a hub);
* the mode may change only at a hub whose ``transfer_modes`` holds both modes.

Hubs *passed* (handled, counted in hub throughput, handling cost and hours): every
intermediate node, plus the origin when it is a hub the path leaves by a line-haul or
distribution leg (or the empty path of an ``o == d`` corridor at a hub), plus the destination
when it is a hub reached by a line-haul or collection leg.

The output is integer-indexed numpy arrays (`PathSet`); the model never walks Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netdesign.optimise.model_data import ModelData as Inputs

MAX_PATHS_PER_CORRIDOR = 40
"""Cap on candidate paths per corridor (cheapest first; the fastest path and the cheapest path
per main mode are always kept). An approximation only when a corridor has more paths."""


@dataclass
class PathSet:
    """Candidate paths, one row per path (P paths).

    corridor:    corridor index (P,).
    leg_ptr/leg_link: CSR of the link indices of each path, in travel order.
    hub_ptr/hub_idx:  CSR of the hub indices passed (handled) by each path.
    first_hub, last_hub: hub index serving the origin / destination (-1 = none).
    cost:        CNY/parcel: transport + handling + carbon + late penalty (objective coeff).
    transport, handling, carbon, late_penalty: the components, CNY/parcel. Transport and
                 handling are the link/hub figures (per reference parcel) times the
                 corridor's parcel equivalents; the late penalty is graded:
                 fixed + per_hour x late_h when late.
    co2_t:       t CO2 per parcel on the whole path (at the corridor's parcel weight).
    time_h:      door-to-door hours.
    late:        True when time_h exceeds the corridor's standard.
    late_h:      hours beyond the standard (0 when on time).
    pe:          reference-parcel equivalents of one parcel of the path's corridor.
    main_mode:   mode index of the longest line-haul leg by km (longest leg if none).
    lh_pkm:      (P, n_modes) line-haul km per parcel by mode.
    """

    corridor: np.ndarray
    leg_ptr: np.ndarray
    leg_link: np.ndarray
    hub_ptr: np.ndarray
    hub_idx: np.ndarray
    first_hub: np.ndarray
    last_hub: np.ndarray
    cost: np.ndarray
    transport: np.ndarray
    handling: np.ndarray
    carbon: np.ndarray
    late_penalty: np.ndarray
    co2_t: np.ndarray
    time_h: np.ndarray
    late: np.ndarray
    main_mode: np.ndarray
    lh_pkm: np.ndarray
    late_h: np.ndarray | None = None
    pe: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.corridor)
        if self.late_h is None:
            self.late_h = np.zeros(n)
        if self.pe is None:
            self.pe = np.ones(n)

    @property
    def n(self) -> int:
        return len(self.corridor)

    def legs(self, p: int) -> np.ndarray:
        return self.leg_link[self.leg_ptr[p]:self.leg_ptr[p + 1]]

    def hubs(self, p: int) -> np.ndarray:
        return self.hub_idx[self.hub_ptr[p]:self.hub_ptr[p + 1]]

    def path_of_leg(self) -> np.ndarray:
        """Path index of every entry of `leg_link`."""
        return np.repeat(np.arange(self.n), np.diff(self.leg_ptr))

    def path_of_hub(self) -> np.ndarray:
        """Path index of every entry of `hub_idx`."""
        return np.repeat(np.arange(self.n), np.diff(self.hub_ptr))


Walk = tuple[tuple[int, ...], tuple[int, ...]]


def _linehaul_walks(inp: Inputs, start: int, max_legs: int) -> list[Walk]:
    """All simple line-haul walks of 1..max_legs legs from node `start`.

    Returns (links, nodes) tuples; nodes excludes `start`. Intermediate nodes are hubs and
    every mode change at an intermediate hub is allowed by its transfer modes.
    """
    out: list[Walk] = []
    stack: list[Walk] = [((), ())]
    while stack:
        links, nodes = stack.pop()
        here = nodes[-1] if nodes else start
        if nodes and inp.node_hub[here] < 0:
            continue  # a non-hub node can only end a walk
        if len(links) >= max_legs:
            continue
        prev_mode = inp.link_mode[links[-1]] if links else -1
        for lk in inp.lh_out[here]:
            nxt = int(inp.link_to[lk])
            if nxt == start or nxt in nodes:
                continue
            mode = inp.link_mode[lk]
            if links and mode != prev_mode and not inp.can_transfer(here, prev_mode, mode):
                continue
            item = (links + (lk,), nodes + (nxt,))
            out.append(item)
            stack.append(item)
    return out


def _walks_by_end(inp: Inputs, start: int) -> dict[int, list[Walk]]:
    out: dict[int, list[Walk]] = {}
    for links, nodes in _linehaul_walks(inp, start, inp.max_legs):
        out.setdefault(nodes[-1], []).append((links, nodes))
    return out


def generate_paths(inp: Inputs, max_paths: int = MAX_PATHS_PER_CORRIDOR) -> PathSet:
    """Enumerate, price and filter the candidate paths of every corridor with demand > 0."""
    walks_cache: dict[int, dict[int, list[Walk]]] = {}
    rows: list[tuple] = []  # (corridor, legs, hubs)
    mode = inp.link_mode
    node_hub = inp.node_hub
    for c in range(inp.n_corridors):
        if inp.demand[c] <= 0:
            continue
        o, d = int(inp.corr_origin[c]), int(inp.corr_dest[c])
        d_is_hub = node_hub[d] >= 0
        cand: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        # starts: (prefix legs, node where line-haul begins)
        starts: list[tuple[tuple[int, ...], int]] = []
        if node_hub[o] >= 0 or inp.lh_out[o]:
            starts.append(((), o))
        for lk in inp.col_out[o]:
            starts.append(((lk,), int(inp.link_to[lk])))
        dist_from: dict[int, list[int]] = {}
        for dl in inp.dist_in[d]:
            dist_from.setdefault(int(inp.link_from[dl]), []).append(dl)
        for prefix, s in starts:
            s_is_hub = node_hub[s] >= 0
            first_mode = mode[prefix[0]] if prefix else -1
            if s_is_hub:  # zero line-haul legs: end at s, or distribute from s
                if s == d:
                    cand.append((prefix, (s,)))
                elif s in dist_from:
                    for dl in dist_from[s]:
                        if prefix and first_mode != mode[dl] and not inp.can_transfer(
                                s, first_mode, mode[dl]):
                            continue
                        cand.append((prefix + (dl,), (s,)))
            elif s != o:
                continue
            if s not in walks_cache:
                walks_cache[s] = _walks_by_end(inp, s)
            by_end = walks_cache[s]
            head = (s,) if s_is_hub else ()
            ends = [(d, ())] + [(e, dls) for e, dls in dist_from.items()]
            for end, dls in ends:
                for links, nodes in by_end.get(end, ()):
                    if o in nodes or d in nodes[:-1]:
                        continue
                    if prefix and mode[links[0]] != first_mode and not inp.can_transfer(
                            s, first_mode, mode[links[0]]):
                        continue
                    handled = head + nodes[:-1]
                    if end == d:
                        cand.append((prefix + links, handled + ((d,) if d_is_hub else ())))
                        continue
                    last_mode = mode[links[-1]]
                    for dl in dls:
                        if mode[dl] != last_mode and not inp.can_transfer(
                                end, last_mode, mode[dl]):
                            continue
                        cand.append((prefix + links + (dl,), handled + (end,)))
        for legs, handled_nodes in cand:
            rows.append((c, legs, tuple(int(node_hub[n]) for n in handled_nodes)))
    return _price(inp, rows, max_paths)


def _price(inp: Inputs, rows: list[tuple], max_paths: int) -> PathSet:
    """Compute per-path coefficients, apply the service policy and the per-corridor cap."""
    n = len(rows)
    corridor = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    leg_len = np.fromiter((len(r[1]) for r in rows), dtype=np.int64, count=n)
    hub_len = np.fromiter((len(r[2]) for r in rows), dtype=np.int64, count=n)
    leg_link = np.fromiter((lk for r in rows for lk in r[1]), dtype=np.int64,
                           count=int(leg_len.sum()))
    hub_idx = np.fromiter((h for r in rows for h in r[2]), dtype=np.int64,
                          count=int(hub_len.sum()))
    leg_ptr = np.concatenate(([0], np.cumsum(leg_len)))
    hub_ptr = np.concatenate(([0], np.cumsum(hub_len)))
    leg_path = np.repeat(np.arange(n), leg_len)
    hub_path = np.repeat(np.arange(n), hub_len)

    def per_path(values: np.ndarray, ptr_path: np.ndarray) -> np.ndarray:
        return np.bincount(ptr_path, weights=values, minlength=n)

    pe = inp.corr_pe[corridor] if len(inp.corr_pe) else np.ones(n)
    transport = per_path(inp.link_cost[leg_link], leg_path) * pe
    co2_t = per_path(inp.link_co2_t[leg_link], leg_path) * pe
    handling = per_path(inp.hub_handling_cost[hub_idx], hub_path) * pe
    intl = inp.corr_international[corridor] if n else np.zeros(0, bool)
    time_h = (inp.collection_h + per_path(inp.link_transit_h[leg_link], leg_path)
              + per_path(inp.hub_handling_h[hub_idx], hub_path)
              + per_path(inp.hub_customs_h[hub_idx], hub_path) * intl)
    standard = inp.corr_standard_h[corridor]
    late = time_h > standard + 1e-9
    late_h = np.where(late, time_h - standard, 0.0)
    carbon = co2_t * inp.carbon_price
    if len(inp.corr_late_fixed):
        late_pen = np.where(late, inp.corr_late_fixed[corridor]
                            + inp.corr_late_hourly[corridor] * late_h, 0.0)
    else:
        late_pen = np.where(late, inp.late_penalty, 0.0)
    cost = transport + handling + carbon + late_pen

    # line-haul km by mode, main mode = mode of the longest line-haul leg (longest leg if none)
    km = inp.link_km[leg_link]
    is_lh = inp.link_is_lh[leg_link]
    lh_pkm = np.zeros((n, inp.n_modes))
    np.add.at(lh_pkm, (leg_path[is_lh], inp.link_mode[leg_link][is_lh]), km[is_lh])
    key = km + np.where(is_lh, 1e9, 0.0)  # prefer line-haul legs, then longer
    main_mode = np.zeros(n, dtype=np.int64)
    if len(leg_link):
        order = np.lexsort((-key, leg_path))
        first = np.ones(len(order), bool)
        first[1:] = leg_path[order][1:] != leg_path[order][:-1]
        main_mode[leg_path[order][first]] = inp.link_mode[leg_link[order][first]]

    first_hub = np.full(n, -1, dtype=np.int64)
    last_hub = np.full(n, -1, dtype=np.int64)
    has = hub_len > 0
    first_hub[has] = hub_idx[hub_ptr[:-1][has]]
    last_hub[has] = hub_idx[hub_ptr[1:][has] - 1]

    keep = np.ones(n, bool)
    if inp.service_policy == "forbid":
        keep &= ~late
    if len(inp.corr_modes_ok) and not inp.corr_modes_ok.all():
        # a segment's allowed modes bind its line-haul legs
        bad_leg = is_lh & ~inp.corr_modes_ok[corridor[leg_path], inp.link_mode[leg_link]]
        keep &= np.bincount(leg_path[bad_leg], minlength=n) == 0
    keep &= _cap_per_corridor(corridor, cost, time_h, main_mode, keep, max_paths)

    full = PathSet(
        corridor=corridor, leg_ptr=leg_ptr, leg_link=leg_link, hub_ptr=hub_ptr,
        hub_idx=hub_idx, first_hub=first_hub, last_hub=last_hub, cost=cost,
        transport=transport, handling=handling, carbon=carbon, late_penalty=late_pen,
        co2_t=co2_t, time_h=time_h, late=late, main_mode=main_mode, lh_pkm=lh_pkm,
        late_h=late_h, pe=pe)
    return subset(full, np.flatnonzero(keep))


def subset(ps: PathSet, idx: np.ndarray) -> PathSet:
    """The paths `idx` of `ps` (in that order)."""
    leg_len = np.diff(ps.leg_ptr)[idx]
    hub_len = np.diff(ps.hub_ptr)[idx]

    def gather(ptr: np.ndarray, lens: np.ndarray) -> np.ndarray:
        if not len(idx) or not lens.sum():
            return np.zeros(0, np.int64)
        starts = np.repeat(ptr[idx], lens)
        offs = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
        return starts + offs

    return PathSet(
        corridor=ps.corridor[idx],
        leg_ptr=np.concatenate(([0], np.cumsum(leg_len))).astype(np.int64),
        leg_link=ps.leg_link[gather(ps.leg_ptr, leg_len)].astype(np.int64),
        hub_ptr=np.concatenate(([0], np.cumsum(hub_len))).astype(np.int64),
        hub_idx=ps.hub_idx[gather(ps.hub_ptr, hub_len)].astype(np.int64),
        first_hub=ps.first_hub[idx], last_hub=ps.last_hub[idx], cost=ps.cost[idx],
        transport=ps.transport[idx], handling=ps.handling[idx], carbon=ps.carbon[idx],
        late_penalty=ps.late_penalty[idx], co2_t=ps.co2_t[idx], time_h=ps.time_h[idx],
        late=ps.late[idx], main_mode=ps.main_mode[idx], lh_pkm=ps.lh_pkm[idx],
        late_h=ps.late_h[idx], pe=ps.pe[idx],
    )


def _cap_per_corridor(corridor: np.ndarray, cost: np.ndarray, time_h: np.ndarray,
                      main_mode: np.ndarray, eligible: np.ndarray, max_paths: int) -> np.ndarray:
    """Mask keeping at most `max_paths` cheapest eligible paths per corridor, plus the fastest
    and the cheapest path per main mode."""
    keep = np.zeros(len(corridor), bool)
    if not len(corridor):
        return keep
    cand = np.flatnonzero(eligible)
    if not len(cand):  # every path excluded (e.g. all late under policy "forbid")
        return keep
    order = cand[np.lexsort((cost[cand], corridor[cand]))]
    corr_sorted = corridor[order]
    start = np.concatenate(([True], corr_sorted[1:] != corr_sorted[:-1]))
    group_start = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - group_start
    keep[order[rank < max_paths]] = True
    # cheapest per (corridor, main mode): first occurrence in cost order
    pairs = corr_sorted * 16 + main_mode[order]
    _, first_idx = np.unique(pairs, return_index=True)
    keep[order[first_idx]] = True
    # fastest per corridor
    order_t = cand[np.lexsort((time_h[cand], corridor[cand]))]
    ct = corridor[order_t]
    first_t = np.concatenate(([True], ct[1:] != ct[:-1]))
    keep[order_t[first_t]] = True
    return keep
