"""Assemble the Pyomo ConcreteModel of the path-based formulation (no I/O, no solver calls)."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from netdesign.optimise.constraints import FAMILIES, Ctx, gc_paused
from netdesign.optimise.layout import Layout
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.objective import define_objective
from netdesign.optimise.paths import PathSet


def _int_bounds(ub: float) -> tuple[float, float | None]:
    return (0.0, float(ub) if np.isfinite(ub) else None)


def build_path_model(data: ModelData, paths: PathSet,
                     layout: Layout) -> tuple[pyo.ConcreteModel, Ctx]:
    """Variables over sparse index sets, then every constraint family and the objective.

    Variables: x[p] path flow (parcels/day, >= 0); u[c] unserved (parcels/day, if allowed);
    link_flow[l] (parcels/day, links with capacity, frequency or hub rows);
    link_modules[l], hub_modules[k] (integer, >= 0, bounded by the demand that could use
    them); link_used[l] (binary, frequency links); hub_open[k] (binary, optional hubs);
    alloc[i,k] (binary, single allocation).
    """
    with gc_paused():
        return _build(data, paths, layout)


def _build(data: ModelData, paths: PathSet, layout: Layout) -> tuple[pyo.ConcreteModel, Ctx]:
    m = pyo.ConcreteModel(name="netdesign")
    ctx = Ctx(data=data, paths=paths, layout=layout)
    m.x = pyo.Var(range(paths.n), domain=pyo.NonNegativeReals, doc="path flow, parcels/day")
    ctx.x = list(m.x.values())  # index order 0..n-1
    if data.allow_unserved and len(layout.served):
        served = [int(c) for c in layout.served]
        m.unserved = pyo.Var([data.corr_ids[c] for c in served], domain=pyo.NonNegativeReals,
                             doc="unserved parcels/day")
        ctx.u = {c: m.unserved[data.corr_ids[c]] for c in served}
    if len(layout.flow_links):
        ids = [data.link_ids[lk] for lk in layout.flow_links]
        m.link_flow = pyo.Var(ids, domain=pyo.NonNegativeReals, doc="link flow, parcels/day")
        ctx.f = {int(lk): m.link_flow[i] for lk, i in zip(layout.flow_links, ids, strict=True)}
    if len(layout.link_mod):
        ids = [data.link_ids[lk] for lk in layout.link_mod]
        ub = dict(zip(ids, layout.link_mod_ub, strict=False))
        m.link_modules = pyo.Var(ids, domain=pyo.NonNegativeIntegers,
                                 bounds=lambda _m, i: _int_bounds(ub[i]))
        ctx.ml = {int(lk): m.link_modules[i] for lk, i in zip(layout.link_mod, ids, strict=False)}
    if len(layout.freq_links):
        ids = [data.link_ids[lk] for lk in layout.freq_links]
        m.link_used = pyo.Var(ids, domain=pyo.Binary)
        ctx.w = {int(lk): m.link_used[i] for lk, i in zip(layout.freq_links, ids, strict=False)}
    if len(layout.hub_mod):
        ids = [data.hub_ids[k] for k in layout.hub_mod]
        ub = dict(zip(ids, layout.hub_mod_ub, strict=False))
        m.hub_modules = pyo.Var(ids, domain=pyo.NonNegativeIntegers,
                                bounds=lambda _m, i: _int_bounds(ub[i]))
        ctx.mh = {int(k): m.hub_modules[i] for k, i in zip(layout.hub_mod, ids, strict=False)}
    if len(layout.opt_hubs):
        ids = [data.hub_ids[k] for k in layout.opt_hubs]
        m.hub_open = pyo.Var(ids, domain=pyo.Binary)
        ctx.y = {int(k): m.hub_open[i] for k, i in zip(layout.opt_hubs, ids, strict=False)}
    if layout.alloc_pairs:
        keys = [(data.node_ids[i], data.hub_ids[k]) for i, k in layout.alloc_pairs]
        m.alloc = pyo.Var(keys, domain=pyo.Binary)
        ctx.z = {pair: m.alloc[key] for pair, key in zip(layout.alloc_pairs, keys, strict=False)}
    for family in FAMILIES:
        family(m, ctx)
    define_objective(m, ctx)
    return m, ctx
