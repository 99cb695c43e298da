"""Sparse index sets of the path-based model, computed once with numpy (no Pyomo here).

Every set holds only what the candidate paths touch: a link's capacity row exists only if a
path uses the link and its capacity is finite; an allocation pair (node, hub) only if some
path of a corridor at that node is served by that hub; and so on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from netdesign.optimise.linear import Index
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.paths import PathSet


@dataclass
class Layout:
    """Index sets and bounds of the path-based formulation.

    served:        corridor indices with demand > 0 (they get a demand row).
    link_rows:     link indices with a capacity row (used, finite capacity).
    link_mod:      subset of link_rows with a module variable; link_mod_ub their bounds.
    freq_links:    links with a minimum-frequency requirement; freq_need modules each.
    hub_rows:      hub indices with a capacity row; hub_mod (+ub) those with module variables.
    opt_hubs:      optional hubs used by some path (binary open variable).
    alloc_pairs:   (node, hub) pairs of single allocation (empty for multiple).
    link_demand:   upper bound on each link's flow (sum of demand of corridors using it, in
                   reference parcels: demand x the corridor's parcel equivalents).
    hub_demand:    upper bound on each hub's throughput.
    """

    served: np.ndarray
    link_rows: np.ndarray
    link_mod: np.ndarray
    link_mod_ub: np.ndarray
    freq_links: np.ndarray
    freq_need: np.ndarray
    hub_rows: np.ndarray
    hub_eff_cap: np.ndarray
    hub_mod: np.ndarray
    hub_mod_ub: np.ndarray
    opt_hubs: np.ndarray
    alloc_pairs: list[tuple[int, int]]
    link_demand: np.ndarray
    hub_demand: np.ndarray
    hub_path_of: np.ndarray  # entries of the hub-basis incidence (path per entry)
    hub_hub_of: np.ndarray   # hub per entry
    flow_links: np.ndarray   # links with a flow variable (capacity, frequency or hub rows)
    row_path: np.ndarray     # hub-row path entries: path ...
    row_path_hub: np.ndarray  # ... and its hub
    row_link: np.ndarray     # hub-row link entries: link ...
    row_link_hub: np.ndarray  # ... and its hub


def _upper_demand(entries_path: np.ndarray, entries_obj: np.ndarray, corridor: np.ndarray,
                  demand: np.ndarray, n_obj: int) -> np.ndarray:
    """Sum of demand of the distinct corridors whose paths touch each object."""
    if not len(entries_path):
        return np.zeros(n_obj)
    n_c = len(demand)
    keys = np.unique(entries_obj.astype(np.int64) * n_c + corridor[entries_path])
    obj, corr = np.divmod(keys, n_c)
    return np.bincount(obj, weights=demand[corr], minlength=n_obj)


def build_layout(data: ModelData, paths: PathSet) -> Layout:
    """Derive the sparse index sets and variable bounds from the candidate paths."""
    served = np.flatnonzero(data.demand > 0)
    leg_path = paths.path_of_leg()
    # capacity rows count reference parcels: a corridor's parcels weigh e_c = corr_pe each
    demand_ref = data.demand * data.corr_pe if len(data.corr_pe) else data.demand
    link_demand = _upper_demand(leg_path, paths.leg_link, paths.corridor, demand_ref,
                                data.n_links)
    used_links = np.flatnonzero(link_demand > 0)

    if data.hub_capacity_basis == "collected":
        has = paths.first_hub >= 0
        hub_path_of = np.flatnonzero(has)
        hub_hub_of = paths.first_hub[has]
    else:
        hub_path_of = paths.path_of_hub()
        hub_hub_of = paths.hub_idx
    all_hub_path = paths.path_of_hub()
    hub_demand = _upper_demand(all_hub_path, paths.hub_idx, paths.corridor, demand_ref,
                               data.n_hubs)
    basis_demand = _upper_demand(hub_path_of, hub_hub_of, paths.corridor, demand_ref,
                                 data.n_hubs)

    finite = np.isfinite(data.link_cap[used_links])
    link_rows = used_links[finite]
    expandable = data.link_module[link_rows] > 0
    link_mod = link_rows[expandable]
    sigma = data.design_scale  # capacity rows hold σ × average-day flow (peak / utilisation)
    link_mod_ub = np.array([
        math.ceil(max(0.0, sigma * link_demand[lk] - data.link_cap[lk]) / data.link_module[lk]
                  - 1e-9)
        for lk in link_mod], dtype=float)

    # minimum weekly frequency: departures/week = D_l * (capacity/module + modules added),
    # D_l = departures/week one module stands for (7 = daily)
    dpm = data.link_departures_per_module if len(data.link_departures_per_module) \
        else np.full(data.n_links, 7.0)
    need = []
    freq_links = []
    for lk in used_links:
        mw = data.link_min_weekly[lk]
        mod = data.link_module[lk]
        if mw <= 0 or mod <= 0 or not np.isfinite(data.link_cap[lk]):
            continue
        n_req = math.ceil(mw / dpm[lk] - data.link_cap[lk] / mod - 1e-9)
        if n_req > 0:
            freq_links.append(lk)
            need.append(n_req)
    freq_links_a = np.array(freq_links, dtype=np.int64)
    freq_need = np.array(need, dtype=float)
    if len(freq_links_a):
        pos = {int(lk): i for i, lk in enumerate(link_mod)}
        for lk, n_req in zip(freq_links_a, freq_need, strict=False):
            link_mod_ub[pos[int(lk)]] = max(link_mod_ub[pos[int(lk)]], n_req)

    used_hubs = np.flatnonzero(hub_demand > 0)
    opt_hubs = used_hubs[data.hub_optional[used_hubs]]
    eff_cap = np.minimum(data.hub_cap, data.hub_cap_cap)
    rows_mask = np.isfinite(eff_cap) & (basis_demand > 0)
    hub_rows = np.flatnonzero(rows_mask)
    hub_mod = hub_rows[(data.hub_module[hub_rows] > 0) & np.isfinite(data.hub_cap[hub_rows])]
    ubs = []
    for k in hub_mod:
        room = data.hub_cap_cap[k] - data.hub_cap[k]
        ub = math.ceil(max(0.0, sigma * basis_demand[k] - data.hub_cap[k]) / data.hub_module[k]
                       - 1e-9)
        if np.isfinite(room):
            ub = min(ub, max(0, math.floor(room / data.hub_module[k] + 1e-9)))
        if np.isfinite(data.hub_max_modules[k]):
            ub = min(ub, int(data.hub_max_modules[k]))
        ubs.append(ub)
    hub_mod_ub = np.array(ubs, dtype=float)

    alloc_pairs: list[tuple[int, int]] = []
    if data.allocation == "single":
        o = data.corr_origin[paths.corridor]
        d = data.corr_dest[paths.corridor]
        pairs = np.concatenate([np.stack([o, paths.first_hub], 1),
                                np.stack([d, paths.last_hub], 1)])
        pairs = pairs[pairs[:, 1] >= 0]
        alloc_pairs = [tuple(map(int, r)) for r in np.unique(pairs, axis=0)]

    # hub rows through link flows (throughput basis): the parcels a hub handles are those
    # entering it by a collection or line-haul leg, plus those starting at it (its own node
    # is the origin and is handled) -- far fewer terms than one per path and hub passed
    if data.hub_capacity_basis == "collected":
        row_path, row_path_hub = hub_path_of, hub_hub_of
        row_link = row_link_hub = np.zeros(0, np.int64)
    else:
        has = np.diff(paths.hub_ptr) > 0
        first = np.full(paths.n, -1, np.int64)
        first[has] = paths.hub_idx[paths.hub_ptr[:-1][has]]
        origin_hub = data.node_hub[data.corr_origin[paths.corridor]]
        starts = (first >= 0) & (first == origin_hub)
        row_path = np.flatnonzero(starts)
        row_path_hub = first[starts]
        inbound = used_links[(data.link_role[used_links] != 2)
                             & (data.node_hub[data.link_to[used_links]] >= 0)]
        row_link = inbound
        row_link_hub = data.node_hub[data.link_to[inbound]]
    want = np.zeros(data.n_hubs, bool)
    want[hub_rows] = True
    keep_p, keep_l = want[row_path_hub], want[row_link_hub]
    row_path, row_path_hub = row_path[keep_p], row_path_hub[keep_p]
    row_link, row_link_hub = row_link[keep_l], row_link_hub[keep_l]
    flow_links = np.unique(np.concatenate([link_rows, freq_links_a, row_link])).astype(np.int64)

    return Layout(served=served, link_rows=link_rows, link_mod=link_mod,
                  link_mod_ub=link_mod_ub, freq_links=freq_links_a, freq_need=freq_need,
                  hub_rows=hub_rows, hub_eff_cap=eff_cap, hub_mod=hub_mod, hub_mod_ub=hub_mod_ub,
                  opt_hubs=opt_hubs, alloc_pairs=alloc_pairs, link_demand=link_demand,
                  hub_demand=np.maximum(hub_demand, basis_demand),
                  hub_path_of=hub_path_of, hub_hub_of=hub_hub_of, flow_links=flow_links,
                  row_path=row_path, row_path_hub=row_path_hub, row_link=row_link,
                  row_link_hub=row_link_hub)


class PathLabels:
    """Labels of each path, computed when asked: (corridor id, ``link.link...``)."""

    def __init__(self, data: ModelData, paths: PathSet):
        self.data, self.paths = data, paths

    def __len__(self) -> int:
        return self.paths.n

    def __getitem__(self, p: int) -> tuple[str, str]:
        links = ".".join(self.data.link_ids[lk] for lk in self.paths.legs(int(p)))
        return self.data.corr_ids[self.paths.corridor[p]], links or "none"


@dataclass
class Sets:
    """The named index sets of the path formulation (docs/model.md, "Sets").

    Variable sets: P paths; C_u corridors with an unserved slack; L_flow links with a flow
    variable; L_mod links with modules; L_freq links with a frequency requirement; K_mod hubs
    with modules; K_opt optional hubs (K_opt_mod those with modules); Z allocation pairs
    (node, hub).
    Row sets: C served corridors; L_cap links with a capacity row; K_cap hubs with a capacity
    row; CK (corridor, optional hub) pairs on some path; I allocated nodes; CO / CD
    (corridor, first hub) and (corridor, last hub) pairs; Z_opt pairs with an optional hub;
    I_self nodes that are themselves a hub of Z.
    Entry arrays (one element per incidence): leg_path/leg_link (path uses link),
    hub_path/hub_hub (path passes hub), cap_path/cap_hub and cap_link/cap_link_hub (what a
    hub's capacity counts, docs/model.md "Hub capacity").
    """

    P: Index
    C: Index
    C_u: Index
    L_flow: Index
    L_cap: Index
    L_mod: Index
    L_freq: Index
    K_cap: Index
    K_mod: Index
    K_opt: Index
    K_opt_mod: Index
    Z: Index
    I: Index  # noqa: E741 - the node set of the model's notation
    CK: Index
    CO: Index
    CD: Index
    Z_opt: Index
    I_self: Index
    leg_path: np.ndarray
    leg_link: np.ndarray
    hub_path: np.ndarray
    hub_hub: np.ndarray
    cap_path: np.ndarray
    cap_hub: np.ndarray
    cap_link: np.ndarray
    cap_link_hub: np.ndarray
    link_mod_ub: np.ndarray   # by link (0 where no modules)
    hub_mod_ub: np.ndarray    # by hub (0 where no modules)
    freq_need: np.ndarray     # by link: N_l modules (0 where no requirement)


def index_sets(data: ModelData, paths: PathSet, lay: Layout) -> Sets:
    """Name the layout's arrays as index sets (with labels for rows and columns)."""
    corr, links, hubs, nodes = [data.corr_ids], [data.link_ids], [data.hub_ids], [data.node_ids]
    path_no = np.arange(paths.n)
    link_mod_ub = np.zeros(data.n_links)
    link_mod_ub[lay.link_mod] = lay.link_mod_ub
    hub_mod_ub = np.zeros(data.n_hubs)
    hub_mod_ub[lay.hub_mod] = lay.hub_mod_ub
    freq_need = np.zeros(data.n_links)
    freq_need[lay.freq_links] = lay.freq_need

    z = np.array(lay.alloc_pairs, dtype=np.int64).reshape(-1, 2)
    Z = Index((z[:, 0], z[:, 1]), nodes + hubs)
    z_opt = data.hub_optional[z[:, 1]] & np.isin(z[:, 1], lay.opt_hubs)
    z_self = data.hub_node[z[:, 1]] == z[:, 0]
    hub_path = paths.path_of_hub()
    through_opt = np.isin(paths.hub_idx, lay.opt_hubs)
    first, last = paths.first_hub >= 0, paths.last_hub >= 0
    # a hub's capacity row exists when something counts towards it
    counted = np.union1d(lay.row_path_hub, lay.row_link_hub)
    return Sets(
        P=Index(path_no, [PathLabels(data, paths)]),
        C=Index(lay.served, corr),
        C_u=Index(lay.served if data.allow_unserved else lay.served[:0], corr),
        L_flow=Index(lay.flow_links, links),
        L_cap=Index(lay.link_rows, links),
        L_mod=Index(lay.link_mod, links),
        L_freq=Index(lay.freq_links, links),
        K_cap=Index(np.intersect1d(lay.hub_rows, counted), hubs),
        K_mod=Index(lay.hub_mod, hubs),
        K_opt=Index(lay.opt_hubs, hubs),
        K_opt_mod=Index(np.intersect1d(lay.hub_mod, lay.opt_hubs), hubs),
        Z=Z,
        I=Index.distinct(z[:, 0], nodes),
        CK=Index.distinct((paths.corridor[hub_path[through_opt]], paths.hub_idx[through_opt]),
                          corr + hubs),
        CO=Index.distinct((paths.corridor[first], paths.first_hub[first]), corr + hubs),
        CD=Index.distinct((paths.corridor[last], paths.last_hub[last]), corr + hubs),
        Z_opt=Z.subset(np.flatnonzero(z_opt)),
        I_self=Index(z[z_self, 0], nodes),
        leg_path=paths.path_of_leg(), leg_link=paths.leg_link,
        hub_path=hub_path, hub_hub=paths.hub_idx,
        cap_path=lay.row_path, cap_hub=lay.row_path_hub,
        cap_link=lay.row_link, cap_link_hub=lay.row_link_hub,
        link_mod_ub=link_mod_ub, hub_mod_ub=hub_mod_ub, freq_need=freq_need,
    )
