"""A staged plan's MIP stopped once its dual bound certifies the myopic plan
(`handoff.certifies`, `run_highs(known=...)`, `multiperiod.solve_plans`), and HiGHS's
mispriced start with presolve on (why the myopic plan is not handed over as a start).

The hand case is tests/test_model_plan.py's: one H1 module of 25 parcels/day (A = 365
CNY/yr), demand 50 then 100 parcels/day, r = 0, the 2030 module 2.3 x dearer. Operating cost
op = 365 x 5 x (50 + 100) x 10 = 2,737,500 CNY in every plan. Perfect foresight builds 3
modules in 2025 (capital 10,950); the myopic plan 1 + 2 (3,650 + 8,395 = 12,045). The LP
relaxation builds 2.8 modules in 2025: 2.8 x 3,650 = 10,220, bound op + 10,220 = 2,747,720.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from model_fixtures import exact_solver
from test_model_plan import _costs, _datas, _net, _operating

from netdesign.optimise import multiperiod as mp
from netdesign.optimise.handoff import certifies, run_highs, to_highs

OP = 2_737_500.0
MYOPIC, OPTIMUM, LP_BOUND = OP + 12_045.0, OP + 10_950.0, OP + 10_220.0


def test_certifies_by_hand():
    """best − bound ≤ gap · |best|, best = min(known, incumbent): 100 vs 99.0 is 1.0 % (at a
    1 % gap: certified), vs 98.9 is 1.1 % (not); an incumbent of 99.5 better than the known
    100 is the one certified (99.5 − 98.6 = 0.9 ≤ 0.995); no bound or nothing known: no."""
    assert certifies(100.0, math.inf, 99.0, 0.01)
    assert not certifies(100.0, math.inf, 98.9, 0.01)
    assert certifies(100.0, 99.5, 98.6, 0.01)
    assert not certifies(100.0, 99.9, 98.6, 0.01)
    assert not certifies(100.0, math.inf, -math.inf, 0.5)
    assert not certifies(math.inf, math.inf, 99.0, 0.01)


def _plan_form(solver):
    datas = _datas(_net(), [50, 100], [1.0, 2.3])
    costs = _costs()
    periods, prep = mp._prepare(datas, costs.years, "auto")
    assets = mp._assets(periods, [])
    seen = {}

    def capture(sf, _solver, **_kw):
        seen["sf"] = sf
        raise _Captured

    real = mp.solve_standard_form
    mp.solve_standard_form = capture
    try:
        mp._solve_stack(periods, [0, 1], assets, costs, solver, {}, {}, [], myopic=False)
    except _Captured:
        pass
    finally:
        mp.solve_standard_form = real
    return periods, prep, costs, seen["sf"]


class _Captured(Exception):
    pass


def test_early_stop_fires_and_reports_the_hand_worked_gap():
    """Given the myopic NPV as known and a 0.1 % gap, HiGHS (presolve off, no incumbent of
    its own: heuristics off and a cut-off below every plan, so the search cannot find one)
    is stopped by the callback at its root LP bound op + 10,220 = 2,747,720: the myopic
    plan's gap (2,749,545 − 2,747,720) / 2,749,545 = 1,825 / 2,749,545 = 0.0664 % is
    certified within 0.1 %."""
    solver = exact_solver(mip_rel_gap=0.001, presolve="off")
    *_r, sf = _plan_form(solver)
    h = to_highs(sf, solver)
    h.setOptionValue("mip_heuristic_effort", 0.0)
    h.setOptionValue("objective_bound", OP + 10_500.0)  # between the LP bound and the optimum
    out = run_highs(h, True, known=MYOPIC)
    assert out.certified and out.termination == "certified"
    assert out.best_bound == pytest.approx(LP_BOUND)
    assert (MYOPIC - out.best_bound) / MYOPIC == pytest.approx(1_825 / 2_749_545)


def test_solve_plans_reports_the_certified_myopic_gap():
    """The plan's report when the MIP stopped at a certifying bound without a better
    incumbent: the myopic plan (1 + 2 modules) with gap (NPV − bound) / NPV. The bound is
    put by hand at the LP bound op + 10,220: gap 1,825 / 2,749,545 = 0.0664 %, within the
    1 % gap: "optimal"; at 0.01 % it would not be."""
    solver = exact_solver(mip_rel_gap=0.01)
    periods, prep, costs, _sf = _plan_form(solver)
    my = mp._myopic(periods, prep, costs, solver, {}, [])
    assert my.npv["total"] == pytest.approx(MYOPIC)
    plan = mp._plan(periods, prep, costs, solver, {}, [])
    assert plan.npv["total"] == pytest.approx(OPTIMUM)
    plan.npv["total"] = math.inf  # as if HiGHS had stopped without an incumbent
    plan.report.status, plan.report.objective = "no_solution", None
    plan.report.termination, plan.report.best_bound = "certified", LP_BOUND
    best = mp._best_known(plan, my, periods, costs, [])
    assert best.npv["total"] == pytest.approx(MYOPIC)
    assert best.report.mip_gap == pytest.approx(1_825 / 2_749_545)
    assert best.report.status == "optimal" and "certifies the myopic plan" in \
        best.report.message
    assert best.npv["total"] == pytest.approx(_operating(costs) + 12_045.0)
    plan.report.options = {**plan.report.options, "mip_rel_gap": 1e-4}
    assert mp._best_known(plan, my, periods, costs, []).report.status == "feasible"


def test_the_known_plan_is_checked_as_a_point_of_the_mip():
    """The myopic plan, put into the plan's MIP, costs its NPV 2,749,545 there; with its 2030
    modules taken away it breaks 2030's keep row and is not used (None)."""
    solver = exact_solver()
    periods, prep, costs, sf = _plan_form(solver)
    my = mp._myopic(periods, prep, costs, solver, {}, [])
    n_copy = sf.A.shape[1] - 2
    inv = np.array([[n_copy, n_copy + 1]])  # build[H1, 2025], build[H1, 2030]
    assert mp._known_objective(sf, n_copy, inv, my.values) == pytest.approx(MYOPIC)
    short = [my.values[0], (my.values[1][0], np.zeros(1))]
    assert mp._known_objective(sf, n_copy, inv, short) is None
    assert mp._known_objective(sf, n_copy, inv, [my.values[0], (None, None)]) is None


