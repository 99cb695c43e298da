"""Staged investment plan (`optimise.multiperiod`): hand-worked optima on a line network.

The network (`model_fixtures.line_network`): A -> H1 -> H2 -> B, 10 CNY/parcel door to door
by rail. H1 sorts 30 parcels/day and adds modules of 25 at A = 365 CNY/yr (1 CNY/day) x the
period's capacity multiplier m_t. Periods 2025 (50 parcels/day: ceil(20/25) = 1 module) and
2030 (100 parcels/day: ceil(70/25) = 3 modules), 5 years each; H = 2035.

Costs are set so that a K = A (plan rate and life = the data's basis, no O&M share): one
module built in period t costs A m_t S_t with S_t = Σ_{y=Y_t}^{2034} (1+r)^−(y−2025)
(r = 0: S_2025 = 10, S_2030 = 5; r = 0.10: S_2025 = 6.75902, S_2030 = 2.58915).
Operating cost is the same in every plan: 365 x 5 x (50 + 100) x 10 x Ω weights.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.optimise import design_network
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.multiperiod import Commitment, solve_myopic, solve_plan
from netdesign.optimise.plan_costs import PlanCosts, capital_recovery_factor

A = 365.0  # CNY/yr per H1 module


def _net(module_cost: float = A, rail_module: float = 0.0):
    net = line_network(rail_cap=0.0 if rail_module else math.inf, rail_module=rail_module,
                       rail_module_cost_per_day=0.5 if rail_module else 0.0)
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, module_cost]
    return net


def _datas(net, demands, multipliers=None, **kw):
    multipliers = multipliers or [1.0] * len(demands)
    return [build_model_data(net, make_scenario({"A>B": d}, cost_multipliers={"capacity": m},
                                                **kw))
            for d, m in zip(demands, multipliers, strict=True)]


def _costs(years=(2025, 2030), rate=0.0):
    return PlanCosts.for_periods(years, discount_rate=rate, asset_life_years=20,
                                 basis_rate=rate, basis_life_years=20, om_share=0.0)


def _built(plan) -> dict[int, float]:
    s = plan.schedule
    return {int(y): float(s.loc[s["period"] == y, "modules"].sum()) for y in plan.years}


def _operating(costs, demands=(50, 100)) -> float:
    return sum(365 * costs.operating_weight(t) * d * 10.0 for t, d in enumerate(demands))


def test_discount_weights_by_hand():
    """r = 0.10: S_2025 = (1 − 1.1^−10)/(1 − 1/1.1) = 6.75902, S_2030 = S_2025 − Σ_{0..4}
    1.1^−i = 6.75902 − 4.16987 = 2.58915; CRF(6 %, 20) = 0.087185."""
    c = _costs(rate=0.10)
    assert c.service_weight(0) == pytest.approx(6.75902, abs=1e-5)
    assert c.service_weight(1) == pytest.approx(2.58915, abs=1e-5)
    assert c.operating_weight(0) + c.operating_weight(1) == pytest.approx(c.service_weight(0))
    assert capital_recovery_factor(0.06, 20) == pytest.approx(0.087185, abs=1e-6)
    # the data's basis: K = A / (CRF(6 %, 20) + 3 %) and a K = A at the same rate and life
    d = PlanCosts.for_periods([2025])
    assert d.capex_per_annual_cost * d.annual_charge_per_capex == pytest.approx(1.0)


def test_building_early_when_the_later_module_is_dear():
    """m_2030 = 3, r = 0. Early: 3 modules in 2025 = 3 x 365 x 10 = 10,950 CNY. Deferred:
    1 in 2025 + 2 in 2030 = 3,650 + 2 x 3 x 365 x 5 = 14,600. Optimum: all 3 in 2025."""
    costs = _costs()
    plan = solve_plan(_datas(_net(), [50, 100], [1.0, 3.0]), costs, exact_solver())
    assert plan.report.status == "optimal"
    assert _built(plan) == {2025: 3.0, 2030: 0.0}
    assert plan.npv["capital"] == pytest.approx(10_950.0)
    assert plan.npv["total"] == pytest.approx(_operating(costs) + 10_950.0)
    assert plan.report.objective == pytest.approx(plan.npv["total"])


@pytest.mark.parametrize(("rate", "early"), [
    # r = 0: the 2 extra modules early 2 x 365 x 10 = 7,300 < deferred 2 x 2.3 x 365 x 5 = 8,395
    (0.0, True),
    # r = 0.10: early 2 x 365 x 6.75902 = 4,934 > deferred 2 x 2.3 x 365 x 2.58915 = 4,347
    (0.10, False),
])
def test_discounting_defers_the_build(rate, early):
    """m_2030 = 2.3: whether the 2 modules 2030 needs are built in 2025 depends on r."""
    plan = solve_plan(_datas(_net(), [50, 100], [1.0, 2.3]), _costs(rate=rate), exact_solver())
    assert _built(plan) == ({2025: 3.0, 2030: 0.0} if early else {2025: 1.0, 2030: 2.0})
    c = _costs(rate=rate)
    cap = A * (3 * c.service_weight(0) if early
               else c.service_weight(0) + 2 * 2.3 * c.service_weight(1))
    assert plan.npv["capital"] == pytest.approx(cap)


def test_myopic_costs_at_least_perfect_foresight():
    """m_2030 = 2.3, r = 0: the myopic 2025 step sees 5 years only and builds 1 module
    (1 x 365 x 5 < 3 x 365 x 5); 2030 then buys 2 at 2.3 x: capital 3,650 + 8,395 = 12,045
    over the horizon, against 10,950 with perfect foresight."""
    datas = _datas(_net(), [50, 100], [1.0, 2.3])
    pf = solve_plan(datas, _costs(), exact_solver())
    my = solve_myopic(datas, _costs(), exact_solver())
    assert _built(my) == {2025: 1.0, 2030: 2.0}
    assert my.npv["capital"] == pytest.approx(12_045.0)
    assert pf.npv["capital"] == pytest.approx(10_950.0)
    assert my.npv["total"] >= pf.npv["total"] - 1e-6
    assert my.npv["operating"] == pytest.approx(pf.npv["operating"])


def test_budget_and_commitment():
    """m_2030 = 3, r = 0 (early optimal). A 2025 budget of one module's capex (K = A / CRF(0,
    20) = 20 x 365 = 7,300 CNY) forces 1 + 2. A commitment of 3 modules at H1 by 2025 in the
    deferring case (m = 1) forces 3 in 2025."""
    budget = solve_plan(_datas(_net(), [50, 100], [1.0, 3.0]), _costs(), exact_solver(),
                        budgets={2025: 7_300.0})
    assert _built(budget) == {2025: 1.0, 2030: 2.0}
    assert budget.schedule["capital_cost_cny"].iloc[0] == pytest.approx(7_300.0)
    committed = solve_plan(_datas(_net(), [50, 100]), _costs(), exact_solver(),
                           commitments=[Commitment("H1", 2027, 3)])
    assert _built(committed) == {2025: 3.0, 2030: 0.0}
    free = solve_plan(_datas(_net(), [50, 100]), _costs(), exact_solver())
    assert _built(free) == {2025: 1.0, 2030: 2.0}


def test_zero_capital_cost_equals_independent_solves():
    """With no module cost, keeping capacity costs nothing: each period's operating cost is
    its own single-period optimum (here 500, 1,000 and 800 CNY/day; demand falls in 2035)."""
    net = _net(module_cost=0.0)
    demands = [50, 100, 80]
    costs = _costs((2025, 2030, 2035), rate=0.05)
    plan = solve_plan(_datas(net, demands), costs, exact_solver())
    alone = [design_network(net, make_scenario({"A>B": d}), exact_solver()).costs["total"]
             for d in demands]
    assert alone == pytest.approx([500.0, 1000.0, 800.0])
    for t, d in enumerate(plan.designs):
        assert d.costs["total"] == pytest.approx(alone[t])
    want = sum(365 * costs.operating_weight(t) * a for t, a in enumerate(alone))
    assert plan.npv["total"] == pytest.approx(want)


@pytest.mark.parametrize("util", [1.0, 0.85])
def test_plan_capacity_never_decreases_and_covers_the_design_day(util):
    """Three periods (50, 100, 60 parcels/day), peak factor 1.3: every hub's and link's
    capacity is non-decreasing over the periods, and every capacitated hub and link holds
    1.3 / u x its average-day flow in every period. H1: 1.3 x 100 / 0.85 = 152.9 -> 5
    modules (155) in 2030, kept in 2035 though 60 parcels/day would need 3."""
    net = _net(rail_module=40.0)
    datas = _datas(net, [50, 100, 60], peak_factor=1.3, max_utilisation=util)
    plan = solve_plan(datas, _costs((2025, 2030, 2035), rate=0.04), exact_solver())
    assert plan.report.status == "optimal"
    hub_cap = plan.hub_capacity()
    links = np.array([d.links["capacity_parcels_per_day"].to_numpy() for d in plan.designs])
    for cap in (hub_cap.to_numpy(float), links):  # inf = uncapacitated, stays inf
        later, earlier = cap[1:], cap[:-1]
        assert ((later >= earlier - 1e-9) | np.isposinf(later)).all()
    assert links[:, list(plan.designs[0].links.index).index("rail")].tolist() == sorted(
        links[:, list(plan.designs[0].links.index).index("rail")])
    sigma = 1.3 / util
    for d in plan.designs:
        h = d.hubs.loc["H1"]
        assert h["capacity_parcels_per_day"] >= sigma * h["throughput_parcels_per_day"] - 1e-6
        r = d.links.loc["rail"]
        assert r["capacity_parcels_per_day"] >= sigma * r["flow_parcels_per_day"] - 1e-6
    assert hub_cap["H1"].tolist() == [30 + 25 * math.ceil((sigma * 50 - 30) / 25),
                                      30 + 25 * math.ceil((sigma * 100 - 30) / 25),
                                      30 + 25 * math.ceil((sigma * 100 - 30) / 25)]


def test_hub_openings_kept_and_both_formulations_agree():
    """Hub location (6 nodes, every node an optional hub, single allocation), demand W in
    2025 and 2 W in 2030: a hub opened in 2025 is open in 2030, each opening is charged
    once, and the hub-flow model (opening = z_kk) gives the path model's net present cost."""
    from dataclasses import replace

    from model_fixtures import hub_location_instance

    net, sc, _W = hub_location_instance(6, seed=3)
    datas = [build_model_data(net, sc),
             build_model_data(net, replace(sc, demand=sc.demand * 2.0))]
    costs = _costs(rate=0.05)
    plans = {f: solve_plan(datas, costs, exact_solver(), formulation=f)
             for f in ("hubflow", "path")}
    for plan in plans.values():
        assert plan.report.status == "optimal"
        opened = np.array([d.hubs["is_open"].to_numpy() for d in plan.designs])
        assert (opened[1] >= opened[0]).all()
        s = plan.schedule
        assert s.loc[s["what"] == "hub opening", "where"].is_unique
        assert int(opened[1].sum()) == int((s["what"] == "hub opening").sum())
    assert plans["hubflow"].npv["total"] == pytest.approx(plans["path"].npv["total"],
                                                          rel=1e-7)



