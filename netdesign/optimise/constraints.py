"""Constraint families of the path-based model, one ``define_*`` function each.

Notation (docs/model.md): corridors c with demand D_c (parcels/day); candidate paths p in P(c)
with flow x_p (parcels/day); unserved slack u_c; link l with existing capacity K_l, module size
Q_l and integer modules m_l; hub k with capacity K_k, module size Q_k, modules n_k, open
binary y_k (optional hubs); allocation binaries z_{i,k} (single allocation).
Rows are built from precomputed coefficient lists (no Python-level algebra per term).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from netdesign.optimise.layout import Layout
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.paths import PathSet


@dataclass
class Ctx:
    """What every ``define_*`` function needs: data, paths, index sets and variable handles."""

    data: ModelData
    paths: PathSet
    layout: Layout
    x: list = field(default_factory=list)            # path flows, by path index
    f: dict[int, object] = field(default_factory=dict)     # link -> flow
    u: dict[int, object] = field(default_factory=dict)     # corridor -> unserved
    ml: dict[int, object] = field(default_factory=dict)    # link -> modules
    w: dict[int, object] = field(default_factory=dict)     # link -> used (frequency links)
    mh: dict[int, object] = field(default_factory=dict)    # hub -> modules
    y: dict[int, object] = field(default_factory=dict)     # hub -> open
    z: dict[tuple[int, int], object] = field(default_factory=dict)  # (node, hub) -> allocated


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Building creates ~1e5-1e6 small expression objects; the cyclic GC would otherwise
    scan them repeatedly (measured: 4x slower builds). Nothing built here forms cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lin(coefs, variables) -> LinearExpression:
    """sum_i coefs[i] * variables[i] as one flat linear expression.

    Unit coefficients are passed as bare variables (no MonomialTermExpression objects): most
    entries of this model are 1, and both building and compiling are cheaper that way.
    """
    coefs = coefs.tolist() if isinstance(coefs, np.ndarray) else coefs
    args = [v if c == 1 else MonomialTermExpression((float(c), v))
            for c, v in zip(coefs, variables, strict=True)]
    return LinearExpression(args)


def unit_lin(unit_vars: list, coefs=(), variables=()) -> LinearExpression:
    """sum of `unit_vars` (coefficient 1, the bulk of every row here) + sum_i coefs[i] *
    variables[i]: the same expression as `lin` over the concatenated lists, without a
    per-term coefficient test for the unit part."""
    args = list(unit_vars)
    for c, v in zip(coefs, variables, strict=True):
        args.append(v if c == 1 else MonomialTermExpression((float(c), v)))
    return LinearExpression(args)


def grouped(rows: np.ndarray, cols: np.ndarray, coefs: np.ndarray):
    """Yield (row, cols, coefs) for each distinct row of a coordinate list."""
    if not len(rows):
        return
    order = np.argsort(rows, kind="stable")
    r, c, v = rows[order], cols[order], coefs[order]
    cuts = np.flatnonzero(r[1:] != r[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(r)]))
    for s, e in zip(starts, ends, strict=False):
        yield int(r[s]), c[s:e], v[s:e]


def grouped_index(rows: np.ndarray, cols: np.ndarray):
    """Yield (row, cols as a list of ints) for each distinct row of a coordinate list."""
    if not len(rows):
        return
    order = np.argsort(rows, kind="stable")
    r, c = rows[order], cols[order].tolist()
    cuts = np.flatnonzero(r[1:] != r[:-1]) + 1
    starts = [0, *cuts.tolist()]
    ends = [*cuts.tolist(), len(r)]
    for s, e, row in zip(starts, ends, r[starts].tolist(), strict=True):
        yield row, c[s:e]


def add_rows(m: pyo.ConcreteModel, name: str, rows: dict[Hashable, object], doc: str) -> None:
    """Attach an indexed constraint `name` whose rows are prebuilt relational expressions."""
    if not rows:
        return

    setattr(m, name, pyo.Constraint(list(rows), rule=rows, doc=doc))


def _xs(ctx: Ctx, idx) -> list:
    x = ctx.x
    return [x[i] for i in (idx.tolist() if isinstance(idx, np.ndarray) else idx)]


def define_demand(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Demand: sum_{p in P(c)} x_p + u_c = D_c for every corridor with D_c > 0 (parcels/day).

    u_c exists only when the scenario allows unserved demand.
    """
    d, paths = ctx.data, ctx.paths
    rows = {}
    by_corr = dict(grouped_index(paths.corridor, np.arange(paths.n)))
    for c in ctx.layout.served.tolist():
        variables = _xs(ctx, by_corr.get(c, ()))
        if c in ctx.u:
            variables.append(ctx.u[c])
        rows[d.corr_ids[c]] = unit_lin(variables) == float(d.demand[c])
    add_rows(m, "demand", rows, define_demand.__doc__)


