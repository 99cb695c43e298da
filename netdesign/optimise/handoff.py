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
from operator import attrgetter
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
    A: sp.csc_array | sp.csr_matrix  # compiled models: CSC (HiGHS' own orientation)
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
    """Compile a linear Pyomo model to arrays (mixed form: rows keep their sense).

    The matrix is returned column-wise (CSC, as the compiler builds it and as HiGHS stores
    it), so neither side transposes it.
    """
    # columns in declaration order (not first use), so the matrix is the one a direct
    # array build would give and solves are reproducible. The order is given as Var
    # *components* (the compiler expands each in index order, with no per-variable
    # bookkeeping); one domain per Var component (true of every model built here), so
    # integrality is tested once per component
    comps: list = []
    order: list = []
    flags: list[np.ndarray] = []
    bound_blocks: list[np.ndarray] = []
    for var in model.component_objects(pyo.Var, descend_into=True):
        vals = list(var.values())
        comps.append(var)
        order.extend(vals)
        flags.append(np.full(len(vals), bool(vals) and vals[0].is_integer()))
        bound_blocks.append(_column_bounds(vals))
    is_int = np.concatenate(flags) if flags else np.zeros(0, bool)
    all_bounds = np.concatenate(bound_blocks) if bound_blocks else np.zeros((0, 2))
    with gc_paused():
        info = LinearStandardFormCompiler().write(model, mixed_form=True, column_order=comps)
    A = info.A if sp.isspmatrix_csc(info.A) or isinstance(info.A, sp.csc_array) \
        else sp.csc_array(info.A)
    rhs = np.asarray(info.rhs, dtype=float)
    sense = np.fromiter((r[1] for r in info.rows), dtype=np.int64, count=len(info.rows))
    row_lower = np.where(sense >= 0, np.where(sense == 0, rhs, -INF), rhs)
    row_upper = np.where(sense <= 0, np.where(sense == 0, rhs, INF), rhs)
    cols = info.columns
    # the compiler keeps the given order and drops unused columns: match them up
    if len(cols) == len(order) and all(a is b for a, b in zip(cols, order, strict=True)):
        pos = np.arange(len(cols))
    else:
        pos = np.empty(len(cols), dtype=np.int64)
        j = 0
        for i, v in enumerate(cols):
            while order[j] is not v:
                j += 1
            pos[i] = j
            j += 1
    bounds = all_bounds[pos]
    lb = np.where(np.isnan(bounds[:, 0]), -INF, bounds[:, 0])
    ub = np.where(np.isnan(bounds[:, 1]), INF, bounds[:, 1])
    integ = is_int[pos].astype(np.int64)
    c = info.c.toarray().ravel() if info.c.shape[0] else np.zeros(len(cols))
    offset = float(np.asarray(info.c_offset).ravel()[0]) if np.size(info.c_offset) else 0.0
    return StandardForm(c=c, offset=offset, A=A, row_lower=row_lower, row_upper=row_upper,
                        col_lower=lb, col_upper=ub, integrality=integ, columns=cols,
                        rows=[r[0] for r in info.rows])


_NATIVE_BOUND = (int, float, type(None))


def _column_bounds(cols: list) -> np.ndarray:
    """(lower, upper) per variable, NaN where unbounded (what Pyomo's `VarData.bounds` gives).

    `bounds` costs about 1 us per call. A variable's bounds are the tighter of its domain's
    bounds and its own numeric bounds (`_lb`, `_ub`), so for the usual case -- one domain and
    plain numbers -- they are combined array-wise; otherwise `bounds` is evaluated once per
    distinct (domain, lb, ub) and per variable for bounds given as expressions (Params).
    """
    if not cols:
        return np.zeros((0, 2))
    lo = list(map(attrgetter("_lb"), cols))
    up = list(map(attrgetter("_ub"), cols))
    domains = set(map(id, map(attrgetter("_domain"), cols)))
    native = _NATIVE_BOUND
    kinds_lo, kinds_up = set(map(type, lo)), set(map(type, up))
    if len(domains) == 1 and (kinds_lo | kinds_up) <= set(native):
        dlb, dub = cols[0].domain.bounds()
        out_a = np.full((len(cols), 2), np.nan)
        if kinds_lo != {type(None)}:
            out_a[:, 0] = np.array(lo, dtype=float)
        if kinds_up != {type(None)}:
            out_a[:, 1] = np.array(up, dtype=float)
        # the tighter of the variable's and the domain's bound (fmax/fmin skip NaN)
        out_a[:, 0] = np.fmax(out_a[:, 0], np.nan if dlb is None else float(dlb))
        out_a[:, 1] = np.fmin(out_a[:, 1], np.nan if dub is None else float(dub))
        return out_a
    cache: dict = {}
    out = []
    for v in cols:
        lo, up = v._lb, v._ub
        if lo.__class__ in native and up.__class__ in native:
            key = (id(v._domain), lo, up)
            b = cache.get(key)
            if b is None:
                b = cache[key] = v.bounds
            out.append(b)
        else:
            out.append(v.bounds)
    return np.array(out, dtype=float).reshape(len(cols), 2)


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
