"""How trustworthy each scenario's figures are: solved to its gap, stopped early, or unusable.

A scenario is flagged when
- it has no solution (status other than optimal/feasible): `no_solution`;
- the solver stopped at a time (or other) limit: `time_limit` (termination in its solver
  report, or status "feasible", which the optimiser uses for "stopped with an incumbent");
- its relative MIP gap is above the configured tolerance `solver.mip_rel_gap` (read from
  the solver report's options, else from the study config stored in the `config_yaml`
  attribute, else the config default 0.005): `gap`;
- demand is left unserved (more than `UNSERVED_TOL_PARCELS_PER_DAY` parcels/day): `unserved`.

`gap_not_reached(ds)` lists the scenarios that have a solution but did not reach their gap
(`time_limit` or `gap`): `netdesign sweep` exits with `EXIT_GAP_NOT_REACHED` (5) for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import xarray as xr
import yaml

from netdesign.errors import EXIT_GAP_NOT_MET
from netdesign.report.load import solver_report

DEFAULT_MIP_REL_GAP = 0.005  # SolverConfig.mip_rel_gap's default
UNSERVED_TOL_PARCELS_PER_DAY = 0.5
SOLVED = ("optimal", "feasible")
EXIT_GAP_NOT_REACHED = EXIT_GAP_NOT_MET  # 5, errors.py
# flag key -> severity (2: figures unusable, 1: figures usable with care)
FLAG_ORDER = ("no_solution", "time_limit", "gap", "unserved")


@dataclass(frozen=True)
class ScenarioHealth:
    """Status of one scenario's solve and the flags raised on it (see module docstring)."""

    scenario: str
    status: str
    mip_gap: float
    gap_tolerance: float
    termination: str
    unserved_parcels_per_day: float
    flags: tuple[str, ...]

    @property
    def has_solution(self) -> bool:
        return self.status in SOLVED

    @property
    def gap_not_reached(self) -> bool:
        return self.has_solution and ("gap" in self.flags or "time_limit" in self.flags)

    @property
    def ok(self) -> bool:
        return not self.flags


def config_gap_tolerance(ds: xr.Dataset) -> float | None:
    """`solver.mip_rel_gap` of the study config stored in the `config_yaml` attribute."""
    text = ds.attrs.get("config_yaml")
    if not isinstance(text, str):
        return None
    try:
        cfg = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    solver = cfg.get("solver") if isinstance(cfg, dict) else None
    value = solver.get("mip_rel_gap") if isinstance(solver, dict) else None
    return float(value) if isinstance(value, (int, float)) else None


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def scenario_health(ds: xr.Dataset) -> dict[str, ScenarioHealth]:
    """scenario -> its `ScenarioHealth`, in dataset order."""
    cfg_tol = config_gap_tolerance(ds)
    unserved = ds["unserved"].sum("corridor", min_count=1)
    out: dict[str, ScenarioHealth] = {}
    for i, name in enumerate(str(s) for s in ds["scenario"].values):
        rep = solver_report(ds, name)
        options = rep.get("options") if isinstance(rep.get("options"), dict) else {}
        tol = _float(options.get("mip_rel_gap"))
        if math.isnan(tol):
            tol = cfg_tol if cfg_tol is not None else DEFAULT_MIP_REL_GAP
        status = str(ds["status"].values[i])
        gap = _float(ds["mip_gap"].values[i])
        termination = str(rep.get("termination", "") or "")
        lost = _float(unserved.values[i])
        flags: list[str] = []
        if status not in SOLVED:
            flags.append("no_solution")
        else:
            stopped = "limit" in termination.lower() and termination != "gap_limit"
            if status == "feasible" or stopped:
                flags.append("time_limit")
            if not math.isnan(gap) and gap > tol * (1 + 1e-9) + 1e-12:
                flags.append("gap")
            if lost > UNSERVED_TOL_PARCELS_PER_DAY:
                flags.append("unserved")
        out[name] = ScenarioHealth(name, status, gap, tol, termination, lost, tuple(flags))
    return out


def gap_not_reached(ds: xr.Dataset) -> list[str]:
    """Scenarios with a solution that did not reach their MIP gap (time limit or gap)."""
    return [h.scenario for h in scenario_health(ds).values() if h.gap_not_reached]


def flag_text(health: ScenarioHealth, lang: str) -> str:
    """The flags of one scenario as one short phrase in `lang` ('' when none)."""
    from netdesign.report.i18n import fmt_share, t

    parts = []
    for f in health.flags:
        if f == "gap":
            parts.append(t("flag_gap", lang).format(gap=fmt_share(health.mip_gap, 1),
                                                    tol=fmt_share(health.gap_tolerance, 1)))
        elif f == "unserved":
            from netdesign.report.i18n import fmt_number

            parts.append(t("flag_unserved", lang).format(
                n=fmt_number(health.unserved_parcels_per_day, lang)))
        else:
            parts.append(t(f"flag_{f}", lang))
    return ("；" if lang == "zh" else "; ").join(parts)
