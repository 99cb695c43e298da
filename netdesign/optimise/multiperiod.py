"""A staged investment plan in one MIP: one copy of the single-period model per period,
stacked (`optimise.stack`), with what is built kept in every later period
(docs/model.md, "Staged investment plan").

Each copy is the single-period model of its period's scenario (its year's demand, costs and
policy) with its module and opening costs set to zero: capital is charged once, on the plan's
own investment columns

    I_{a,t} ≥ 0 integer   units of asset a (a hub module, a link module, a hub opening) built
                          in period t, NPV cost K_{a,t} a Σ_{y=Y_t}^{H−1} δ(y) (plan_costs)
    keep(a,t):   n_{a,t} − Σ_{s≤t} I_{a,s} ≤ B⁰_a   the copy's module (or opening) variable
                 uses at most what stands in period t (B⁰ = built before the plan's first
                 period: 0, or what earlier myopic steps built)
    open_once(k): Σ_t J_{k,t} ≤ 1 − B⁰_k           an optional hub is opened at most once
    budget(t):   Σ_a K_{a,t} I_{a,t} ≤ budget_t     capex committed in period t, CNY
    committed(p): B⁰_a + Σ_{t ≤ t_p} I_{a,t} ≥ N_p   a committed project in service by period t_p

Assets are matched across periods by label (hub id, link id), not by column position: the
copies' sparse index sets differ (a hub nobody can use in a period has no module variable
there). What is built stays on the investment columns, so it is kept whether or not a later
copy has a variable for it; capacity never decreases. `solve_plan` solves all periods at once
(perfect foresight); `solve_myopic` solves them one after another, each step seeing only its
own period and keeping what the earlier steps built.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netdesign.config.schema import SolverConfig
from netdesign.optimise.api import _options
from netdesign.optimise.build import build
from netdesign.optimise.built import Built
from netdesign.optimise.extract import hub_table, link_table
from netdesign.optimise.handoff import highs_version, solve_standard_form
from netdesign.optimise.linear import StandardForm
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.plan_costs import PlanCosts
from netdesign.optimise.report import Diagnosis, SolveReport
from netdesign.optimise.solution import Design
from netdesign.optimise.stack import Stack

KINDS = {"hub_module": "hub module", "link_module": "link module", "hub_open": "hub opening"}
"""Asset kinds a plan builds, and how the build schedule names them."""

Asset = tuple[str, str]  # (kind, hub_id or link_id)


@dataclass(frozen=True)
class Commitment:
    """`modules` hub modules (None: opened / at least one module) at `hub` by year `by`."""

    hub: str
    by: int
    modules: int | None = None


@dataclass
class _Period:
    year: int
    data: ModelData   # with its costs (prices of the period)
    built: Built      # built without module and opening costs
    form: StandardForm | None
    assets: dict[Asset, int]  # the copy's column of each asset it has


@dataclass
class PlanResult:
    """A solved plan.

    years: period years; designs: one Design per period (capacity = what stands then,
    throughput on the average day; costs CNY/day, `capacity` = annual charges of what stands
    at the prices it was built at / days per year); schedule: one row per asset and period
    with a build (what, where, period, modules, capacity_parcels_per_day, capital_cost_cny
    (overnight capex, undiscounted), npv_cny); npv: net present cost by part, CNY
    (operating, capital, total); report: the solve report (objective and bound in CNY of net
    present cost; for a myopic plan the steps' sums); steps: the myopic steps' reports.
    """

    kind: str
    years: list[int]
    designs: list[Design]
    schedule: pd.DataFrame
    npv: dict[str, float]
    report: SolveReport
    steps: list[SolveReport] = field(default_factory=list)
    values: list = field(default_factory=list, repr=False)
    """per period: (the copy's column values, units built per asset), None without a solution"""

    def hub_capacity(self) -> pd.DataFrame:
        """parcels/day standing per (period, hub) (the average-day throughput it serves is
        `hub_throughput`)."""
        return pd.DataFrame({y: d.hubs["capacity_parcels_per_day"]
                             for y, d in zip(self.years, self.designs, strict=True)}).T

    def hub_throughput(self) -> pd.DataFrame:
        return pd.DataFrame({y: d.hubs["throughput_parcels_per_day"]
                             for y, d in zip(self.years, self.designs, strict=True)}).T


def _without_capital(data: ModelData) -> ModelData:
    """The period's data with module and opening costs zero (they are charged on the plan's
    investment columns instead)."""
    return dataclasses.replace(data, hub_module_cost=np.zeros(data.n_hubs),
                               link_module_cost=np.zeros(data.n_links),
                               hub_fixed_cost=np.zeros(data.n_hubs))


def _asset_columns(built: Built, data: ModelData) -> dict[Asset, int]:
    """(kind, id) -> column of the copy: hub_modules, link_modules, and the opening variable
    y_k of an optional hub (hub_open, or z_kk in the hub-flow model, docs/model.md)."""
    m = built.model
    out: dict[Asset, int] = {}
    if m is None:
        return out
    for var, kind, ids in (("hub_modules", "hub_module", data.hub_ids),
                           ("link_modules", "link_module", data.link_ids)):
        if var in m.vars:
            v = m.vars[var]
            out.update({(kind, ids[k]): int(c) for k, c in zip(v.ids, v.columns, strict=True)})
    if "hub_open" in m.vars:
        v = m.vars["hub_open"]
        out.update({("hub_open", data.hub_ids[k]): int(c)
                    for k, c in zip(v.ids, v.columns, strict=True)})
    if "alloc" in m.vars and built.formulation == "hubflow":
        z = m.vars["alloc"]
        opt = np.flatnonzero(data.hub_optional)
        pos = z.index.locate((data.hub_node[opt], opt))
        for k, p in zip(opt, pos, strict=True):
            if p >= 0 and ("hub_open", data.hub_ids[k]) not in out:
                out[("hub_open", data.hub_ids[k])] = int(z.start + p)
    return out


def _period(year: int, data: ModelData, formulation: str) -> _Period:
    built = build(_without_capital(data), formulation)
    form = built.model.compile() if built.model is not None else None
    return _Period(year, data, built, form, _asset_columns(built, data))


def _unit(asset: Asset, data: ModelData) -> tuple[int, float, float]:
    """(hub or link index, parcels/day one unit adds, annual cost CNY/yr at the period's
    prices) of an asset."""
    kind, name = asset
    if kind == "link_module":
        lk = data.link_ids.index(name)
        return lk, float(data.link_module[lk]), float(data.link_module_cost[lk]
                                                      * data.days_per_year)
    k = data.hub_ids.index(name)
    if kind == "hub_module":
        return k, float(data.hub_module[k]), float(data.hub_module_cost[k] * data.days_per_year)
    return k, float(min(data.hub_cap[k], data.hub_cap_cap[k])), float(data.hub_fixed_cost[k]
                                                                      * data.days_per_year)


def _commitment_assets(c: Commitment, data: ModelData) -> list[tuple[Asset, float]]:
    """(asset, units required) of a commitment."""
    k = data.hub_ids.index(c.hub)
    out: list[tuple[Asset, float]] = []
    if data.hub_optional[k]:
        out.append((("hub_open", c.hub), 1.0))
    if c.modules is not None or not data.hub_optional[k]:
        out.append((("hub_module", c.hub), float(c.modules or 1)))
    return out


def _prepare(datas: Sequence[ModelData], years: Sequence[int], formulation: str):
    t0 = time.perf_counter()
    periods = [_period(y, d, formulation) for y, d in zip(years, datas, strict=True)]
    return periods, time.perf_counter() - t0


def _assets(periods: list[_Period], commitments: Sequence[Commitment]) -> list[Asset]:
    seen: dict[Asset, None] = {}
    for p in periods:
        seen.update(dict.fromkeys(p.assets))
    for c in commitments:
        seen.update(dict.fromkeys(a for a, _n in _commitment_assets(c, periods[0].data)))
    return list(seen)


def _solve_stack(periods: list[_Period], steps: list[int], assets: list[Asset],
                 costs: PlanCosts, solver: SolverConfig, prior: dict[Asset, float],
                 budgets: dict[int, float], commitments: Sequence[Commitment],
                 myopic: bool, known: list | None = None):
    """Stack the copies of `steps`, add investment columns and rows; solve. `known`: a plan
    of all the steps (per step: the copy's values, units built per asset, as in
    `PlanResult.values`); when it is a feasible point of this MIP, HiGHS stops once its dual
    bound certifies the plan's objective within mip_rel_gap (`handoff.run_highs`). Returns
    (outcome, stack, invest column ids [asset, step], timings)."""
    t0 = time.perf_counter()
    forms = [periods[t].form for t in steps]
    weights = [periods[t].data.days_per_year * costs.operating_weight(t) for t in steps]
    st = Stack(forms, [str(periods[t].year) for t in steps], weights)
    n_a = len(assets)
    coef = np.zeros((n_a, len(steps)))
    capex = np.zeros((n_a, len(steps)))
    upper = np.zeros(n_a)
    for i, a in enumerate(assets):
        for j, t in enumerate(steps):
            annual = _unit(a, periods[t].data)[2]
            coef[i, j] = (costs.myopic_npv if myopic else costs.investment_npv)(annual, t)
            capex[i, j] = annual * costs.capex_per_annual_cost
        ub = max([periods[t].form.col_upper[periods[t].assets[a]]
                  for t in range(len(periods)) if a in periods[t].assets] or [0.0])
        upper[i] = 1.0 if a[0] == "hub_open" else ub
    for c in commitments:
        for a, n in _commitment_assets(c, periods[0].data):
            upper[assets.index(a)] = max(upper[assets.index(a)], n)
    b0 = np.array([prior.get(a, 0.0) for a in assets])
    upper = np.maximum(upper - b0, 0.0)
    names = [f"build[{a[0]},{a[1]},{periods[t].year}]" for a in assets for t in steps]
    inv = st.add_columns(names, cost=coef.ravel(), lower=0.0,
                         upper=np.repeat(upper, len(steps)), integer=True).reshape(n_a, -1)
    # keep(a,t): n_{a,t} − Σ_{s≤t} I_{a,s} ≤ B⁰_a
    rows, cols, vals, rhs, rnames = [], [], [], [], []
    for j, t in enumerate(steps):
        for i, a in enumerate(assets):
            if a not in periods[t].assets:
                continue
            r = len(rnames)
            rows += [r] * (j + 2)
            cols += [int(st.columns(j, [periods[t].assets[a]])[0])] + list(inv[i, :j + 1])
            vals += [1.0] + [-1.0] * (j + 1)
            rhs.append(b0[i])
            rnames.append(f"keep[{a[0]},{a[1]},{periods[t].year}]")
    if rnames:
        st.add_rows(np.array(rows), np.array(cols), np.array(vals), lower=-np.inf,
                    upper=np.array(rhs), names=rnames)
    opens = [i for i, a in enumerate(assets) if a[0] == "hub_open"]
    if opens and len(steps) > 1:  # open_once(k): Σ_t J_{k,t} ≤ 1 − B⁰_k
        st.add_rows(np.repeat(np.arange(len(opens)), len(steps)), inv[opens].ravel(),
                    np.ones(len(opens) * len(steps)), lower=-np.inf, upper=1.0 - b0[opens],
                    names=[f"open_once[{assets[i][1]}]" for i in opens])
    for j, t in enumerate(steps):  # budget(t): Σ_a K_{a,t} I_{a,t} ≤ budget_t, CNY
        if periods[t].year in budgets:
            st.add_rows(np.zeros(n_a, np.int64), inv[:, j], capex[:, j], lower=-np.inf,
                        upper=float(budgets[periods[t].year]),
                        names=[f"budget[{periods[t].year}]"])
    for c in commitments:  # committed(p): B⁰_a + Σ_{t ≤ t_p} I_{a,t} ≥ N_p
        due = max(t for t, p in enumerate(periods) if p.year <= c.by)
        if due not in steps:
            continue
        for a, n in _commitment_assets(c, periods[0].data):
            i = assets.index(a)
            upto = [j for j, t in enumerate(steps) if t <= due]
            st.add_rows(np.zeros(len(upto), np.int64), inv[i, upto], np.ones(len(upto)),
                        lower=n - b0[i], upper=np.inf,
                        names=[f"committed[{a[0]},{a[1]},{c.by}]"])
    sf = st.form()
    known_npv = _known_objective(sf, st.n_copy_cols, inv, known) if known else None
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    out, _pass_s = solve_standard_form(sf, solver, known=known_npv)
    handoff_s = time.perf_counter() - t1 - out.solve_s
    return out, st, sf, inv, capex, coef, build_s, handoff_s


def _known_objective(sf, n_copy_cols: int, inv: np.ndarray, known: list) -> float | None:
    """c·x + offset of a known plan as a point of the stacked MIP, or None unless it is one:
    every copy solved, rows and bounds held to 1e-6 (relative to the row's size), integers
    integral. (The myopic plan always is; checked, so that a bound is never compared with
    the cost of something the MIP does not contain.)"""
    if any(v is None or b is None for v, b in known):
        return None
    x = np.zeros(sf.A.shape[1])
    x[:n_copy_cols] = np.concatenate([v for v, _b in known])
    for j, (_v, builds) in enumerate(known):
        x[inv[:, j]] = np.round(builds)
    ax = sf.A @ x
    tol = 1e-6 * np.maximum(1.0, np.abs(ax))
    ints = sf.integrality.astype(bool)
    ok = ((ax >= sf.row_lower - tol).all() and (ax <= sf.row_upper + tol).all()
          and (x >= sf.col_lower - 1e-6).all() and (x <= sf.col_upper + 1e-6).all()
          and np.allclose(x[ints], np.round(x[ints]), atol=1e-6))
    return float(sf.c @ x + sf.offset) if ok else None


def _report(out, sf, formulation: str, build_s: float, handoff_s: float,
            solver: SolverConfig) -> SolveReport:
    rep = SolveReport(status=out.status, termination=out.termination, objective=out.objective,
                      best_bound=out.best_bound, mip_gap=out.mip_gap, build_s=build_s,
                      handoff_s=handoff_s, solve_s=out.solve_s, formulation=formulation,
                      highs_version=highs_version(), options=_options(solver))
    rep.rows, rep.cols = sf.A.shape
    rep.integers, rep.nnz = sf.n_integers, int(sf.A.nnz)
    if out.status == "feasible":
        rep.message = (f"stopped ({out.termination}) with an incumbent; relative gap "
                       f"{out.mip_gap:.4%}")
    elif out.values is None:
        rep.message = ("the plan is infeasible (budgets, committed projects or a period's "
                       "own constraints)" if out.status == "infeasible"
                       else "stopped without a feasible solution (raise time_limit_s)")
    return rep


def _design(p: _Period, values: np.ndarray | None, report: SolveReport,
            standing: dict[Asset, float], charge: float) -> Design:
    """The period's Design with what stands in the period (not only what its copy used)."""
    if values is None:
        return p.built.empty(report)
    design = p.built.extract(values, report)
    d = p.data
    hub_mod, link_mod = np.zeros(d.n_hubs), np.zeros(d.n_links)
    is_open = ~d.hub_optional.copy()
    for (kind, name), n in standing.items():
        if kind == "hub_module":
            hub_mod[d.hub_ids.index(name)] = n
        elif kind == "link_module":
            link_mod[d.link_ids.index(name)] = n
        elif n > 0.5:
            is_open[d.hub_ids.index(name)] = True
    design.hubs = hub_table(d, design.hubs["throughput_parcels_per_day"].to_numpy(float),
                            hub_mod, is_open)
    design.links = link_table(d, design.links["flow_parcels_per_day"].to_numpy(float), link_mod)
    design.costs["capacity"] = charge / d.days_per_year
    design.costs["total"] = float(sum(v for k, v in design.costs.items() if k != "total"))
    return design


def _precheck(periods: list[_Period]) -> Diagnosis | None:
    bad = [(p.year, p.built.precheck) for p in periods if p.built.precheck is not None]
    if not bad:
        return None
    year, diag = bad[0]
    return dataclasses.replace(diag, message=f"period {year}: {diag.message}")


def _result(kind, periods, assets, values_by_step, reports, costs, report, steps_reports):
    """Assemble designs, schedule and NPV from per-period (copy values, builds)."""
    years = [p.year for p in periods]
    standing = dict.fromkeys(assets, 0.0)
    charge = 0.0  # CNY/yr of annual charges standing
    designs, rows = [], []
    npv = {"operating": 0.0, "capital": 0.0}
    for t, p in enumerate(periods):
        copy_values, builds = values_by_step[t]
        for i, a in enumerate(assets):
            n = float(np.round(builds[i])) if builds is not None else 0.0
            if n <= 0:
                continue
            standing[a] += n
            _k, unit, annual = _unit(a, p.data)
            capex = annual * costs.capex_per_annual_cost
            charge += n * capex * costs.annual_charge_per_capex
            pv = float(costs.investment_npv(annual, t)) * n
            npv["capital"] += pv
            rows.append({"what": KINDS[a[0]], "where": a[1], "period": p.year, "modules": n,
                         "capacity_parcels_per_day": unit * (n if a[0] != "hub_open" else 1),
                         "capital_cost_cny": capex * n, "npv_cny": pv})
        design = _design(p, copy_values, reports[t], dict(standing), charge)
        designs.append(design)
        if copy_values is not None:
            op = float(p.form.c @ copy_values + p.form.offset)
            npv["operating"] += p.data.days_per_year * costs.operating_weight(t) * op
    npv["total"] = npv["operating"] + npv["capital"]
    cols = ["what", "where", "period", "modules", "capacity_parcels_per_day",
            "capital_cost_cny", "npv_cny"]
    schedule = pd.DataFrame(rows, columns=cols)
    return PlanResult(kind, years, designs, schedule, npv, report, steps_reports,
                      list(values_by_step))


def solve_plan(datas: Sequence[ModelData], costs: PlanCosts, solver: SolverConfig, *,
               budgets: dict[int, float] | None = None,
               commitments: Sequence[Commitment] = (), formulation: str = "auto"
               ) -> PlanResult:
    """All periods in one MIP (perfect foresight): minimise the net present cost."""
    periods, prep_s = _prepare(datas, costs.years, formulation)
    return _plan(periods, prep_s, costs, solver, budgets or {}, commitments)


def solve_plans(datas: Sequence[ModelData], costs: PlanCosts, solver: SolverConfig, *,
                budgets: dict[int, float] | None = None,
                commitments: Sequence[Commitment] = (), formulation: str = "auto"
                ) -> tuple[PlanResult, PlanResult]:
    """(perfect foresight, myopic) on the same built copies (each period built once).

    The myopic plan is solved first; it is a feasible plan of the one MIP, so its net present
    cost is handed to the MIP as a known objective (`handoff.run_highs`): HiGHS stops as soon
    as its dual bound certifies the myopic plan (or its own better incumbent) within
    `solver.mip_rel_gap`. The plan returned is the best known one (`_best_known`), its gap
    (best known NPV − MIP dual bound) / best known NPV. On the default study the myopic plan
    is within 1 % of the optimum, so the MIP only has to prove a bound.

    The myopic plan is not handed to HiGHS as a start: with presolve on, HiGHS 1.16 maps a
    start into its presolved space and takes the objective there (its log: "MIP start
    solution is feasible: objective value is 2749545", "... feasible in the reduced space:
    objective value is 2741150"), although presolve has fixed a column the start uses (the
    2030 build, dominated by the cheaper 2025 build): on the hand case of
    tests/test_model_plan.py it then returned the start as "optimal" at an objective 8,395
    CNY (the two 2030 modules) below its own c·x and 1,095 CNY above the optimum. A HiGHS
    bug, not ours (the start is complete, feasible, no offset); presolve off gives the right
    optimum (tests/test_plan_certify.py::test_highs_start_with_presolve_is_mispriced)."""
    periods, prep_s = _prepare(datas, costs.years, formulation)
    my = _myopic(periods, prep_s, costs, solver, budgets or {}, commitments)
    plan = _plan(periods, prep_s, costs, solver, budgets or {}, commitments,
                 known=my.values if my.report.objective is not None else None)
    return _best_known(plan, my, periods, costs, commitments), my


def _best_known(plan: PlanResult, my: PlanResult, periods, costs,
                commitments: Sequence[Commitment]) -> PlanResult:
    """The myopic plan is a feasible solution of the plan's MIP: when the MIP stopped (its
    bound certified the myopic plan, or the time limit) with a dearer incumbent, or none, the
    myopic plan is the plan's best known solution; its gap is measured against the MIP's best
    bound, (NPV − bound) / NPV, and it is "optimal" when that is within mip_rel_gap."""
    rep = plan.report
    tie = 1e-7 * abs(my.npv["total"])  # equal plans up to rounding: keep the MIP's own
    if my.report.objective is None or (rep.objective is not None
                                       and plan.npv["total"] <= my.npv["total"] + tie):
        return plan
    best = dataclasses.replace(rep, objective=my.npv["total"])
    if rep.best_bound is not None:
        best.mip_gap = abs(my.npv["total"] - rep.best_bound) / abs(my.npv["total"])
    best.status = "optimal" if best.mip_gap is not None and best.mip_gap <= \
        max(rep.options.get("mip_rel_gap") or 0.0, 1e-9) else "feasible"
    gap = "n/a" if best.mip_gap is None else f"{best.mip_gap:.2%}"
    found = "no solution" if rep.objective is None else \
        f"an incumbent of {plan.npv['total']:,.0f} CNY"
    if rep.termination == "certified":
        best.message = (f"the one MIP's dual bound {rep.best_bound:,.0f} CNY certifies the "
                        f"myopic plan within {gap} (mip_rel_gap "
                        f"{rep.options.get('mip_rel_gap')}); the MIP stopped there with "
                        f"{found}")
    else:
        best.message = (f"the one-MIP solve stopped ({rep.termination}) with {found}; the "
                        f"myopic plan, a feasible plan of the same MIP, is the best known "
                        f"(gap to the MIP's bound {gap})")
    return _result("perfect_foresight", periods, _assets(periods, commitments), my.values,
                   [best] * len(periods), costs, best, [])


def _plan(periods, prep_s, costs, solver, budgets, commitments,
          known: list | None = None) -> PlanResult:
    assets = _assets(periods, commitments)
    form = "+".join(sorted({p.built.formulation for p in periods}))
    pre = _precheck(periods)
    if pre is not None:
        rep = SolveReport(status="infeasible", termination="no admissible path",
                          formulation=form, build_s=prep_s, diagnosis=pre, message=pre.message)
        return _result("perfect_foresight", periods, assets,
                       [(None, None)] * len(periods), [rep] * len(periods), costs, rep, [])
    steps = list(range(len(periods)))
    out, st, sf, inv, *_r, build_s, handoff_s = _solve_stack(
        periods, steps, assets, costs, solver, {}, budgets, commitments, myopic=False,
        known=known)
    rep = _report(out, sf, form, prep_s + build_s, handoff_s, solver)
    if out.values is None:
        vals = [(None, None)] * len(periods)
    else:
        per_copy, _extra = st.split(out.values)
        builds = out.values[inv]  # (asset, period)
        vals = [(per_copy[t], builds[:, t]) for t in steps]
    return _result("perfect_foresight", periods, assets, vals, [rep] * len(periods), costs,
                   rep, [])


def solve_myopic(datas: Sequence[ModelData], costs: PlanCosts, solver: SolverConfig, *,
                 budgets: dict[int, float] | None = None,
                 commitments: Sequence[Commitment] = (), formulation: str = "auto"
                 ) -> PlanResult:
    """The periods one after another: each step minimises its own period's cost (capital
    charged for its own years only) keeping what earlier steps built; the plan is then
    costed like `solve_plan`'s (net present cost over the whole horizon)."""
    periods, prep_s = _prepare(datas, costs.years, formulation)
    return _myopic(periods, prep_s, costs, solver, budgets or {}, commitments)


def _myopic(periods, prep_s, costs, solver, budgets, commitments) -> PlanResult:
    assets = _assets(periods, commitments)
    form = "+".join(sorted({p.built.formulation for p in periods}))
    prior: dict[Asset, float] = {}
    vals, reps = [], []
    for t in range(len(periods)):
        if periods[t].built.precheck is not None or (reps and reps[-1].objective is None):
            rep = SolveReport(status="infeasible" if periods[t].built.precheck else "error",
                              termination="not solved", formulation=form,
                              diagnosis=periods[t].built.precheck)
            vals.append((None, None))
            reps.append(rep)
            continue
        out, st, sf, inv, *_r, build_s, handoff_s = _solve_stack(
            periods, [t], assets, costs, solver, prior, budgets, commitments, myopic=True)
        rep = _report(out, sf, periods[t].built.formulation, build_s, handoff_s, solver)
        reps.append(rep)
        if out.values is None:
            vals.append((None, None))
            continue
        per_copy, _extra = st.split(out.values)
        builds = out.values[inv[:, 0]]
        for i, a in enumerate(assets):
            prior[a] = prior.get(a, 0.0) + float(np.round(builds[i]))
        vals.append((per_copy[0], builds))
    ok = all(r.objective is not None for r in reps)
    worst = next((r for r in reps if r.objective is None), None) or max(
        reps, key=lambda r: r.mip_gap or 0.0)
    rep = SolveReport(status=worst.status, termination=worst.termination, formulation=form,
                      build_s=prep_s + sum(r.build_s for r in reps),
                      handoff_s=sum(r.handoff_s for r in reps),
                      solve_s=sum(r.solve_s for r in reps), mip_gap=worst.mip_gap,
                      highs_version=highs_version(), options=_options(solver),
                      message=worst.message)
    res = _result("myopic", periods, assets, vals, reps, costs, rep, reps)
    if ok:
        rep.objective = res.npv["total"]
    return res
