"""Hand a compiled model to HiGHS: `StandardForm` -> `highspy.Highs.passModel` -> run.

The matrix arrives column-wise (CSC, HiGHS' own storage) and goes over in one call. A fresh
`Highs` object per solve (its run time accumulates and memory grows otherwise). LP files:
`pyomo_export.write_lp`.

A MIP can be given the objective of a feasible solution known from elsewhere (`known`, e.g.
the myopic plan of a staged plan): a HiGHS interrupt callback then stops the search as soon
as the MIP's dual bound certifies the better of that value and HiGHS's own incumbent within
`mip_rel_gap` (`certifies`). It is not handed to HiGHS as a start: HiGHS 1.16's `setSolution`
with presolve on maps a start into the presolved space without its objective (docs/model.md,
"Staged investment plan", solve).
"""

from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from netdesign.config.schema import SolverConfig
from netdesign.errors import SolveError
from netdesign.optimise.linear import StandardForm

__all__ = ["SolveOutcome", "StandardForm", "certifies", "highs_version", "new_highs",
           "run_highs", "solve_standard_form", "to_highs"]

INF = highspy.kHighsInf


@dataclass
class SolveOutcome:
    """What HiGHS returned: status, incumbent values (by column of the standard form), bound."""

    status: str
    termination: str
    values: np.ndarray | None
    objective: float | None
    best_bound: float | None
    mip_gap: float | None
    solve_s: float
    certified: bool = False
    """stopped by `known`: the dual bound `best_bound` certifies min(known, objective)"""


_banner_done = False


