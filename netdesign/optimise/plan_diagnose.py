"""Why a staged plan is infeasible: which period and which family of rows (docs/model.md,
"Diagnosing an infeasible plan").

The plan's MIP (`optimise.multiperiod`) adds three families to the periods' own models: what is
built is kept (never infeasible on its own), the budget of each period, the committed projects.
When the one MIP is infeasible, `diagnose_plan` adds them back one at a time and names the
first that breaks it:

1. each period alone, its single-period model (capital included; feasibility does not depend
   on costs): an infeasible period is named with the single-period diagnosis of
   `optimise.diagnose` (the corridors that cannot be served, the rows to relax);
2. all periods together, no budget and no commitment;
3. the budgets added one by one in period order (each with those of the earlier periods): the
   first that makes the plan infeasible is named ("budget 2030");
4. with every budget, the commitments added one by one in order of their year: the first that
   makes the plan infeasible is named ("commitment HGH_IEC (1 module) by 2025"), and whether it
   is infeasible without any budget too (it cannot be built by its year at all) or only within
   the budgets of the periods up to its year.

Each check is a feasibility solve: the time limit is at most `CHECK_TIME_LIMIT_S` and HiGHS
stops at its first incumbent (a relative gap of 0.5); a check that ends without an answer is
"unknown" and the diagnosis says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from netdesign.config.schema import SolverConfig
from netdesign.optimise.build import build
from netdesign.optimise.diagnose import ElasticSolve, diagnose
from netdesign.optimise.handoff import solve_standard_form
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.multiperiod import Commitment, PlanResult, solve_plan
from netdesign.optimise.plan_costs import PlanCosts
from netdesign.optimise.report import Diagnosis

CHECK_TIME_LIMIT_S = 60.0
"""Longest a single feasibility check may run, s (the plan's own limit if lower)."""


@dataclass(frozen=True)
class PlanCheck:
    """One feasibility check: what was solved and its outcome (feasible, infeasible,
    unknown: stopped without an answer)."""

    what: str
    outcome: str


@dataclass
class PlanDiagnosis:
    """What makes a plan infeasible.

    family: "period" (the period's own demand and capacity), "budget", "commitment",
    "together" (every family feasible one by one, not all together) or "unknown" (a check
    ended without an answer). name: what is named, e.g. "budget 2030", "period 2035",
    "commitment HGH_IEC (1 module) by 2025". period: its year (a commitment: the last period
    by its year). message: one readable paragraph. checks: every check in order.
    period_diagnosis: the single-period diagnosis of an infeasible period."""

    family: str
    name: str
    period: int | None
    message: str
    checks: list[PlanCheck] = field(default_factory=list)
    period_diagnosis: Diagnosis | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _quick(solver: SolverConfig) -> SolverConfig:
    return solver.model_copy(update={"time_limit_s": min(solver.time_limit_s,
                                                          CHECK_TIME_LIMIT_S),
                                     "mip_rel_gap": 0.5})


def _outcome(status: str) -> str:
    if status in ("optimal", "feasible"):
        return "feasible"
    return "infeasible" if status == "infeasible" else "unknown"


def _period_alone(data: ModelData, solver: SolverConfig, formulation: str,
                  elastic: ElasticSolve | None) -> tuple[str, Diagnosis | None]:
    """(outcome, single-period diagnosis when infeasible) of one period's own model."""
    built = build(data, formulation)
    if built.precheck is not None:
        return "infeasible", built.precheck
    sf = built.model.compile()
    out, _ = solve_standard_form(sf, solver)
    outcome = _outcome(out.status)
    if outcome != "infeasible":
        return outcome, None
    return outcome, diagnose(data, sf, solver, elastic=elastic,
                             allow_unserved=bool(data.allow_unserved))


def _plan_outcome(datas, costs, solver, budgets, commitments, formulation) -> str:
    plan = solve_plan(datas, costs, solver, budgets=budgets, commitments=commitments,
                      formulation=formulation)
    return _outcome(plan.report.status)


def commitment_name(c: Commitment) -> str:
    n = "" if c.modules is None else f" ({c.modules} module{'s' if c.modules != 1 else ''})"
    return f"commitment {c.hub}{n} by {c.by}"


def _unknown(checks: list[PlanCheck]) -> PlanDiagnosis:
    what = next(c.what for c in checks if c.outcome == "unknown")
    return PlanDiagnosis("unknown", "", None,
                         f"the check '{what}' stopped without an answer within "
                         f"{CHECK_TIME_LIMIT_S:g} s; raise solver.time_limit_s or check by hand",
                         checks)


def diagnose_plan(datas: Sequence[ModelData], costs: PlanCosts, solver: SolverConfig, *,
                  budgets: dict[int, float] | None = None,
                  commitments: Sequence[Commitment] = (), formulation: str = "auto",
                  elastics: Sequence[ElasticSolve | None] | None = None) -> PlanDiagnosis:
    """Name the period and family that make the plan infeasible (see the module docstring).

    elastics: per period, the re-solve with unserved slack used by the single-period
    diagnosis (None: without it)."""
    quick = _quick(solver)
    budgets = dict(budgets or {})
    years = list(costs.years)
    checks: list[PlanCheck] = []
    # 1. each period alone
    bad = []
    for t, (year, data) in enumerate(zip(years, datas, strict=True)):
        elastic = elastics[t] if elastics is not None else None
        outcome, diag = _period_alone(data, quick, formulation, elastic)
        checks.append(PlanCheck(f"period {year} alone", outcome))
        if outcome == "infeasible":
            bad.append((year, diag))
    if bad:
        year, diag = bad[0]
        text = "; ".join(f"period {y}: its own demand and capacity "
                         f"({d.message if d is not None else 'infeasible'})" for y, d in bad)
        return PlanDiagnosis("period", f"period {year}", year,
                             f"{text} (without budgets or commitments)", checks, diag)
    # 2. all periods, nothing else
    outcome = _plan_outcome(datas, costs, quick, {}, (), formulation)
    checks.append(PlanCheck("all periods, no budget, no commitment", outcome))
    if outcome == "infeasible":
        return PlanDiagnosis("together", "periods together", None,
                             "every period is feasible alone but not together (what is "
                             "built is kept: keep and open_once rows)", checks)
    # 3. budgets in period order
    on: dict[int, float] = {}
    for year in sorted(y for y in budgets if y in years):
        on[year] = budgets[year]
        outcome = _plan_outcome(datas, costs, quick, on, (), formulation)
        checks.append(PlanCheck(f"with budget {year}", outcome))
        if outcome == "infeasible":
            earlier = ", ".join(f"{y}: {v:,.0f} CNY" for y, v in on.items() if y != year)
            with_ = f" with the earlier budgets ({earlier})" if earlier else ""
            return PlanDiagnosis(
                "budget", f"budget {year}", year,
                f"budget {year} ({budgets[year]:,.0f} CNY of capex){with_} is too small "
                f"for what the periods up to {year} must build; the plan is feasible "
                "without it", checks)
    # 4. commitments in order of their year, with every budget
    done: list[Commitment] = []
    for c in sorted(commitments, key=lambda c: c.by):
        done.append(c)
        outcome = _plan_outcome(datas, costs, quick, on, done, formulation)
        checks.append(PlanCheck(f"with {commitment_name(c)}", outcome))
        if outcome != "infeasible":
            continue
        due = max(y for y in years if y <= c.by)
        alone = _plan_outcome(datas, costs, quick, {}, [c], formulation)
        checks.append(PlanCheck(f"{commitment_name(c)}, no budget", alone))
        if alone == "infeasible":
            why = f"it cannot be in service by {c.by} (period {due}) whatever the budget"
        else:
            ups = ", ".join(f"{y}: {v:,.0f} CNY" for y, v in on.items() if y <= due)
            why = (f"it cannot be paid for within the budgets of the periods up to {due} "
                   f"({ups or 'none'}) beside what those periods must build; the plan is "
                   "feasible without the budgets")
        return PlanDiagnosis("commitment", commitment_name(c), due,
                             f"{commitment_name(c)}: {why}", checks)
    if any(c.outcome == "unknown" for c in checks):
        return _unknown(checks)
    return PlanDiagnosis("together", "all families together", None,
                         "each period, budget and commitment is feasible when added one by "
                         "one in order; no single one is to blame", checks)


def explain_infeasible_plan(plan: PlanResult, datas: Sequence[ModelData], costs: PlanCosts,
                            solver: SolverConfig, *, budgets: dict[int, float] | None = None,
                            commitments: Sequence[Commitment] = (),
                            elastics: Sequence[ElasticSolve | None] | None = None
                            ) -> PlanResult:
    """`plan` with its report's message and diagnosis naming the period and family that make
    it infeasible (`diagnose_plan`); a plan that is not infeasible is returned as it is."""
    if plan.report.status != "infeasible":
        return plan
    d = diagnose_plan(datas, costs, solver, budgets=budgets, commitments=commitments,
                      elastics=elastics)
    checks = "; ".join(f"{c.what}: {c.outcome}" for c in d.checks)
    base = d.period_diagnosis or Diagnosis()
    text = d.message.removeprefix(f"{d.name}: ")
    message = f"infeasible ({d.name or 'cause unknown'}): {text} [checks: {checks}]"
    plan.report.diagnosis = Diagnosis(unserved=base.unserved, violations=base.violations,
                                      iis=base.iis, corridors=base.corridors, hubs=base.hubs,
                                      links=base.links, message=message)
    plan.report.message = message
    return plan
