"""Hand a Pyomo model to HiGHS: standard-form compilation -> `highspy.Highs.passModel` -> run.

The fastest measured route (docs/benchmarks.md): Pyomo's LinearStandardFormCompiler yields
the constraint matrix as scipy sparse, which goes to HiGHS in one call. A fresh `Highs` object
per solve (its run time accumulates and memory grows otherwise). Optionally writes an LP file
with readable names (Pyomo's LP writer, symbolic labels) for inspection.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from netdesign.config.schema import SolverConfig
from netdesign.errors import SolveError
from netdesign.optimise.constraints import gc_paused

INF = highspy.kHighsInf


@dataclass
class StandardForm:
    """min c x + offset  s.t. row_lower <= A x <= row_upper, col bounds, integrality."""

    c: np.ndarray
    offset: float
    A: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray  # 1 = integer
    columns: list           # Pyomo VarData per column
    rows: list              # Pyomo ConstraintData per row (names computed on demand)

    @property
    def n_integers(self) -> int:
        return int(self.integrality.sum())

    @functools.cached_property
    def row_names(self) -> list[str]:
        """Constraint name per row, e.g. ``hub_capacity[H1]`` (computed when first asked)."""
        return [r if isinstance(r, str) else r.name for r in self.rows]


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


def compile_model(model: pyo.ConcreteModel) -> StandardForm:
    """Compile a linear Pyomo model to arrays (mixed form: rows keep their sense)."""
    # columns in declaration order (not first use), so the matrix is the one a direct
    # array build would give and solves are reproducible; one domain per Var component
    # (true of every model built here), so integrality is tested once per component
    order: list = []
    flags: list[np.ndarray] = []
    for var in model.component_objects(pyo.Var, descend_into=True):
        vals = list(var.values())
        order.extend(vals)
        flags.append(np.full(len(vals), bool(vals) and vals[0].is_integer()))
    is_int = np.concatenate(flags) if flags else np.zeros(0, bool)
    with gc_paused():
        info = LinearStandardFormCompiler().write(model, mixed_form=True, column_order=order)
    A = sp.csr_matrix(info.A)
    rhs = np.asarray(info.rhs, dtype=float)
    sense = np.fromiter((r[1] for r in info.rows), dtype=np.int64, count=len(info.rows))
    row_lower = np.where(sense >= 0, np.where(sense == 0, rhs, -INF), rhs)
    row_upper = np.where(sense <= 0, np.where(sense == 0, rhs, INF), rhs)
    cols = info.columns
    bounds = np.array([v.bounds for v in cols], dtype=float).reshape(len(cols), 2)
    lb = np.where(np.isnan(bounds[:, 0]), -INF, bounds[:, 0])
    ub = np.where(np.isnan(bounds[:, 1]), INF, bounds[:, 1])
    # the compiler keeps the given order and drops unused columns: match them up
    pos = np.empty(len(cols), dtype=np.int64)
    j = 0
    for i, v in enumerate(cols):
        while order[j] is not v:
            j += 1
        pos[i] = j
        j += 1
    integ = is_int[pos].astype(np.int64)
    c = np.asarray(info.c.todense()).ravel() if info.c.shape[0] else np.zeros(len(cols))
    offset = float(np.asarray(info.c_offset).ravel()[0]) if np.size(info.c_offset) else 0.0
    return StandardForm(c=c, offset=offset, A=A, row_lower=row_lower, row_upper=row_upper,
                        col_lower=lb, col_upper=ub, integrality=integ, columns=cols,
                        rows=[r[0] for r in info.rows])



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
    lp = highspy.HighsLp()
    n_rows, n_cols = sf.A.shape
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = sf.c
    lp.offset_ = sf.offset
    lp.col_lower_ = sf.col_lower
    lp.col_upper_ = sf.col_upper
    lp.row_lower_ = sf.row_lower
    lp.row_upper_ = sf.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = sf.A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = sf.A.indices.astype(np.int32)
    lp.a_matrix_.value_ = sf.A.data.astype(float)
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = n_rows
    if sf.n_integers:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in sf.integrality]
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS rejected the model (passModel error); check the data for "
                         "NaN or infinite coefficients")
    return h


def run_highs(h: highspy.Highs, is_mip: bool) -> SolveOutcome:
    """Run HiGHS and translate its status; never raises on time limit or infeasibility."""
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
    return SolveOutcome(status=status, termination=termination, values=values,
                        objective=objective, best_bound=bound, mip_gap=gap, solve_s=solve_s)


def solve_standard_form(sf: StandardForm, solver: SolverConfig) -> tuple[SolveOutcome, float]:
    """passModel + run; returns the outcome and the passModel seconds.

    "Infeasible or unbounded" from presolve is re-solved with presolve off to tell which.
    """
    t0 = time.perf_counter()
    h = to_highs(sf, solver)
    pass_s = time.perf_counter() - t0
    out = run_highs(h, sf.n_integers > 0)
    if out.status == "infeasible_or_unbounded":
        h2 = to_highs(sf, solver, presolve="off")
        again = run_highs(h2, sf.n_integers > 0)
        again.solve_s += out.solve_s
        out = again
        if out.status == "infeasible_or_unbounded":
            out.status = "infeasible"
    return out, pass_s


def write_lp(model: pyo.ConcreteModel, lp_path: Path) -> None:
    """Write the model as an LP file with readable names (temp name, then rename)."""
    lp_path = Path(lp_path)
    tmp = lp_path.with_name(f".{lp_path.stem}.partial.lp")
    model.write(str(tmp), format="lp", io_options={"symbolic_solver_labels": True})
    os.replace(tmp, lp_path)


@functools.lru_cache(maxsize=1)
def highs_version() -> str:
    h = new_highs()
    return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