def define_link_flow(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Link flow: sum_{p uses l} x_p - f_l = 0 (parcels/day), for links with a capacity,
    frequency or hub-capacity row (the rows below use f_l, one term instead of one per path)."""
    d, paths = ctx.data, ctx.paths
    if not ctx.f:
        return
    want = np.zeros(d.n_links, bool)
    want[list(ctx.f)] = True
    leg_path = paths.path_of_leg()
    sel = want[paths.leg_link]
    rows = {}
    for lk, ps in grouped_index(paths.leg_link[sel], leg_path[sel]):
        rows[d.link_ids[lk]] = unit_lin(_xs(ctx, ps), (-1.0,), (ctx.f[lk],)) == 0.0
    add_rows(m, "link_flow_def", rows, define_link_flow.__doc__)


def define_link_capacity(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Link capacity: f_l - Q_l m_l <= K_l (parcels/day), finite K_l only."""
    d = ctx.data
    rows = {}
    for lk in ctx.layout.link_rows.tolist():
        coefs, variables = [1.0], [ctx.f[lk]]
        if lk in ctx.ml:
            coefs.append(-float(d.link_module[lk]))
            variables.append(ctx.ml[lk])
        rows[d.link_ids[lk]] = lin(coefs, variables) <= float(d.link_cap[lk])
    add_rows(m, "link_capacity", rows, define_link_capacity.__doc__)


def define_min_frequency(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Rural minimum frequency on links with a requirement F_l (departures/week).

    Departures/week = 7 (K_l/Q_l + m_l) (existing departures/day = capacity/module size).
    With the use binary w_l:  m_l >= N_l w_l,  N_l = ceil(F_l/7 - K_l/Q_l)  (modules), and
    f_l <= U_l w_l  (U_l = demand of corridors that can use l, parcels/day).
    """
    d, lay = ctx.data, ctx.layout
    if not len(lay.freq_links):
        return
    need = dict(zip(lay.freq_links.tolist(), lay.freq_need.tolist(), strict=True))
    mods, uses = {}, {}
    for lk in lay.freq_links.tolist():
        w = ctx.w[lk]
        mods[d.link_ids[lk]] = lin([1.0, -need[lk]], [ctx.ml[lk], w]) >= 0.0
        uses[d.link_ids[lk]] = lin([1.0, -float(lay.link_demand[lk])], [ctx.f[lk], w]) <= 0.0
    add_rows(m, "min_frequency", mods, define_min_frequency.__doc__)
    add_rows(m, "link_use", uses, "Flow only on a used link: f_l <= U_l w_l.")


def define_hub_capacity(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Hub capacity: V_k - Q_k n_k - K_k y_k <= 0  (parcels/day).

    K_k = min(existing capacity, scenario cap); y_k = 1 for hubs that always exist (then the
    K_k term moves to the right-hand side). V_k, the volume the capacity counts:
    basis throughput: every parcel the hub handles = sum of f_l over collection and line-haul
    links into k + sum of x_p over paths starting (handled) at k's own node;
    basis collected: sum of x_p over paths whose first hub is k.
    """
    d, lay = ctx.data, ctx.layout
    by_hub: dict[int, tuple[list, list]] = {int(k): ([], []) for k in lay.hub_rows}
    for k, ps, co in grouped(lay.row_path_hub, lay.row_path, np.ones(len(lay.row_path))):
        by_hub[k][0].extend(co.tolist())
        by_hub[k][1].extend(_xs(ctx, ps))
    for lk, k in zip(lay.row_link.tolist(), lay.row_link_hub.tolist(), strict=True):
        by_hub[k][0].append(1.0)
        by_hub[k][1].append(ctx.f[lk])
    rows = {}
    for k, (coefs, variables) in by_hub.items():
        if not variables:
            continue
        if k in ctx.mh:
            coefs.append(-float(d.hub_module[k]))
            variables.append(ctx.mh[k])
        rhs = float(lay.hub_eff_cap[k])
        if k in ctx.y:
            coefs.append(-rhs)
            variables.append(ctx.y[k])
            rhs = 0.0
        rows[d.hub_ids[k]] = lin(coefs, variables) <= rhs
    add_rows(m, "hub_capacity", rows, define_hub_capacity.__doc__)


def define_hub_open(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Optional hubs: sum_{p in P(c), k in p} x_p <= D_c y_k for each corridor c and optional
    hub k on its paths (parcels/day), and n_k <= N^max_k y_k (modules only at open hubs)."""
    d, paths, lay = ctx.data, ctx.paths, ctx.layout
    if not len(lay.opt_hubs):
        return
    want = np.zeros(d.n_hubs, bool)
    want[lay.opt_hubs] = True
    hp = paths.path_of_hub()
    sel = want[paths.hub_idx]
    ent_path, ent_hub = hp[sel], paths.hub_idx[sel]
    key = paths.corridor[ent_path] * d.n_hubs + ent_hub
    rows = {}
    for kk, ps in grouped_index(key, ent_path):
        c, k = divmod(kk, d.n_hubs)
        rows[(d.corr_ids[c], d.hub_ids[k])] = unit_lin(
            _xs(ctx, ps), (-float(d.demand[c]),), (ctx.y[k],)) <= 0.0
    add_rows(m, "paths_need_open_hub", rows, "Paths through an optional hub only if open: "
             "sum x_p <= D_c y_k.")
    mods = {}
    for i, k in enumerate(lay.hub_mod):
        if int(k) in ctx.y:
            mods[d.hub_ids[k]] = lin([1.0, -float(lay.hub_mod_ub[i])],
                                     [ctx.mh[int(k)], ctx.y[int(k)]]) <= 0.0
    add_rows(m, "hub_modules_open", mods, "Modules only at open hubs: n_k <= N_k y_k.")


def define_single_allocation(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Single allocation: each origin/destination node i is served by one hub.

    sum_k z_{i,k} = 1 (<= 1 when unserved demand is allowed);
    sum_{p in P(c): first hub k} x_p <= D_c z_{o(c),k};  likewise last hub and d(c);
    z_{i,k} <= y_k for optional hubs; a node that is itself an open hub is allocated to
    itself: z_{k,k} = y_k (= 1 for hubs that always exist).
    """
    d, paths = ctx.data, ctx.paths
    if not ctx.z:
        return
    by_node: dict[int, list[int]] = {}
    for (i, k) in ctx.z:
        by_node.setdefault(i, []).append(k)
    one = {}
    for i, ks in by_node.items():
        expr = lin([1.0] * len(ks), [ctx.z[(i, k)] for k in ks])
        one[d.node_ids[i]] = (expr <= 1.0) if d.allow_unserved else (expr == 1.0)
    add_rows(m, "allocate_one", one, "sum_k z_ik = 1 (<= 1 with unserved slack).")

    for label, node_of, hub_of in (("origin", d.corr_origin, paths.first_hub),
                                   ("destination", d.corr_dest, paths.last_hub)):
        ok = hub_of >= 0
        idx = np.flatnonzero(ok)
        key = paths.corridor[idx] * d.n_hubs + hub_of[idx]
        rows = {}
        for kk, ps in grouped_index(key, idx):
            c, k = divmod(kk, d.n_hubs)
            zvar = ctx.z[(int(node_of[c]), k)]
            rows[(d.corr_ids[c], d.hub_ids[k])] = unit_lin(
                _xs(ctx, ps), (-float(d.demand[c]),), (zvar,)) <= 0.0
        add_rows(m, f"allocated_{label}", rows,
                 f"Flow of a corridor via hub k only if its {label} is allocated to k.")

    link, selfa = {}, {}
    for (i, k), zv in ctx.z.items():
        if k in ctx.y:
            link[(d.node_ids[i], d.hub_ids[k])] = lin([1.0, -1.0], [zv, ctx.y[k]]) <= 0.0
        if d.hub_node[k] == i:
            if k in ctx.y:
                selfa[d.node_ids[i]] = lin([1.0, -1.0], [zv, ctx.y[k]]) == 0.0
            else:
                selfa[d.node_ids[i]] = lin([1.0], [zv]) == 1.0
    add_rows(m, "allocate_open", link, "z_ik <= y_k: allocate only to open hubs.")
    add_rows(m, "allocate_self", selfa, "An open hub serves its own node: z_kk = y_k.")


def define_co2_cap(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """CO2 cap: sum_p e_p x_p <= E (t CO2/day); e_p = sum over legs of
    weight_kg/1000 x km x kg/tkm / 1000 (t CO2 per parcel)."""
    d, paths = ctx.data, ctx.paths
    if d.co2_cap is None:
        return
    nz = np.flatnonzero(paths.co2_t > 0)
    m.co2_cap = pyo.Constraint(expr=lin(paths.co2_t[nz], _xs(ctx, nz)) <= float(d.co2_cap),
                               doc=define_co2_cap.__doc__)


def define_mode_share(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Mode-share bounds on line-haul parcel-km (parcel-km/day):

    floor:   sum_p (k_{p,m} - s_min k_p) x_p >= 0;   ceiling: sum_p (k_{p,m} - s_max k_p) x_p <= 0,
    with k_{p,m} the km of path p's line-haul legs by mode m and k_p their total.
    """
    d, paths = ctx.data, ctx.paths
    tot = paths.lh_pkm.sum(axis=1)
    rows = {}
    for mode, (lo, hi) in d.mode_share_bounds.items():
        for tag, share, sense in (("min", lo, 1), ("max", hi, -1)):
            if share is None:
                continue
            coef = paths.lh_pkm[:, mode] - float(share) * tot
            nz = np.flatnonzero(np.abs(coef) > 1e-12)
            if not len(nz):
                continue
            expr = lin(coef[nz], _xs(ctx, nz))
            rows[f"{d.modes[mode]}_{tag}"] = (expr >= 0.0) if sense > 0 else (expr <= 0.0)
    add_rows(m, "mode_share", rows, define_mode_share.__doc__)


FAMILIES: tuple[Callable[[pyo.ConcreteModel, Ctx], None], ...] = (
    define_demand, define_link_flow, define_link_capacity, define_min_frequency,
    define_hub_capacity, define_hub_open, define_single_allocation, define_co2_cap,
    define_mode_share,
)
