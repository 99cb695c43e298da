"""Constraint families of the path formulation, one ``define_*`` function each.

Each function is one or two statements over the named index sets of `layout.Sets`, to be read
against its equation in docs/model.md (which names the function). Notation: x_p path flow,
u_c unserved, f_l link flow, m_l link modules, w_l link used, n_k hub modules, y_k hub open,
z_ik allocation; D_c demand, K capacity, Q module size (all parcels/day).
How terms become rows (sparse keys, absent variables dropped): `linear.py`.

Adding a family: write ``define_<name>(m, ctx)`` and append it to `FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from netdesign.data.schema import SERVICE_CLASSES
from netdesign.optimise.layout import Layout, Sets
from netdesign.optimise.linear import Index, LinearModel
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.paths import PathSet
from netdesign.optimise.rural import FAMILIES as RURAL_FAMILIES


@dataclass
class Ctx:
    """What every ``define_*`` function reads: data arrays, candidate paths, index sets."""

    data: ModelData
    paths: PathSet
    layout: Layout
    sets: Sets
    rural: Any = None  # `rural.RuralSets` when the scenario has a rural tier


def define_demand(m: LinearModel, ctx: Ctx) -> None:
    """demand(c):  Σ_{p∈P(c)} x_p + u_c = D_c      c ∈ C  (parcels/day)."""
    s, D, corridor = ctx.sets, ctx.data.demand, ctx.paths.corridor
    m.add_constraints("demand", s.C,
                      m.x[s.P].by(corridor) + m.unserved[s.C].by(s.C) == D[s.C.ids],
                      define_demand.__doc__)


def define_link_flow(m: LinearModel, ctx: Ctx) -> None:
    """link_flow_def(l):  Σ_{p∋l} e_p x_p − f_l = 0      l ∈ L_flow  (reference parcels/day;
    e_p = parcel equivalents of p's segment, 1 for the reference parcel)."""
    s, e = ctx.sets, ctx.paths.pe
    m.add_constraints("link_flow_def", s.L_flow,
                      (e[s.leg_path] * m.x[s.leg_path]).by(s.leg_link)
                      - m.link_flow[s.L_flow].by(s.L_flow) == 0,
                      define_link_flow.__doc__)


def define_link_capacity(m: LinearModel, ctx: Ctx) -> None:
    """link_capacity(l):  σ f_l − Q_l m_l ≤ K_l      l ∈ L_cap (finite K_l).

    σ = peak factor / max utilisation (design day; f_l is on the average day)."""
    d, L = ctx.data, ctx.sets.L_cap
    m.add_constraints("link_capacity", L,
                      d.design_scale * m.link_flow[L].by(L)
                      - d.link_module[L.ids] * m.link_modules[L].by(L)
                      <= d.link_cap[L.ids], define_link_capacity.__doc__)


def define_min_frequency(m: LinearModel, ctx: Ctx) -> None:
    """min_frequency(l):  m_l − N_l w_l ≥ 0;   link_use(l):  f_l − U_l w_l ≤ 0   l ∈ L_freq.

    N_l = ⌈F_l/7 − K_l/Q_l⌉ modules for F_l departures/week; U_l = demand of the corridors
    that can use l (parcels/day).
    """
    s, L, U = ctx.sets, ctx.sets.L_freq, ctx.layout.link_demand
    m.add_constraints("min_frequency", L,
                      m.link_modules[L].by(L) - s.freq_need[L.ids] * m.link_used[L].by(L) >= 0,
                      define_min_frequency.__doc__)
    m.add_constraints("link_use", L,
                      m.link_flow[L].by(L) - U[L.ids] * m.link_used[L].by(L) <= 0,
                      "link_use(l): f_l − U_l w_l ≤ 0 (flow only on a used link).")


def define_hub_capacity(m: LinearModel, ctx: Ctx) -> None:
    """hub_capacity(k):  σ V_k − Q_k n_k − K_k y_k ≤ 0      k ∈ K_cap  (reference parcels/day).

    y_k ≡ 1 for hubs that always exist (the K_k term is then the right-hand side).
    V_k = Σ_{p∈S(k)} e_p x_p + Σ_{l∈In(k)} f_l: `cap_path`/`cap_link` (docs/model.md;
    e_p = parcel equivalents of p's segment).
    σ = peak factor / max utilisation: peak × V_k ≤ u (K_k y_k + Q_k n_k) divided by u.
    """
    s, d, K, e = ctx.sets, ctx.data, ctx.sets.K_cap, ctx.paths.pe
    cap = ctx.layout.hub_eff_cap[K.ids]
    fixed = m.hub_open.index.locate(K) < 0
    m.add_constraints("hub_capacity", K,
                      d.design_scale * ((e[s.cap_path] * m.x[s.cap_path]).by(s.cap_hub)
                                        + m.link_flow[s.cap_link].by(s.cap_link_hub))
                      - d.hub_module[K.ids] * m.hub_modules[K].by(K)
                      - cap * m.hub_open[K].by(K)
                      <= np.where(fixed, cap, 0.0), define_hub_capacity.__doc__)


def define_hub_open(m: LinearModel, ctx: Ctx) -> None:
    """paths_need_open_hub(c,k):  Σ_{p∈P(c), k∈p} x_p − D_c y_k ≤ 0      (c, k) ∈ CK;
    hub_modules_open(k):  n_k − N̄_k y_k ≤ 0      k ∈ K_opt_mod = K_opt ∩ K_mod."""
    s, D, corridor = ctx.sets, ctx.data.demand, ctx.paths.corridor
    c, k = s.CK.keys
    m.add_constraints("paths_need_open_hub", s.CK,
                      m.x[s.hub_path].by(corridor[s.hub_path], s.hub_hub)
                      - D[c] * m.hub_open[k].by(c, k) <= 0, define_hub_open.__doc__)
    K = s.K_opt_mod
    m.add_constraints("hub_modules_open", K,
                      m.hub_modules[K].by(K) - s.hub_mod_ub[K.ids] * m.hub_open[K].by(K) <= 0,
                      "hub_modules_open(k): n_k − N̄_k y_k ≤ 0 (modules only at open hubs).")


def define_single_allocation(m: LinearModel, ctx: Ctx) -> None:
    """Single allocation (z_ik = 1: node i is served by hub k):

    allocate_one(i):          Σ_k z_ik = 1  (≤ 1 with unserved slack)            i ∈ I
    allocated_origin(c,k):    Σ_{p∈P(c), first hub k} x_p − D_c z_{o(c),k} ≤ 0   (c, k) ∈ CO
    allocated_destination(c,k): likewise with the last hub and d(c)              (c, k) ∈ CD
    allocate_open(i,k):       z_ik − y_k ≤ 0                                     (i, k) ∈ Z_opt
    allocate_self(i):         z_{i,h(i)} − y_{h(i)} = 0  (= 1 for fixed hubs)     i ∈ I_self
    """
    s, d, p = ctx.sets, ctx.data, ctx.paths
    if not len(s.Z):
        return
    i, k = s.Z.keys
    one = m.alloc[s.Z].by(i)
    m.add_constraints("allocate_one", s.I, (one <= 1) if d.allow_unserved else (one == 1),
                      define_single_allocation.__doc__)
    for name, node_of, hub_of, rows in (("allocated_origin", d.corr_origin, p.first_hub, s.CO),
                                        ("allocated_destination", d.corr_dest, p.last_hub, s.CD)):
        c, k = rows.keys
        m.add_constraints(name, rows,
                          m.x[s.P].by(p.corridor, hub_of)
                          - d.demand[c] * m.alloc[node_of[c], k].by(c, k) <= 0,
                          f"{name}(c,k): flow via hub k only if the corridor's "
                          f"{name.split('_')[1]} is allocated to k.")
    i, k = s.Z_opt.keys
    m.add_constraints("allocate_open", s.Z_opt,
                      m.alloc[i, k].by(i, k) - m.hub_open[k].by(i, k) <= 0,
                      "allocate_open(i,k): z_ik − y_k ≤ 0 (allocate only to open hubs).")
    i = s.I_self.ids
    h = d.node_hub[i]
    fixed = m.hub_open.index.locate(h) < 0
    m.add_constraints("allocate_self", s.I_self,
                      m.alloc[i, h].by(i) - m.hub_open[h].by(i) == np.where(fixed, 1.0, 0.0),
                      "allocate_self(i): an open hub serves its own node, z_{i,h(i)} = y_h(i).")


def define_co2_cap(m: LinearModel, ctx: Ctx) -> None:
    """co2_cap:  Σ_p e_p x_p ≤ E  (t CO2/day); e_p = Σ_legs weight_kg/1000 × km × kg/tkm /1000
    (t CO2 per parcel)."""
    s, d, e = ctx.sets, ctx.data, ctx.paths.co2_t
    if d.co2_cap is None:
        return
    m.add_constraints("co2_cap", Index.single(), (e * m.x[s.P]).by() <= d.co2_cap,
                      define_co2_cap.__doc__)


def define_mode_share(m: LinearModel, ctx: Ctx) -> None:
    """Mode-share bounds on line-haul parcel-km (k_pm: km of path p's line-haul legs by mode
    m, k_p = Σ_m k_pm; shares s of line-haul parcel-km):

    mode_share_floor(m):    Σ_p (k_pm − s_min,m k_p) x_p ≥ 0      m with a floor
    mode_share_ceiling(m):  Σ_p (k_pm − s_max,m k_p) x_p ≤ 0      m with a ceiling
    """
    s, d, km = ctx.sets, ctx.data, ctx.paths.lh_pkm
    total = km.sum(axis=1)
    for name, side, op in (("mode_share_floor", 0, "≥"), ("mode_share_ceiling", 1, "≤")):
        bound = {mode: b[side] for mode, b in d.mode_share_bounds.items() if b[side] is not None}
        if not bound:
            continue
        M = Index(np.array(list(bound)), [d.modes])
        lhs = sum(((km[:, mode] - share * total) * m.x[s.P]).by(np.full(len(s.P), mode))
                  for mode, share in bound.items())
        m.add_constraints(name, M, (lhs >= 0) if op == "≥" else (lhs <= 0),
                          f"{name}(m):  Σ_p (k_pm − s_{side and 'max' or 'min'},m k_p) x_p "
                          f"{op} 0  (line-haul parcel-km)")


def define_on_time_floor(m: LinearModel, ctx: Ctx) -> None:
    """on_time_floor(g):  Σ_{p: class(c_p) = g, T_p ≤ S_c} x_p ≥ φ_g Σ_{c: class(c) = g} D_c
    g ∈ classes with a floor φ_g  (parcels/day; unserved parcels are not on time)."""
    s, d, p = ctx.sets, ctx.data, ctx.paths
    floors = [(g, float(d.on_time_floor[g])) for g in SERVICE_CLASSES if g in d.on_time_floor]
    if not floors:
        return
    code = {g: i for i, g in enumerate(SERVICE_CLASSES)}
    corr_class = np.array([code.get(c, -1) for c in d.corr_class], dtype=np.int64)
    G = Index(np.array([code[g] for g, _ in floors], dtype=np.int64), [SERVICE_CLASSES])
    demand = np.array([d.demand[corr_class == code[g]].sum() for g, _ in floors])
    share = np.array([phi for _, phi in floors])
    on_time = s.P.ids[~p.late[s.P.ids]]
    m.add_constraints("on_time_floor", G,
                      m.x[on_time].by(corr_class[p.corridor[on_time]]) >= share * demand,
                      define_on_time_floor.__doc__)


FAMILIES: tuple[Callable[[LinearModel, Ctx], None], ...] = (
    define_demand, define_link_flow, define_link_capacity, define_min_frequency,
    define_hub_capacity, define_hub_open, define_single_allocation, define_co2_cap,
    define_mode_share, define_on_time_floor, *RURAL_FAMILIES,
)
"""The path formulation's constraint families, in row order (the rural tier's, from
`rural.py`, last: they add nothing without a rural tier)."""