def test_solve_plans_hands_the_myopic_npv_to_the_mip(monkeypatch):
    """End to end at the exact gap: the MIP is given the myopic NPV 2,749,545 as known;
    HiGHS's own optimum (10,950 of capital) beats it, so that is the plan, optimal, with the
    myopic plan reported beside it."""
    given = []
    real = mp.solve_standard_form

    def spy(sf, solver, **kw):
        given.append(kw.get("known"))
        return real(sf, solver, **kw)

    monkeypatch.setattr(mp, "solve_standard_form", spy)
    plan, my = mp.solve_plans(_datas(_net(), [50, 100], [1.0, 2.3]), _costs(),
                              exact_solver())
    assert given[-1] == pytest.approx(MYOPIC)  # the two myopic steps first, without
    assert given[:-1] == [None, None]
    assert plan.report.status == "optimal"
    assert plan.npv["total"] == pytest.approx(OPTIMUM)
    assert my.npv["total"] == pytest.approx(MYOPIC)


def test_highs_start_with_presolve_is_mispriced():
    """Why the myopic plan is not given to HiGHS as a start: the complete, feasible myopic
    vector (c·x = 2,749,545, no offset) set with `setSolution` comes back, presolve on, as
    "optimal" at 2,741,150 = 2,749,545 − 8,395 (its two 2030 modules priced at zero in
    HiGHS 1.16's presolved space), not at the optimum 2,748,450; presolve off is right. If
    this test fails after a HiGHS upgrade, the start may be worth trying again."""
    solver = exact_solver()
    periods, prep, costs, sf = _plan_form(solver)
    my = mp._myopic(periods, prep, costs, solver, {}, [])
    x = np.concatenate([v for v, _b in my.values]
                       + [np.array([[b[i] for _v, b in my.values]
                                    for i in range(len(my.values[0][1]))]).ravel()])
    assert float(sf.c @ x + sf.offset) == pytest.approx(MYOPIC)
    ax = sf.A @ x
    assert (ax >= sf.row_lower - 1e-9).all() and (ax <= sf.row_upper + 1e-9).all()
    got = {}
    for presolve in ("on", "off"):
        h = to_highs(sf, solver, presolve=presolve)
        h.setSolution(len(x), np.arange(len(x), dtype=np.int32), x)
        out = run_highs(h, True)
        got[presolve] = (out.objective, float(sf.c @ out.values + sf.offset))
    assert got["on"] == pytest.approx((MYOPIC - 8_395.0, MYOPIC))
    assert got["off"] == pytest.approx((OPTIMUM, OPTIMUM))
