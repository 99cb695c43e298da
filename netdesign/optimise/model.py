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


def _var_block(m: pyo.ConcreteModel, name: str, positions, ids: list, domain, *,
               upper=None, doc: str = "") -> dict:
    """Declare variable component `name` over the data ids at `positions` (with optional upper
    bounds, one per position); return position -> variable. Nothing is declared when empty."""
    if not len(positions):
        return {}
    keys = [ids[int(p)] for p in positions]
    if upper is None:
        var = pyo.Var(keys, domain=domain, doc=doc)
    else:
        ub = dict(zip(keys, upper, strict=True))
        var = pyo.Var(keys, domain=domain, doc=doc, bounds=lambda _m, i: _int_bounds(ub[i]))
    m.add_component(name, var)
    return {int(p): var[k] for p, k in zip(positions, keys, strict=True)}


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
    link_ids, hub_ids = data.link_ids, data.hub_ids
    ctx.f = _var_block(m, "link_flow", layout.flow_links, link_ids, pyo.NonNegativeReals,
                       doc="link flow, parcels/day")
    ctx.ml = _var_block(m, "link_modules", layout.link_mod, link_ids, pyo.NonNegativeIntegers,
                        upper=layout.link_mod_ub, doc="link modules added, departures/day")
    ctx.w = _var_block(m, "link_used", layout.freq_links, link_ids, pyo.Binary,
                       doc="link used (minimum frequency applies)")
    ctx.mh = _var_block(m, "hub_modules", layout.hub_mod, hub_ids, pyo.NonNegativeIntegers,
                        upper=layout.hub_mod_ub, doc="hub sorting modules added")
    ctx.y = _var_block(m, "hub_open", layout.opt_hubs, hub_ids, pyo.Binary,
                       doc="optional hub opened")
    if layout.alloc_pairs:
        keys = [(data.node_ids[i], data.hub_ids[k]) for i, k in layout.alloc_pairs]
        m.alloc = pyo.Var(keys, domain=pyo.Binary)
        ctx.z = {pair: m.alloc[key] for pair, key in zip(layout.alloc_pairs, keys, strict=False)}
    for family in FAMILIES:
        family(m, ctx)
    define_objective(m, ctx)
    return m, ctx
