"""The objective of the path formulation: total cost of the network, CNY/day."""

from __future__ import annotations

from netdesign.optimise.constraints import Ctx
from netdesign.optimise.linear import LinearModel
from netdesign.optimise.rural import rural_objective


def define_objective(m: LinearModel, ctx: Ctx) -> None:
    """minimise  Σ_p cost_p x_p + P_u Σ_c u_c + Σ_l C_l m_l + Σ_k C_k n_k + Σ_k F_k y_k

    cost_p (CNY/parcel) = transport (link costs x mode multiplier) + handling at every hub
    passed (x handling multiplier) + carbon (t CO2/parcel x CNY/t) + late penalty (if late);
    P_u unserved penalty (CNY/parcel); C_l, C_k module costs and F_k hub fixed costs, CNY/day
    (annualised CNY/yr x capacity multiplier / days_per_year; F_k without multiplier).
    With a rural tier, + Σ_r N_r Σ_m c_rm d_rm / 7 (`rural.rural_objective`, CNY/day).
    """
    d, cost = ctx.data, ctx.paths.cost
    terms = (cost * m.x.all + d.unserved_penalty * m.unserved.all
             + d.link_module_cost[m.link_modules.ids] * m.link_modules.all
             + d.hub_module_cost[m.hub_modules.ids] * m.hub_modules.all
             + d.hub_fixed_cost[m.hub_open.ids] * m.hub_open.all)
    rural = rural_objective(m, d.rural)
    m.minimise(terms if rural is None else terms + rural, define_objective.__doc__)
