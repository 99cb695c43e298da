"""Assemble the path formulation: variables over the named index sets, every constraint
family of `constraints.FAMILIES`, the objective (no I/O, no solver calls)."""

from __future__ import annotations

from netdesign.optimise.constraints import FAMILIES, Ctx
from netdesign.optimise.layout import Layout, index_sets
from netdesign.optimise.linear import LinearModel
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.objective import define_objective
from netdesign.optimise.paths import PathSet
from netdesign.optimise.rural import define_rural_variables


def define_variables(m: LinearModel, ctx: Ctx) -> None:
    """Variables (docs/model.md, "Variables"), in column order.

    x(p) path flow and u(c) unserved (parcels/day, >= 0); link_flow(l) (parcels/day);
    link_modules(l), hub_modules(k) (integer, >= 0, bounded by the demand that could use
    them; 0 when the scenario allows no expansion); link_used(l) (binary, frequency links);
    hub_open(k) (binary, optional hubs; 0 without expansion); alloc(i,k) (binary);
    rural_departures(r,m) (integer departures/week, only with a rural tier: `rural.py`).
    """
    s, grow = ctx.sets, ctx.data.expansion
    m.add_variables("x", s.P, doc="path flow, parcels/day")
    m.add_variables("unserved", s.C_u, doc="unserved parcels/day")
    m.add_variables("link_flow", s.L_flow, doc="link flow, parcels/day")
    m.add_variables("link_modules", s.L_mod, upper=s.link_mod_ub[s.L_mod.ids] * grow,
                    integer=True, doc="link modules added, departures/day")
    m.add_variables("link_used", s.L_freq, upper=1.0, integer=True,
                    doc="link used (minimum frequency applies)")
    m.add_variables("hub_modules", s.K_mod, upper=s.hub_mod_ub[s.K_mod.ids] * grow,
                    integer=True, doc="hub sorting modules added")
    m.add_variables("hub_open", s.K_opt, upper=1.0 * grow, integer=True,
                    doc="optional hub opened")
    m.add_variables("alloc", s.Z, upper=1.0, integer=True, doc="node i served by hub k")
    ctx.rural = define_rural_variables(m, ctx.data.rural)


def build_path_model(data: ModelData, paths: PathSet,
                     layout: Layout) -> tuple[LinearModel, Ctx]:
    """The path formulation as a `LinearModel` and the context its extraction reads."""
    m = LinearModel("netdesign")
    ctx = Ctx(data=data, paths=paths, layout=layout, sets=index_sets(data, paths, layout))
    define_variables(m, ctx)
    for family in FAMILIES:
        family(m, ctx)
    define_objective(m, ctx)
    return m, ctx
