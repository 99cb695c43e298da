"""The objective: total cost of the network, CNY/day."""

from __future__ import annotations

import pyomo.environ as pyo

from netdesign.optimise.constraints import Ctx, lin


def define_objective(m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """minimise  sum_p cost_p x_p + P_u sum_c u_c + sum_l C_l m_l + sum_k C_k n_k + sum_k F_k y_k

    cost_p (CNY/parcel) = transport (link costs x mode multiplier) + handling at every hub
    passed (x handling multiplier) + carbon (t CO2/parcel x CNY/t) + late penalty (if late);
    P_u unserved penalty (CNY/parcel); C_l, C_k module costs and F_k hub fixed costs, CNY/day
    (annualised CNY/yr x capacity multiplier / days_per_year; F_k without multiplier).
    """
    d, paths = ctx.data, ctx.paths
    coefs = paths.cost.tolist()
    variables = list(ctx.x)
    for _c, v in ctx.u.items():
        coefs.append(d.unserved_penalty)
        variables.append(v)
    for lk, v in ctx.ml.items():
        coefs.append(float(d.link_module_cost[lk]))
        variables.append(v)
    for k, v in ctx.mh.items():
        coefs.append(float(d.hub_module_cost[k]))
        variables.append(v)
    for k, v in ctx.y.items():
        coefs.append(float(d.hub_fixed_cost[k]))
        variables.append(v)
    m.total_cost = pyo.Objective(expr=lin(coefs, variables), sense=pyo.minimize,
                                 doc=define_objective.__doc__)
