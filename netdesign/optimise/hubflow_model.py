"""The exact hub-flow model (Ernst & Krishnamoorthy) for single allocation: index sets,
variables, one ``define_*`` per constraint family (registry `FAMILIES`), objective, Design.

Notation (docs/model.md, "Exact hub-flow aggregation"): z_ik node i allocated to hub k;
f_ia share of the O_i parcels/day originating at node i that travel on hub arc a = (k -> l)
(a fraction: O_i f_ia parcels/day; see `define_balance` for why); y_k optional hub k open
(z_kk itself for an optional hub at a demand node, as in the paper; `hub_open` otherwise);
n_k hub modules; O_i / D_i parcels/day leaving / reaching node i; W_ij corridor demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netdesign.optimise.built import Built
from netdesign.optimise.extract import empty_design, hub_table, link_table
from netdesign.optimise.hubflow import unit_cost
from netdesign.optimise.linear import Index, Lin, LinearModel
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.solution import Design

TOL = 1e-9


@dataclass
class HubSets:
    """Index sets and coefficients of the hub-flow model.

    Z (i, k) admissible allocations and z_cost (CNY/day when z_ik = 1: collection and
    distribution legs); I nodes with demand; arcs a: arc_from/arc_to hub and arc_link link;
    F (i, a) flow variables (origins x arcs); B (i, k) balance rows (origins x used hubs);
    K hubs some node may use; K_cap those with finite capacity; K_opt optional ones,
    K_own those at a demand node (y_k = z_kk), K_sep the others (own `hub_open` variable);
    K_mod hubs with modules (mod_ub); I_fixed nodes of hubs that always exist;
    Z_open (i, k) with k optional and i not k's node; W entries (i, j, k, w) of the balance
    term w = W_ij on z_jk.
    """

    Z: Index
    z_cost: np.ndarray
    I: Index  # noqa: E741 - the node set of the paper's notation
    arc_from: np.ndarray
    arc_to: np.ndarray
    arc_link: np.ndarray
    F: Index
    B: Index
    K: np.ndarray
    K_cap: Index
    K_opt: np.ndarray
    K_own: np.ndarray
    K_sep: Index
    K_mod: Index
    mod_ub: np.ndarray
    I_fixed: Index
    Z_open: Index
    W_i: np.ndarray
    W_j: np.ndarray
    W_k: np.ndarray
    W_w: np.ndarray
    O: np.ndarray  # noqa: E741 - the paper's name
    D: np.ndarray
    eff_cap: np.ndarray
    col: dict[tuple[int, int], int]
    dist: dict[tuple[int, int], int]


def hub_sets(data: ModelData) -> HubSets:
    """Derive the hub-flow index sets (all the plumbing of the formulation is here)."""
    H, N = data.n_hubs, len(data.node_ids)
    nodes_l, hubs_l = [data.node_ids], [data.hub_ids]
    O = np.bincount(data.corr_origin, weights=data.demand, minlength=N)  # noqa: E741
    D = np.bincount(data.corr_dest, weights=data.demand, minlength=N)
    nodes = np.flatnonzero((O > 0) | (D > 0))
    use = np.flatnonzero(data.link_usable)
    frm, to, role = data.link_from, data.link_to, data.link_role
    col = {(int(frm[lk]), int(data.node_hub[to[lk]])): int(lk)
           for lk in use if role[lk] == 0 and data.node_hub[to[lk]] >= 0}
    dist = {(int(data.node_hub[frm[lk]]), int(to[lk])): int(lk)
            for lk in use if role[lk] == 2 and data.node_hub[frm[lk]] >= 0}
    lh = use[role[use] == 1]
    ucost = unit_cost(data, np.arange(data.n_links))

    pairs, zcost = [], []
    for i in nodes.tolist():
        for k in range(H):
            own = data.hub_node[k] == i
            ok_o = O[i] == 0 or own or (i, k) in col
            ok_d = D[i] == 0 or own or (k, i) in dist
            if ok_o and ok_d:
                cc = 0.0 if own or O[i] == 0 else ucost[col[(i, k)]] * O[i]
                cd = 0.0 if own or D[i] == 0 else ucost[dist[(k, i)]] * D[i]
                pairs.append((i, k))
                zcost.append(cc + cd)
    z = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    Z = Index((z[:, 0], z[:, 1]), nodes_l + hubs_l)
    K = np.unique(z[:, 1])
    origins = nodes[O[nodes] > 0]
    n_arcs = len(lh)
    F = Index((np.repeat(origins, n_arcs), np.tile(np.arange(n_arcs), len(origins))),
              nodes_l + [[data.link_ids[lk] for lk in lh]])
    B = Index((np.repeat(origins, len(K)), np.tile(K, len(origins))), nodes_l + hubs_l)

    K_opt = K[data.hub_optional[K]]
    own = Z.locate((data.hub_node[K_opt], K_opt)) >= 0
    K_own, K_sep = K_opt[own], K_opt[~own]
    eff = np.minimum(data.hub_cap, data.hub_cap_cap)
    K_mod = K[(data.hub_module[K] > 0) & np.isfinite(data.hub_cap[K])]
    mod_ub = np.zeros(H)
    for k in K_mod.tolist():
        ub = np.ceil(max(0.0, O.sum() - data.hub_cap[k]) / data.hub_module[k] - TOL)
        if np.isfinite(data.hub_cap_cap[k]):
            ub = min(ub, max(0.0, np.floor((data.hub_cap_cap[k] - data.hub_cap[k])
                                           / data.hub_module[k] + TOL)))
        if np.isfinite(data.hub_max_modules[k]):
            ub = min(ub, data.hub_max_modules[k])
        mod_ub[k] = float(ub)
    self_pair = data.hub_node[z[:, 1]] == z[:, 0]
    fixed_self = self_pair & ~data.hub_optional[z[:, 1]]
    opened = data.hub_optional[z[:, 1]] & ~self_pair

    # the balance term W_ij z_jk: every corridor demand W_ij times every allocation of j
    W: dict[tuple[int, int], float] = {}
    for c in np.flatnonzero(data.demand > 0).tolist():
        key = (int(data.corr_origin[c]), int(data.corr_dest[c]))
        W[key] = W.get(key, 0.0) + float(data.demand[c])
    wi = np.array([k[0] for k in W], np.int64)
    wj = np.array([k[1] for k in W], np.int64)
    ww = np.array(list(W.values()), float)
    order = np.argsort(z[:, 0], kind="stable")
    z_node = z[order, 0]
    start = np.searchsorted(z_node, wj, "left")
    count = np.searchsorted(z_node, wj, "right") - start
    rep = np.repeat(np.arange(len(wi)), count)
    offs = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    zk = z[order[np.repeat(start, count) + offs], 1]
    return HubSets(
        Z=Z, z_cost=np.array(zcost, float), I=Index(np.unique(z[:, 0]), nodes_l),
        arc_from=data.node_hub[frm[lh]], arc_to=data.node_hub[to[lh]], arc_link=lh,
        F=F, B=B, K=K, K_cap=Index(K[np.isfinite(eff[K])], hubs_l), K_opt=K_opt,
        K_own=K_own, K_sep=Index(K_sep, hubs_l), K_mod=Index(K_mod, hubs_l), mod_ub=mod_ub,
        I_fixed=Index(z[fixed_self, 0], nodes_l),
        Z_open=Z.subset(np.flatnonzero(opened)),
        W_i=wi[rep], W_j=wj[rep], W_k=zk, W_w=ww[rep], O=O, D=D, eff_cap=eff,
        col=col, dist=dist)


@dataclass
class HubCtx:
    data: ModelData
    sets: HubSets


def open_var(m: LinearModel, ctx: HubCtx, k: np.ndarray) -> Lin:
    """y_k, one term per hub in `k`: z_kk for optional hubs at a demand node, else
    hub_open[k] (absent, i.e. dropped, for hubs that always exist)."""
    own = np.isin(k, ctx.sets.K_own)
    node = np.where(own, ctx.data.hub_node[k], -1)
    return m.alloc[node, k].otherwise(m.hub_open[k])


def define_variables(m: LinearModel, ctx: HubCtx) -> None:
    """alloc(i,k) binary; flow(i,a) >= 0, share of origin i's O_i parcels/day on arc a;
    hub_open(k) binary (K_sep); hub_modules(k) integer 0..N̄_k."""
    s = ctx.sets
    m.add_variables("alloc", s.Z, upper=1.0, integer=True, doc="node i served by hub k")
    m.add_variables("flow", s.F, doc="share of origin i's parcels/day (O_i) on hub arc a")
    m.add_variables("hub_open", s.K_sep, upper=1.0, integer=True, doc="optional hub opened")
    m.add_variables("hub_modules", s.K_mod, upper=s.mod_ub[s.K_mod.ids], integer=True,
                    doc="hub sorting modules added")


def define_allocate_one(m: LinearModel, ctx: HubCtx) -> None:
    """allocate_one(i):  Σ_k z_ik = 1      i ∈ I."""
    s = ctx.sets
    i, _k = s.Z.keys
    m.add_constraints("allocate_one", s.I, m.alloc[s.Z].by(i) == 1, define_allocate_one.__doc__)


def define_allocate_open(m: LinearModel, ctx: HubCtx) -> None:
    """allocate_open(i,k):  z_ik − y_k ≤ 0      (i, k) ∈ Z_open (k optional, i not k's node)."""
    s = ctx.sets
    i, k = s.Z_open.keys
    m.add_constraints("allocate_open", s.Z_open,
                      m.alloc[i, k].by(i, k) - open_var(m, ctx, k).by(i, k) <= 0,
                      define_allocate_open.__doc__)


def define_allocate_self(m: LinearModel, ctx: HubCtx) -> None:
    """allocate_self(i):  z_{i,h(i)} = 1      i ∈ I_fixed (a hub that always exists serves its
    own node; for optional hubs z_kk is y_k itself)."""
    s, hub_of = ctx.sets, ctx.data.node_hub
    i = s.I_fixed.ids
    m.add_constraints("allocate_self", s.I_fixed, m.alloc[i, hub_of[i]].by(i) == 1,
                      define_allocate_self.__doc__)


def define_balance(m: LinearModel, ctx: HubCtx) -> None:
    """balance(i,k):  z_ik + Σ_{a into k} f_ia − Σ_{a out of k} f_ia − Σ_j (W_ij/O_i) z_jk = 0
    (i, k) ∈ B (origins x hubs; shares of O_i).

    E&K's row O_i z_ik + Σ_in y_ia − Σ_out y_ia − Σ_j W_ij z_jk = 0 (y in parcels/day) divided
    by O_i, with y_ia = O_i f_ia: the same polyhedron, but every coefficient of the row is in
    [0, 1] and the arc costs c_a O_i are of the order of the allocation costs. HiGHS solves the
    LP relaxation of this form several times faster (docs/benchmarks.md, "AP: hub-flow model
    against the lean E&K reference")."""
    s = ctx.sets
    i, k = s.Z.keys
    fi, a = s.F.keys
    m.add_constraints("balance", s.B,
                      m.alloc[i, k].by(i, k)
                      + m.flow[fi, a].by(fi, s.arc_to[a]) - m.flow[fi, a].by(fi, s.arc_from[a])
                      - (s.W_w / s.O[s.W_i]) * m.alloc[s.W_j, s.W_k].by(s.W_i, s.W_k) == 0,
                      define_balance.__doc__)


def define_hub_capacity(m: LinearModel, ctx: HubCtx) -> None:
    """hub_capacity(k):  Σ_i O_i z_ik − Q_k n_k − K_k y_k ≤ 0  (≤ K_k for hubs that always
    exist)      k ∈ K_cap (collected volume, parcels/day)."""
    s, d, K = ctx.sets, ctx.data, ctx.sets.K_cap
    i, k = s.Z.keys
    cap = s.eff_cap[K.ids]
    optional = d.hub_optional[K.ids]
    m.add_constraints("hub_capacity", K,
                      s.O[i] * m.alloc[i, k].by(k) - d.hub_module[K.ids] * m.hub_modules[K].by(K)
                      - cap * open_var(m, ctx, K.ids).by(K) <= np.where(optional, 0.0, cap),
                      define_hub_capacity.__doc__)


def define_capacity_cover(m: LinearModel, ctx: HubCtx) -> None:
    """capacity_cover:  Σ_{k opt} K_k y_k ≥ Σ_i O_i − Σ_{k fixed} K_k  (valid inequality; only
    when every usable hub has a finite capacity and none can add modules)."""
    s = ctx.sets
    if not len(s.K_cap) or len(s.K_mod) or len(s.K_cap) != len(s.K):
        return
    fixed = np.setdiff1d(s.K, s.K_opt)
    k = s.K_opt
    m.add_constraints("capacity_cover", Index.single(),
                      (s.eff_cap[k] * open_var(m, ctx, k)).by()
                      >= float(s.O.sum() - s.eff_cap[fixed].sum()),
                      define_capacity_cover.__doc__)


FAMILIES: tuple[Callable[[LinearModel, HubCtx], None], ...] = (
    define_allocate_one, define_allocate_open, define_allocate_self, define_balance,
    define_hub_capacity, define_capacity_cover,
)
"""The hub-flow model's constraint families, in row order."""


def define_objective(m: LinearModel, ctx: HubCtx) -> None:
    """minimise  Σ_{i,k} (c^col_ik O_i + c^dist_ki D_i) z_ik + Σ_{i,a} c_a O_i f_ia
    + Σ_k F_k y_k + Σ_k C_k n_k   (CNY/day)."""
    s, d = ctx.sets, ctx.data
    fi, a = s.F.keys
    k = s.K_opt
    m.minimise(s.z_cost * m.alloc.all + unit_cost(d, s.arc_link[a]) * s.O[fi] * m.flow.all
               + d.hub_fixed_cost[k] * open_var(m, ctx, k)
               + d.hub_module_cost[m.hub_modules.ids] * m.hub_modules.all,
               define_objective.__doc__)


def build_hubflow(data: ModelData) -> Built:
    """Build the aggregated model; returns a `Built`."""
    m = LinearModel("netdesign_hubflow")
    ctx = HubCtx(data, hub_sets(data))
    define_variables(m, ctx)
    for family in FAMILIES:
        family(m, ctx)
    define_objective(m, ctx)

    def extract(values: np.ndarray, report) -> Design:
        return _design(m, ctx, values, report)

    return Built(m, "hubflow", 0, extract, lambda report: empty_design(data, report))


def _design(m: LinearModel, ctx: HubCtx, values: np.ndarray, report) -> Design:
    """Design tables from allocations and aggregated arc flows."""
    data, s = ctx.data, ctx.sets
    zi, zk = s.Z.keys
    chosen = m.alloc.values(values) > 0.5
    hub_of_node = dict(zip(zi[chosen].tolist(), zk[chosen].tolist(), strict=True))
    # parcels/day = share x O_i of the origin (F is origins x arcs, origin-major)
    fval = np.maximum(m.flow.values(values) * s.O[s.F.keys[0]], 0.0).reshape(
        -1, len(s.arc_link)) if len(s.F) else np.zeros((0, 0))
    col, dist, O, D = s.col, s.dist, s.O, s.D  # noqa: E741

    link_flow = np.zeros(data.n_links)
    for i, k in hub_of_node.items():
        if data.hub_node[k] != i:
            if O[i] > 0:
                link_flow[col[(i, k)]] += O[i]
            if D[i] > 0:
                link_flow[dist[(k, i)]] += D[i]
    if len(s.arc_link) and fval.size:
        np.add.at(link_flow, s.arc_link, fval.sum(axis=0))
    modules = np.zeros(data.n_hubs)
    modules[m.hub_modules.ids] = np.round(m.hub_modules.values(values))
    is_open = ~data.hub_optional.copy()
    y = open_var(m, ctx, s.K_opt)
    is_open[s.K_opt] = values[y.col] > 0.5
    throughput = np.zeros(data.n_hubs)
    for i, k in hub_of_node.items():
        throughput[k] += O[i]

    flow = np.zeros((data.n_corridors, data.n_modes))
    arc_mode = {(int(a), int(b)): data.link_mode[lk]
                for a, b, lk in zip(s.arc_from, s.arc_to, s.arc_link, strict=True)}
    for c in np.flatnonzero(data.demand > 0):
        o, d = int(data.corr_origin[c]), int(data.corr_dest[c])
        k, h2 = hub_of_node[o], hub_of_node[d]
        if k != h2:
            mode = arc_mode[(k, h2)]
        else:
            legs = [col[(o, k)]] if data.hub_node[k] != o else []
            legs += [dist[(k, d)]] if data.hub_node[k] != d else []
            mode = data.link_mode[max(legs, key=lambda lk: data.link_km[lk])] if legs else 0
        flow[c, mode] += data.demand[c]
    lh = data.link_role == 1
    pkm = np.bincount(data.link_mode[lh], weights=(link_flow * data.link_km)[lh],
                      minlength=data.n_modes)
    co2 = float(link_flow @ data.link_co2_t)
    costs = {
        "transport": float(link_flow @ data.link_cost),
        "handling": 0.0,
        "capacity": float(modules @ data.hub_module_cost
                          + data.hub_fixed_cost[data.hub_optional & is_open].sum()),
        "carbon": co2 * data.carbon_price,
        "late_penalty": 0.0,
        "unserved_penalty": 0.0,
    }
    costs["total"] = float(sum(costs.values()))
    idx = pd.Index(data.corr_ids, name="corridor_id")
    return Design(
        corridor_flow=pd.DataFrame(flow, index=idx, columns=list(data.modes)),
        unserved=pd.Series(0.0, index=idx, name="unserved_parcels_per_day"),
        late=pd.Series(0.0, index=idx, name="late_parcels_per_day"),
        links=link_table(data, link_flow, np.zeros(data.n_links)),
        hubs=hub_table(data, throughput, modules, is_open),
        parcel_km={m: float(v) for m, v in zip(data.modes, pkm, strict=True)},
        costs=costs, co2_t_per_day=co2, report=report,
    )