def test_solve_plans_gives_both_plans():
    """`solve_plans` (periods built once): the hand case's myopic 12,045 and plan 10,950."""
    from netdesign.optimise.multiperiod import solve_plans

    plan, my = solve_plans(_datas(_net(), [50, 100], [1.0, 2.3]), _costs(), exact_solver())
    assert my.npv["capital"] == pytest.approx(12_045.0)
    assert plan.npv["capital"] == pytest.approx(10_950.0)


def test_a_dearer_incumbent_gives_way_to_the_myopic_plan():
    """When the one-MIP solve stops with an incumbent dearer than the myopic plan (here made
    so by hand: 10^9 CNY), the myopic plan is the plan's best known solution, its gap taken
    against the MIP's bound (10,950 + operating; myopic 12,045 + operating)."""
    from netdesign.optimise import multiperiod as mp

    datas = _datas(_net(), [50, 100], [1.0, 2.3])
    costs = _costs()
    periods, prep = mp._prepare(datas, costs.years, "auto")
    my = mp._myopic(periods, prep, costs, exact_solver(), {}, [])
    plan = mp._plan(periods, prep, costs, exact_solver(), {}, [])
    plan.npv["total"] = 1e9
    plan.report.status, plan.report.objective = "feasible", 1e9
    best = mp._best_known(plan, my, periods, costs, [])
    assert best.npv["total"] == pytest.approx(my.npv["total"])
    assert _built(best) == {2025: 1.0, 2030: 2.0}
    op = _operating(costs)
    assert best.report.mip_gap == pytest.approx((12_045 - 10_950) / (op + 12_045))
    assert best.report.status == "feasible" and "myopic plan" in best.report.message
