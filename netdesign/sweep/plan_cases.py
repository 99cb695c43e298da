"""The cases of a plan sweep (`sweep.plans` of a study config, docs/sweeps.md, "Sweeps of
plans"): names, configs, resume keys, and the summary row of a solved plan.

A plan sweep is the cartesian product of `sweep.plans.axes` (fields of `planning` and of
`planning.cases`, in the order of `PLAN_SWEEP_AXES`) over the study's `planning`, plus the
explicit `sweep.plans.cases`. Each case is the study with its `planning` replaced; its name is
its `name`, else made from its values (`r-0.08_pf-1.3_g-high`).
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from netdesign.config.names import NAME_EXPECTED, is_valid_name
from netdesign.config.schema import (
    PLAN_SWEEP_AXES,
    PlanCaseConfig,
    PlanningConfig,
    ScenarioConfig,
    StudyConfig,
)
from netdesign.errors import InputError, Problem
from netdesign.scenario.grid import scenario_key, study_fingerprint

ABBREV = {"discount_rate": "r", "asset_life_years": "life", "peak_factor": "pf",
          "max_utilisation": "u", "growth": "g", "costs": "c", "policy": "p",
          "carbon_price_cny_per_t": "co2", "demand_quantile": "q"}
"""How a case name abbreviates each axis."""
CASE_FIELDS = ("growth", "costs", "policy", "carbon_price_cny_per_t", "demand_quantile")
"""Fields of `planning.cases` (the others a case sets are fields of `planning`)."""


@dataclass(frozen=True)
class PlanCase:
    """One plan of the sweep: its name, the study config it is solved with, and the values it
    sets (field -> value, in the config's terms)."""

    name: str
    cfg: StudyConfig
    values: dict[str, Any]


def is_plan_sweep(cfg: StudyConfig) -> bool:
    return cfg.sweep is not None and cfg.sweep.plans is not None


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def case_name(values: dict[str, Any]) -> str:
    """`r-0.08_pf-1.3` from {discount_rate: 0.08, peak_factor: 1.3}; `plan` when empty."""
    parts = [f"{ABBREV[k]}-{_fmt(v)}" for k, v in values.items() if k in ABBREV]
    return "_".join(parts) or "plan"


def _case_config(cfg: StudyConfig, values: dict[str, Any]) -> StudyConfig:
    """The study with `values` set in `planning` / `planning.cases` (validated)."""
    p = cfg.planning.model_dump(mode="json")
    for k, v in values.items():
        if k in CASE_FIELDS:
            p["cases"][k] = v
        else:
            p[k] = v
    return cfg.model_copy(update={"planning": PlanningConfig.model_validate(p)})


def _reference_problems(cfg: StudyConfig, values: dict[str, Any], where: str,
                        source: str) -> list[Problem]:
    tables = {"growth": cfg.growth_cases, "costs": cfg.cost_cases, "policy": cfg.policies}
    return [Problem(source, f"{where}.{k}", k, values[k], f"one of {sorted(t)}")
            for k, t in tables.items() if k in values and values[k] not in t]


def expand_plan_sweep(cfg: StudyConfig, source: str = "<config>") -> list[PlanCase]:
    """Every case of the study's plan sweep, named, in a stable order (see module doc).

    Raises `InputError` (every problem at once, with its key path) for an empty or invalid
    axis value, an unknown case name, an invalid plan, a nameless case with budgets or
    commitments, an unsafe or duplicate name."""
    assert cfg.sweep is not None and cfg.sweep.plans is not None
    plans = cfg.sweep.plans
    problems: list[Problem] = []
    entries: list[tuple[str, str | None, dict[str, Any]]] = []
    axes = {a: plans.axes[a] for a in PLAN_SWEEP_AXES if a in plans.axes}
    for a, vals in axes.items():
        if not vals:
            problems.append(Problem(source, f"sweep.plans.axes.{a}", a, [], "at least one value"))
    if axes and all(axes.values()):
        for combo in itertools.product(*axes.values()):
            values = dict(zip(axes, combo, strict=True))
            label = ", ".join(f"{a}={v}" for a, v in values.items())
            try:  # coerce each value as a case field would be
                values = PlanCaseConfig.model_validate(values).model_dump(exclude_none=True)
            except ValidationError as exc:
                for e in exc.errors():
                    field = str(e["loc"][0]) if e["loc"] else ""
                    problems.append(Problem(source, f"sweep.plans.axes.{field}", field,
                                            values.get(field), e["msg"]))
                continue
            entries.append((f"sweep.plans.axes ({label})", None, values))
    for i, case in enumerate(plans.cases):
        values = case.model_dump(exclude_none=True, exclude={"name"})
        where = f"sweep.plans.cases[{i}]"
        if case.name is None and ({"budget_cny", "committed"} & set(values)):
            problems.append(Problem(source, f"{where}.name", "name", None,
                                    "a name for a case with budget_cny or committed"))
            continue
        entries.append((where, case.name, values))

    out: list[PlanCase] = []
    seen: dict[str, str] = {}
    for where, name, values in entries:
        name = name or case_name(values)
        refs = _reference_problems(cfg, values, where, source)
        if refs:
            problems += refs
            continue
        if not is_valid_name(name):
            problems.append(Problem(source, f"{where}.name", "name", name, NAME_EXPECTED))
            continue
        if name in seen:
            problems.append(Problem(source, where, "name", name,
                                    f"a unique case name (also produced by {seen[name]})"))
            continue
        try:
            case_cfg = _case_config(cfg, values)
        except ValidationError as exc:
            problems += [Problem(source, where, str(e["loc"][0]) if e["loc"] else "planning",
                                 None, e["msg"]) for e in exc.errors()]
            continue
        seen[name] = where
        out.append(PlanCase(name, case_cfg, values))
    if problems:
        raise InputError(problems, "invalid plan sweep")
    return out


def committed_hub_problems(cases: list[PlanCase], hubs: set[str],
                           source: str) -> list[Problem]:
    """A case's committed project at a hub the network does not have."""
    return [Problem(source, f"sweep.plans ({c.name}).committed[{i}].hub", "hub", p.hub,
                    "a hub_id of the hubs table")
            for c in cases if "committed" in c.values
            for i, p in enumerate(c.cfg.planning.committed) if p.hub not in hubs]


def case_key(case: PlanCase, data_version: str) -> str:
    """Resume key of a case: the study fingerprint of its config (data version, forecast,
    service, network, solver, its `planning`) and the growth case, cost case and policy
    its periods use (`scenario.grid.scenario_key`)."""
    c = case.cfg.planning.cases
    sc = ScenarioConfig(year=2000, growth=c.growth, costs=c.costs, policy=c.policy,
                        carbon_price_cny_per_t=c.carbon_price_cny_per_t,
                        demand_quantile=c.demand_quantile)
    return "plan-" + scenario_key(study_fingerprint(case.cfg, data_version), sc, case.cfg)


PARAMETERS = ("discount_rate", "asset_life_years", "peak_factor", "max_utilisation")


def case_parameters(case: PlanCase) -> dict[str, Any]:
    """The plan's parameters (those a sweep can vary), as the case solves them."""
    p = case.cfg.planning
    out: dict[str, Any] = {k: getattr(p, k) for k in PARAMETERS}
    out.update({k: getattr(p.cases, k) for k in CASE_FIELDS})
    out["budget_cny"] = json.dumps({str(k): v for k, v in p.budget_cny.items()})
    out["committed"] = json.dumps([c.model_dump(mode="json") for c in p.committed])
    return out


def summary_row(case: PlanCase, run=None, *, status: str = "", message: str = "") -> dict:
    """The case's row of summary.csv: status, the plan's and the myopic plan's net present
    cost (CNY), the myopic plan's extra cost over perfect foresight (CNY and share), capex
    (CNY, overnight) and hub capacity added and standing per period (parcels/day), and the
    case's parameters. `run`: the solved `plan.PlanRun` (None: failed before, with
    `status` and `message`)."""
    nan = math.nan
    row: dict[str, Any] = {"plan_case": case.name, "status": status, "message": message,
                           "mip_gap": nan, "npv_total_cny": nan, "npv_operating_cny": nan,
                           "npv_capital_cny": nan, "best_bound_cny": nan,
                           "myopic_status": "", "myopic_npv_total_cny": nan,
                           "myopic_extra_cny": nan, "myopic_extra_share": nan,
                           "capex_cny": nan, "solve_s": nan}
    periods = list(case.cfg.planning.periods or [])
    if run is not None:
        plan, my = run.plan, run.myopic
        rep = plan.report
        ok = rep.objective is not None and bool(plan.designs)
        periods = list(plan.years)
        row.update(status=rep.status, message=rep.message or "",
                   mip_gap=nan if rep.mip_gap is None else rep.mip_gap,
                   best_bound_cny=nan if rep.best_bound is None else rep.best_bound,
                   solve_s=rep.total_s)
        if ok:
            row.update(npv_total_cny=plan.npv["total"], npv_operating_cny=plan.npv["operating"],
                       npv_capital_cny=plan.npv["capital"],
                       capex_cny=float(plan.schedule["capital_cost_cny"].sum()))
        if my is not None:
            row["myopic_status"] = my.report.status
            if my.report.objective is not None:
                row["myopic_npv_total_cny"] = my.npv["total"]
                if ok:
                    row["myopic_extra_cny"] = my.npv["total"] - plan.npv["total"]
                    row["myopic_extra_share"] = row["myopic_extra_cny"] / plan.npv["total"]
        sched = plan.schedule
        cap = plan.hub_capacity() if ok else None
        for y in periods:
            s = sched[sched["period"] == y]
            hub = s[s["what"].isin(("hub module", "hub opening"))]
            row[f"capex_{y}_cny"] = float(s["capital_cost_cny"].sum()) if ok else nan
            row[f"hub_capacity_added_{y}_parcels_per_day"] = \
                float(hub["capacity_parcels_per_day"].sum()) if ok else nan
            if cap is not None:
                v = cap.loc[y].to_numpy(float)
                row[f"hub_capacity_{y}_parcels_per_day"] = float(v[np.isfinite(v)].sum())
            else:
                row[f"hub_capacity_{y}_parcels_per_day"] = nan
    else:
        for y in periods:
            row[f"capex_{y}_cny"] = nan
            row[f"hub_capacity_added_{y}_parcels_per_day"] = nan
            row[f"hub_capacity_{y}_parcels_per_day"] = nan
    row.update(case_parameters(case))
    return row
