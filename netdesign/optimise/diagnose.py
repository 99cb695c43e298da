"""Infeasibility diagnosis in the user's terms: which corridors, hubs, links and constraints.

Three views, cheapest first (and, for on-time floors, the largest share of each floored
class that can be on time at all, from an LP that maximises it with the floors dropped):
1. elastic re-solve: the same scenario with the unserved slack switched on -> the corridors
   that cannot be served and how many parcels/day (the most useful answer for users);
2. HiGHS feasibility relaxation of the original rows (bounds kept) -> the constraints that
   must be violated, and by how much;
3. an irreducible infeasible subsystem of the LP relaxation (HiGHS getIis, strategy 6) on
   models small enough for it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import highspy
import numpy as np
import scipy.sparse as sp

from netdesign.config.schema import SolverConfig
from netdesign.optimise.handoff import StandardForm, to_highs
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.report import Diagnosis
from netdesign.optimise.solution import Design

ElasticSolve = Callable[[SolverConfig], Design]
"""Re-solve the same scenario with the unserved slack switched on (given by the caller, so
that this module does not import the solve API)."""

IIS_MAX_ROWS = 20_000
ELASTIC_MAX_CORRIDORS = 5_000


def diagnose(data: ModelData, sf: StandardForm | None, solver: SolverConfig, *,
             elastic: ElasticSolve | None = None, allow_unserved: bool = False) -> Diagnosis:
    """Diagnose an infeasible solve (never raises; parts that fail are skipped).

    elastic: the re-solve with unserved slack (None skips it, e.g. for hub-location instances
    too large for the path formulation it uses).
    """
    diag = Diagnosis()
    quick = solver.model_copy(update={"time_limit_s": min(solver.time_limit_s, 60.0)})
    if elastic is not None and not allow_unserved and \
            data.n_corridors <= ELASTIC_MAX_CORRIDORS:
        diag.unserved = _elastic_unserved(elastic, quick)
    if sf is not None:
        diag.violations = _relaxation(sf, quick)
        if sf.A.shape[0] <= IIS_MAX_ROWS:
            diag.iis = _iis(sf, quick)
    names = list(diag.violations) + diag.iis
    corr, hubs, links = set(data.corr_ids), set(data.hub_ids), set(data.link_ids)
    named_c, named_h, named_l = set(diag.unserved), set(), set()
    for name in names:
        for key in _index_keys(name):
            if key in corr:
                named_c.add(key)
            if key in hubs:
                named_h.add(key)
            if key in links:
                named_l.add(key)
    diag.corridors, diag.hubs, diag.links = sorted(named_c), sorted(named_h), sorted(named_l)
    diag.message = "; ".join(p for p in (_floor_message(data, sf, quick), _message(diag))
                             if p)
    return diag


def _floor_message(data: ModelData, sf: StandardForm | None, solver: SolverConfig) -> str:
    """The service classes whose on-time floor cannot be met, with the largest share of their
    demand that can be on time: max Σ on-time x over the LP relaxation with every floor row
    dropped (an upper bound; the floor row's own coefficients are the objective)."""
    if sf is None or not data.on_time_floor:
        return ""
    names = sf.row_names
    rows = [i for i, n in enumerate(names) if n.startswith("on_time_floor[")]
    parts = []
    for i in rows:
        cls = _index_keys(names[i])[0]
        floor = data.on_time_floor.get(cls, float("nan"))
        demand = float(sum(dm for dm, c in zip(data.demand, data.corr_class, strict=True)
                           if c == cls))
        best = _max_row_value(sf, i, rows, solver)
        if best is None or demand <= 0 or best >= floor * demand - 1e-6 * max(1.0, demand):
            continue
        parts.append(f"the on-time floor of service class '{cls}' ({floor:.0%} of its demand) "
                     f"cannot be met: at most {best / demand:.1%} of its {demand:,.0f} "
                     "parcels/day can be delivered within the standard")
    return "; ".join(parts)


def _max_row_value(sf: StandardForm, row: int, drop: list[int],
                   solver: SolverConfig) -> float | None:
    """max A[row] x subject to the other rows (rows in `drop` freed), LP relaxation."""
    try:
        lower, upper = sf.row_lower.copy(), sf.row_upper.copy()
        lower[drop], upper[drop] = -np.inf, np.inf
        c = -np.asarray(sp.csr_array(sf.A)[[row], :].todense()).ravel()
        relaxed = dataclasses.replace(sf, c=c, offset=0.0, row_lower=lower, row_upper=upper,
                                      integrality=np.zeros_like(sf.integrality))
        h = to_highs(relaxed, solver)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return -float(h.getInfo().objective_function_value)
    except Exception:  # noqa: BLE001 - diagnosis must not fail the solve
        return None


def _index_keys(name: str) -> list[str]:
    """'hub_capacity[H1]' -> ['H1']; "balance[N001,N003]" -> ['N001', 'N003']."""
    m = re.search(r"\[(.*)\]$", name)
    if not m:
        return []
    return [k.strip().strip("'\"") for k in m.group(1).split(",")]


def _elastic_unserved(elastic: ElasticSolve, solver: SolverConfig) -> dict:
    try:
        design = elastic(solver)
    except Exception:  # noqa: BLE001 - diagnosis must not fail the solve
        return {}
    if not design.report.has_solution:
        return {}
    u = design.unserved
    return {str(k): float(v) for k, v in u[u > 1e-6].sort_values(ascending=False).items()}


def _relaxation(sf: StandardForm, solver: SolverConfig) -> dict[str, float]:
    """Rows whose bounds the HiGHS feasibility relaxation must violate (unit penalties)."""
    try:
        h = to_highs(sf, solver)
        h.feasibilityRelaxation(-1.0, -1.0, 1.0)
        rows = np.asarray(h.getSolution().row_value, dtype=float)
    except Exception:  # noqa: BLE001
        return {}
    if len(rows) != len(sf.row_names):
        return {}
    viol = np.maximum(sf.row_lower - rows, 0) + np.maximum(rows - sf.row_upper, 0)
    bad = np.flatnonzero(viol > 1e-6)
    return {sf.row_names[i]: float(viol[i]) for i in bad[np.argsort(-viol[bad])][:50]}


def _iis(sf: StandardForm, solver: SolverConfig) -> list[str]:
    """Row names of an IIS of the LP relaxation (empty when HiGHS finds none)."""
    try:
        relaxed = dataclasses.replace(sf, integrality=np.zeros_like(sf.integrality))
        names = sf.row_names
        h = to_highs(relaxed, solver)
        h.setOptionValue("iis_strategy", 6)
        status, iis = h.getIis()
        if status == highspy.HighsStatus.kError:
            return []
        return [names[i] for i in list(iis.row_index_)[:50]]
    except Exception:  # noqa: BLE001
        return []


def _message(d: Diagnosis) -> str:
    parts = []
    if d.unserved:
        top = ", ".join(f"{k} ({v:,.0f}/day)" for k, v in list(d.unserved.items())[:10])
        parts.append(f"{len(d.unserved)} corridor(s) cannot be served: {top}")
    if d.violations:
        parts.append("constraints to relax: " + ", ".join(list(d.violations)[:10]))
    if d.iis:
        parts.append("irreducible infeasible set: " + ", ".join(d.iis[:10]))
    if d.hubs:
        parts.append("hubs involved: " + ", ".join(d.hubs[:10]))
    if d.links:
        parts.append("links involved: " + ", ".join(d.links[:10]))
    return "; ".join(parts) or "infeasible; no further diagnosis available"
