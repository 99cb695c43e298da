"""`netdesign plan`: a staged investment plan over the study's periods, as a Python API.

load -> check (config, data, periods, output folder) -> forecasts -> one scenario per period
-> `optimise.multiperiod.solve_plan` (perfect foresight) and `solve_myopic` -> results.nc
(with a `period` dimension), build_schedule.csv, plan_summary.csv, plan_report.json, each
written atomically and only after both plans are solved. Nothing is written when an input is
invalid.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.atomic import write_text_atomic
from netdesign.config.schema import ScenarioConfig, StudyConfig
from netdesign.data.config_rules import config_source
from netdesign.errors import InputError, Problem, raise_if_errors
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.multiperiod import Commitment, PlanResult, solve_plan, solve_plans
from netdesign.optimise.plan_costs import PlanCosts
from netdesign.pipeline import Study, build_scenario, forecast_study, load_study
from netdesign.results.dataset import combine_results, design_to_dataset
from netdesign.results.io import (
    check_out_dir,
    remove_stale_temporaries,
    write_frame_atomic,
    write_results,
)
from netdesign.scenario.scenario import Scenario

log = logging.getLogger(__name__)

SCHEDULE_FILE = "build_schedule.csv"
PLAN_SUMMARY_FILE = "plan_summary.csv"
PLAN_REPORT_FILE = "plan_report.json"


def plan_periods(cfg: StudyConfig) -> list[int]:
    """`planning.periods`, else the distinct years of the baseline scenarios."""
    return list(cfg.planning.periods or sorted({sc.year for sc in cfg.scenarios}))


def plan_costs(cfg: StudyConfig) -> PlanCosts:
    p = cfg.planning
    return PlanCosts.for_periods(plan_periods(cfg), p.final_period_years,
                                 discount_rate=p.discount_rate,
                                 asset_life_years=p.asset_life_years,
                                 basis_rate=p.cost_basis_rate,
                                 basis_life_years=p.cost_basis_life_years,
                                 om_share=p.fixed_om_share)


def period_scenario_configs(cfg: StudyConfig) -> list[ScenarioConfig]:
    c = cfg.planning.cases
    return [ScenarioConfig(name=f"plan_{y}", year=y, growth=c.growth, costs=c.costs,
                           policy=c.policy, carbon_price_cny_per_t=c.carbon_price_cny_per_t,
                           demand_quantile=c.demand_quantile) for y in plan_periods(cfg)]


def period_scenarios(study: Study, forecasts) -> list[Scenario]:
    """One Scenario per period; every period without forecasts named at once."""
    out, problems = [], []
    src = config_source(study.cfg)
    for i, sc in enumerate(period_scenario_configs(study.cfg)):
        try:
            out.append(build_scenario(study, sc, forecasts))
        except InputError as exc:
            problems += [Problem(src, f"planning.periods[{i}]", "periods", sc.year,
                                 f"a year the forecasts cover ({p.expected})")
                         for p in exc.problems]
    raise_if_errors(problems, "invalid plan periods")
    return out


@dataclass
class PlanRun:
    """Both plans, their scenarios and the results Dataset."""

    scenarios: list[Scenario]
    plan: PlanResult
    myopic: PlanResult | None
    dataset: xr.Dataset


def solve_study_plan(study: Study, forecasts, *, myopic: bool = True,
                     say=lambda _msg: None) -> PlanRun:
    """Solve the study's plan (and its myopic counterpart) on the given forecasts; `say`
    is called with a line of progress before each solve."""
    cfg = study.cfg
    scenarios = period_scenarios(study, forecasts)
    datas = [build_model_data(study.network, s) for s in scenarios]
    costs = plan_costs(cfg)
    budgets = {int(k): float(v) for k, v in cfg.planning.budget_cny.items()}
    commits = [Commitment(c.hub, c.by, c.modules) for c in cfg.planning.committed]
    my = None
    if myopic:
        say(f"solving the myopic plan (periods one by one), then the plan ({len(datas)} "
            f"periods in one MIP); time limit {cfg.solver.time_limit_s:g} s each ...")
        plan, my = solve_plans(datas, costs, cfg.solver, budgets=budgets, commitments=commits)
        say(f"  myopic: {my.report.status}, {my.report.total_s:.1f} s")
    else:
        say(f"solving the plan: {len(datas)} periods in one MIP (time limit "
            f"{cfg.solver.time_limit_s:g} s) ...")
        plan = solve_plan(datas, costs, cfg.solver, budgets=budgets, commitments=commits)
    gap = "n/a" if plan.report.mip_gap is None else f"{plan.report.mip_gap:.2%}"
    say(f"  plan: {plan.report.status}, gap {gap}, {plan.report.total_s:.1f} s"
        + (f" ({plan.report.message})" if plan.report.message else ""))
    plan = explain_infeasible(study, scenarios, plan, datas, costs, budgets, commits, say)
    ds = plan_dataset(study, scenarios, plan, my, costs, forecasts)
    return PlanRun(scenarios, plan, my, ds)


def explain_infeasible(study: Study, scenarios: list[Scenario], plan: PlanResult, datas,
                       costs: PlanCosts, budgets: dict[int, float],
                       commitments: list[Commitment], say=lambda _msg: None) -> PlanResult:
    """An infeasible plan with its report naming the period and the family (budget of a
    period, a commitment by its year, a period's own demand and capacity) that make it so
    (`optimise.plan_diagnose`); any other plan as it is."""
    if plan.report.status != "infeasible":
        return plan
    import dataclasses

    from netdesign.optimise.api import solve_design
    from netdesign.optimise.plan_diagnose import explain_infeasible_plan

    def elastic(sc: Scenario):
        return lambda quick: solve_design(study.network, dataclasses.replace(
            sc, allow_unserved=True), quick, formulation="path")

    say("diagnosing the infeasible plan: each period alone, then with budgets, then with "
        "commitments ...")
    plan = explain_infeasible_plan(plan, datas, costs, study.cfg.solver, budgets=budgets,
                                   commitments=commitments,
                                   elastics=[elastic(sc) for sc in scenarios])
    say(f"  {plan.report.message}")
    return plan


def plan_dataset(study: Study, scenarios: list[Scenario], plan: PlanResult,
                 myopic: PlanResult | None, costs: PlanCosts, forecasts) -> xr.Dataset:
    """results.nc of a plan: one scenario per period (`plan_<year>`, capacity = what stands
    then) and the `period` variables; the plan's figures in the attribute `plan`."""
    parts = [design_to_dataset(study.network, s, d)
             for s, d in zip(scenarios, plan.designs, strict=True)]
    ds = combine_results(parts, study, forecasts)
    hubs = ds["hub"].values.astype(str)
    links = ds["link"].values.astype(str)
    ds = ds.assign_coords(period=np.array(plan.years, np.int64))
    ds["period_hub_capacity"] = (("period", "hub"), plan.hub_capacity()
                                 .reindex(columns=hubs).to_numpy(float))
    ds["period_hub_throughput"] = (("period", "hub"), plan.hub_throughput()
                                   .reindex(columns=hubs).to_numpy(float))
    ds["period_link_capacity"] = (("period", "link"), np.array(
        [d.links["capacity_parcels_per_day"].reindex(links).to_numpy(float)
         for d in plan.designs]))
    if myopic is not None:
        ds["myopic_hub_capacity"] = (("period", "hub"), myopic.hub_capacity()
                                     .reindex(columns=hubs).to_numpy(float))
    ds.attrs["plan"] = json.dumps(plan_summary(plan, myopic, costs), default=str)
    from netdesign.results import schema

    return schema.annotate(ds)


def plan_summary(plan: PlanResult, myopic: PlanResult | None, costs: PlanCosts) -> dict:
    out = {"periods": plan.years, "period_years": list(costs.period_years),
           "discount_rate": costs.discount_rate, "asset_life_years": costs.asset_life_years,
           "npv_cny": plan.npv, "report": plan.report.to_dict(),
           "schedule": plan.schedule.to_dict(orient="records")}
    if myopic is not None:
        out["myopic_npv_cny"] = myopic.npv
        out["myopic_report"] = myopic.report.to_dict()
    return out


def summary_frame(plan: PlanResult, myopic: PlanResult | None) -> pd.DataFrame:
    """plan_summary.csv: one row per plan kind: net present cost parts (CNY), status, gap."""
    rows = []
    for r in (plan, myopic):
        if r is None:
            continue
        rows.append({"plan": r.kind, "status": r.report.status, "mip_gap": r.report.mip_gap,
                     "npv_operating_cny": r.npv["operating"],
                     "npv_capital_cny": r.npv["capital"], "npv_total_cny": r.npv["total"],
                     "capex_cny": float(r.schedule["capital_cost_cny"].sum()),
                     "best_bound_cny": r.report.best_bound, "solve_s": r.report.solve_s,
                     "total_s": r.report.total_s})
    return pd.DataFrame(rows)


def run_plan(config: str | Path | StudyConfig | Study, out_dir: str | Path, *,
             forecasts=None, myopic: bool = True, progress: bool = False) -> PlanRun:
    """Validate, forecast (cached), solve both plans and write the outputs (see module doc);
    `progress`: a line per step on stderr."""
    import sys

    def say(msg: str) -> None:
        if progress:
            print(msg, file=sys.stderr, flush=True)

    study = config if isinstance(config, Study) else load_study(config)
    out = Path(out_dir)
    raise_if_errors(check_out_dir(out), "invalid output folder")
    for name in remove_stale_temporaries(out):
        log.warning("removed %s, left in %s by an interrupted run", name, out)
    if forecasts is None:
        from netdesign.forecast.parallel import local_client

        say("forecasting corridor volumes (cached when the history is unchanged) ...")
        with local_client(study.cfg.forecast.workers) as client:
            forecasts = forecast_study(study, progress=False, client=client).forecasts
    period_scenarios(study, forecasts)  # every period covered, before any solve
    run = solve_study_plan(study, forecasts, myopic=myopic, say=say)
    write_plan(run, out)
    return run


def write_plan(run: PlanRun, out: Path) -> None:
    write_results(run.dataset, out)
    write_frame_atomic(run.plan.schedule, out / SCHEDULE_FILE)
    write_frame_atomic(summary_frame(run.plan, run.myopic), out / PLAN_SUMMARY_FILE)
    write_text_atomic(out / PLAN_REPORT_FILE, json.dumps(
        json.loads(run.dataset.attrs["plan"]), indent=2, default=str) + "\n")
