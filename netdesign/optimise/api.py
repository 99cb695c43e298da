"""Entry point: `design_network(network, scenario, solver)` -> `Design`.

check -> arrays -> (paths) -> model -> standard form -> HiGHS -> Design. Never raises on a
time limit (returns the incumbent and its gap) or on infeasibility (returns a report with
status and diagnosis); raises `InputError` for inputs that do not fit together.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.optimise.build import build
from netdesign.optimise.diagnose import diagnose
from netdesign.optimise.handoff import highs_version, solve_standard_form
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.report import SolveReport
from netdesign.optimise.solution import Design
from netdesign.scenario.scenario import Scenario

ELASTIC_MAX_HUBFLOW_HUBS = 15
"""Largest hub-flow instance whose infeasibility is also diagnosed by an elastic path re-solve."""


def design_network(network: Network, scenario: Scenario, solver: SolverConfig, *,
                   lp_path: Path | None = None) -> Design:
    """Optimise routing, mode split and capacity of `network` for one `scenario`.

    The formulation is chosen automatically (docs/model.md): the path-based model in general;
    the exact hub-flow aggregation (flows by origin over hub arcs, Ernst & Krishnamoorthy)
    when allocation is single and nothing distinguishes destinations. Both give the same
    optimum where both apply.
    """
    return solve_design(network, scenario, solver, lp_path=lp_path)


def solve_design(network: Network, scenario: Scenario, solver: SolverConfig, *,
                 lp_path: Path | None = None, formulation: str = "auto") -> Design:
    """`design_network` with the formulation selectable ("auto", "path", "hubflow")."""
    t0 = time.perf_counter()
    data = build_model_data(network, scenario)
    built = build(data, formulation)
    build_s = time.perf_counter() - t0
    report = SolveReport(status="error", termination="not run", formulation=built.formulation,
                         n_paths=built.n_paths, build_s=build_s,
                         highs_version=highs_version(), pyomo_version=_pyomo_version(),
                         options=_options(solver))
    if built.precheck is not None:  # nothing to solve: a corridor has no admissible path
        report.status, report.termination = "infeasible", "no admissible path"
        report.diagnosis = built.precheck
        report.message = built.precheck.message
        return built.empty(report)

    t1 = time.perf_counter()
    sf = built.model.compile()
    out, _pass_s = solve_standard_form(sf, solver)
    report.handoff_s = time.perf_counter() - t1 - out.solve_s
    report.solve_s = out.solve_s
    report.rows, report.cols = sf.A.shape
    report.integers, report.nnz = sf.n_integers, int(sf.A.nnz)
    report.status, report.termination = out.status, out.termination
    report.objective, report.best_bound, report.mip_gap = (out.objective, out.best_bound,
                                                           out.mip_gap)
    if lp_path is not None:
        from netdesign.optimise.pyomo_export import write_lp  # Pyomo only when asked for

        write_lp(built.model, lp_path)
    if out.values is None:
        if out.status == "infeasible":
            elastic = None
            if built.formulation == "path" or data.n_hubs <= ELASTIC_MAX_HUBFLOW_HUBS:
                def elastic(quick: SolverConfig) -> Design:
                    relaxed = dataclasses.replace(scenario, allow_unserved=True)
                    return solve_design(network, relaxed, quick, formulation="path")
            report.diagnosis = diagnose(data, sf, solver, elastic=elastic,
                                        allow_unserved=scenario.allow_unserved)
            report.message = report.diagnosis.message
        elif out.status == "no_solution":
            report.message = "stopped without a feasible solution (raise time_limit_s)"
        return built.empty(report)
    if out.status == "feasible":
        report.message = (f"stopped ({out.termination}) with an incumbent; "
                          f"relative gap {out.mip_gap:.4%}")
    return built.extract(out.values, report)


def build_pyomo_model(network: Network, scenario: Scenario, formulation: str = "auto"):
    """The model `design_network` would solve, as a Pyomo ConcreteModel, to inspect, extend
    or solve with Pyomo (docs/model.md, "The model in Pyomo")."""
    return build(build_model_data(network, scenario), formulation).pyomo_model()


def _options(solver: SolverConfig) -> dict:
    return {"time_limit": solver.time_limit_s, "mip_rel_gap": solver.mip_rel_gap,
            "threads": solver.threads, "random_seed": solver.seed, "presolve": solver.presolve}


def _pyomo_version() -> str:
    """Recorded in the report for provenance (Pyomo writes the LP files and exports the
    model; the solve route hands the matrix to HiGHS directly)."""
    try:
        from importlib.metadata import version

        return version("pyomo")
    except Exception:  # noqa: BLE001 - provenance only
        return ""
