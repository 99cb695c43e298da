"""`SolveReport`: what one solve did, modelled on linopy's Status/Result/SolverReport."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("optimal", "feasible", "infeasible", "unbounded", "no_solution", "error")


@dataclass
class Diagnosis:
    """Why a model is infeasible, in the user's terms.

    unserved:    corridor_id -> parcels/day that could not be served (elastic re-solve).
    violations:  constraint name -> violation needed to become feasible (feasibility relaxation).
    iis:         names of the rows of an irreducible infeasible subsystem (LP relaxation).
    corridors, hubs, links: ids named by any of the above.
    message:     one readable paragraph.
    """

    unserved: dict[str, float] = field(default_factory=dict)
    violations: dict[str, float] = field(default_factory=dict)
    iis: list[str] = field(default_factory=list)
    corridors: list[str] = field(default_factory=list)
    hubs: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class SolveReport:
    """Outcome of one network-design solve.

    status:       optimal | feasible (stopped with an incumbent, e.g. time limit) | infeasible |
                  unbounded | no_solution (stopped without incumbent) | error.
    termination:  why HiGHS stopped (its model status; "gap_limit" when it stopped at
                  mip_rel_gap with a positive gap, which HiGHS itself calls optimal).
    objective:    incumbent objective, CNY/day (None without a solution).
    best_bound:   best dual bound, CNY/day.
    mip_gap:      relative gap |objective - bound| / |objective|.
    build_s, handoff_s, solve_s: wall seconds for path generation + Pyomo build, the
                  standard-form compilation + passModel, and HiGHS.
    rows, cols, integers, nnz: size of the model handed to HiGHS.
    formulation:  "path" or "hubflow" (the exact aggregation for single allocation).
    """

    status: str
    termination: str
    objective: float | None = None
    best_bound: float | None = None
    mip_gap: float | None = None
    build_s: float = 0.0
    handoff_s: float = 0.0
    solve_s: float = 0.0
    rows: int = 0
    cols: int = 0
    integers: int = 0
    nnz: int = 0
    formulation: str = "path"
    n_paths: int = 0
    highs_version: str = ""
    pyomo_version: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    diagnosis: Diagnosis | None = None

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def total_s(self) -> float:
        return self.build_s + self.handoff_s + self.solve_s

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["has_solution"] = self.has_solution
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), default=str)

    def __repr__(self) -> str:
        def num(v: float | None, fmt: str = ",.2f") -> str:
            return "-" if v is None else format(v, fmt)

        lines = [
            f"SolveReport: {self.status} ({self.termination}), formulation {self.formulation}",
            f"  objective {num(self.objective)} CNY/day, bound {num(self.best_bound)}, "
            f"gap {num(self.mip_gap, '.4%')}",
            f"  build {self.build_s:.2f} s, hand-off {self.handoff_s:.2f} s, "
            f"solve {self.solve_s:.2f} s",
            f"  {self.rows:,} rows, {self.cols:,} cols ({self.integers:,} integer), "
            f"{self.nnz:,} nonzeros, {self.n_paths:,} paths",
            f"  HiGHS {self.highs_version}, Pyomo {self.pyomo_version}, options {self.options}",
        ]
        if self.message:
            lines.append(f"  {self.message}")
        if self.diagnosis is not None and self.diagnosis.message not in ("", self.message):
            lines.append(f"  diagnosis: {self.diagnosis.message}")
        return "\n".join(lines)