def new_highs() -> highspy.Highs:
    """A fresh, silent `Highs`. HiGHS prints a banner to C-level stdout when the first one of
    a process is created; it is discarded (the versions are in every solve report) so that
    stdout stays machine-readable (one JSON line from scripts, results on pipes)."""
    global _banner_done
    if not _banner_done:
        _banner_done = True
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def to_highs(sf: StandardForm, solver: SolverConfig, presolve: str | None = None) -> highspy.Highs:
    """A fresh `Highs` holding the model, with the solver options set (no output)."""
    h = new_highs()
    h.setOptionValue("time_limit", float(solver.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(solver.mip_rel_gap))
    h.setOptionValue("threads", int(solver.threads))
    h.setOptionValue("random_seed", int(solver.seed))
    h.setOptionValue("presolve", presolve or solver.presolve)
    A = sf.A
    n_rows, n_cols = A.shape
    # column-wise (CSC) is HiGHS' own storage: passed as is, with no transpose
    fmt = highspy.MatrixFormat.kColwise if A.format == "csc" else highspy.MatrixFormat.kRowwise
    if A.format not in ("csc", "csr"):
        A, fmt = sp.csc_array(A), highspy.MatrixFormat.kColwise
    integrality = np.ascontiguousarray(sf.integrality, dtype=np.int32)  # 1 = integer
    f64 = functools.partial(np.ascontiguousarray, dtype=np.float64)
    i32 = functools.partial(np.ascontiguousarray, dtype=np.int32)
    status = h.passModel(n_cols, n_rows, int(A.nnz), int(fmt), int(highspy.ObjSense.kMinimize),
                         float(sf.offset), f64(sf.c), f64(sf.col_lower), f64(sf.col_upper),
                         f64(sf.row_lower), f64(sf.row_upper), i32(A.indptr), i32(A.indices),
                         f64(A.data), integrality)
    if status == highspy.HighsStatus.kError:
        raise SolveError("HiGHS rejected the model (passModel error); check the data for "
                         "NaN or infinite coefficients")
    return h


def certifies(known: float, incumbent: float, dual_bound: float, rel_gap: float) -> bool:
    """True when `dual_bound` (a lower bound on the minimum) proves the best of `known` and
    `incumbent` (objectives of feasible solutions; inf: none) within `rel_gap`:
    best − bound ≤ rel_gap · |best| (HiGHS's own gap, taken on the best known solution)."""
    best = min(known, incumbent)
    if not (np.isfinite(best) and np.isfinite(dual_bound)):
        return False
    return best - dual_bound <= rel_gap * abs(best)


def _stop_when_certified(h: highspy.Highs, known: float) -> dict:
    """Subscribe the MIP interrupt callback that stops HiGHS once `certifies` holds; the
    returned dict records the bound and incumbent it stopped at."""
    rel_gap = float(h.getOptions().mip_rel_gap)
    seen: dict = {"stopped": False}

    def check(event) -> None:
        out = event.data_out
        if certifies(known, out.mip_primal_bound, out.mip_dual_bound, rel_gap):
            seen.update(stopped=True, dual_bound=float(out.mip_dual_bound),
                        incumbent=float(out.mip_primal_bound))
            event.interrupt()

    h.cbMipInterrupt.subscribe(check)
    return seen


def run_highs(h: highspy.Highs, is_mip: bool, known: float | None = None) -> SolveOutcome:
    """Run HiGHS and translate its status; never raises on time limit or infeasibility.

    `known`: objective of a feasible solution found elsewhere (MIP only): stop as soon as the
    dual bound certifies it or a better incumbent within mip_rel_gap (`certifies`); the
    outcome is then `certified`, termination "certified", `best_bound` the certifying bound;
    status "optimal" when HiGHS's own incumbent is the certified one, else "feasible" (its
    incumbent, if any) or "no_solution": the caller holds the known solution."""
    seen = _stop_when_certified(h, float(known)) if is_mip and known is not None else None
    t0 = time.perf_counter()
    h.run()
    solve_s = time.perf_counter() - t0
    ms = h.getModelStatus()
    info = h.getInfo()
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    S = highspy.HighsModelStatus
    termination = h.modelStatusToString(ms)
    if ms == S.kModelEmpty:  # nothing to decide (e.g. no demand): trivially optimal
        off = float(h.getLp().offset_)
        return SolveOutcome(status="optimal", termination="empty model",
                            values=np.zeros(h.getNumCol()), objective=off, best_bound=off,
                            mip_gap=0.0, solve_s=solve_s)
    if ms == S.kOptimal:
        status = "optimal"
    elif ms == S.kInfeasible:
        status = "infeasible"
    elif ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        status = "unbounded" if ms == S.kUnbounded else "infeasible_or_unbounded"
    elif ms in (S.kTimeLimit, S.kIterationLimit, S.kSolutionLimit, S.kInterrupt,
                S.kMemoryLimit, S.kObjectiveBound, S.kObjectiveTarget, S.kHighsInterrupt):
        status = "feasible" if has_sol else "no_solution"
    else:
        status = "error"
    values = objective = bound = gap = None
    if status in ("optimal", "feasible") and has_sol:
        values = np.asarray(h.getSolution().col_value, dtype=float)
        objective = float(info.objective_function_value)
        if is_mip:
            bound = float(info.mip_dual_bound)
            gap = float(info.mip_gap)
        else:
            bound, gap = objective, 0.0
        if status == "optimal" and gap is not None and gap > 1e-6:
            termination = "gap_limit"
    certified = bool(seen and seen["stopped"] and ms == S.kInterrupt)
    if certified:
        termination = "certified"
        final = float(info.mip_dual_bound)
        bound = max(final, seen["dual_bound"]) if np.isfinite(final) else seen["dual_bound"]
        if objective is not None:
            gap = (objective - bound) / max(abs(objective), 1e-12)
            if objective <= known:  # HiGHS's own incumbent is the certified one
                status = "optimal"
    return SolveOutcome(status=status, termination=termination, values=values,
                        objective=objective, best_bound=bound, mip_gap=gap, solve_s=solve_s,
                        certified=certified)


def solve_standard_form(sf: StandardForm, solver: SolverConfig, *,
                        known: float | None = None) -> tuple[SolveOutcome, float]:
    """passModel + run; returns the outcome and the passModel seconds.

    "Infeasible or unbounded" from presolve is re-solved with presolve off to tell which.
    `known`: see `run_highs`.
    """
    t0 = time.perf_counter()
    h = to_highs(sf, solver)
    pass_s = time.perf_counter() - t0
    out = run_highs(h, sf.n_integers > 0, known)
    if out.status == "infeasible_or_unbounded":
        h2 = to_highs(sf, solver, presolve="off")
        again = run_highs(h2, sf.n_integers > 0)
        again.solve_s += out.solve_s
        out = again
        if out.status == "infeasible_or_unbounded":
            out.status = "infeasible"
    return out, pass_s


@functools.lru_cache(maxsize=1)
def highs_version() -> str:
    h = new_highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
