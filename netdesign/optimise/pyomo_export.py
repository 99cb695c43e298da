"""The model as a Pyomo ConcreteModel (public Pyomo API only), and its LP file.

Families are declared once, in the vectorised layer (`linear.py`), and the solve hands that
matrix straight to HiGHS. `to_pyomo` gives the same model as a `pyomo.environ.ConcreteModel`
-- one `Var` per variable block and one `Constraint` per family, indexed by readable labels
(`demand['A>B']`, `alloc['A', 'H1']`, `x['A>B', 'col.rail.dist']`), objective `total_cost` --
for users who want to inspect, extend or solve the model with Pyomo, and for the LP files
(`write_lp`: Pyomo's LP writer, symbolic labels; `--save-lp`, golden tests). Tested equal:
solved through Pyomo's HiGHS interface and through its LP file, it reaches the optimum of the
direct route (tests/test_model_golden.py).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

from netdesign.optimise.linear import LinearModel


def to_pyomo(m: LinearModel) -> pyo.ConcreteModel:
    """The model as a Pyomo ConcreteModel (variables, families, objective)."""
    pm = pyo.ConcreteModel(name=m.name)
    cols: list = []
    for v in m.vars.values():
        labels = [_key(v.index, i) for i in range(len(v))]
        bounds = {lab: (_finite(lo), _finite(up))
                  for lab, lo, up in zip(labels, v.lower, v.upper, strict=True)}
        var = pyo.Var(labels, domain=pyo.Integers if v.integer else pyo.Reals,
                      bounds=_rule(bounds), doc=v.doc)
        pm.add_component(v.name, var)
        cols.extend(var[lab] for lab in labels)
    for b in m.blocks.values():
        n = len(b.index)
        A = sp.csr_array((b.coef, (b.row, b.col)), shape=(n, m.n_cols))
        A.sum_duplicates()
        rows = {}
        for i in range(n):
            s, e = A.indptr[i], A.indptr[i + 1]
            body = pyo.quicksum(float(c) * cols[j] for c, j in
                                zip(A.data[s:e], A.indices[s:e], strict=True))
            rows[_key(b.index, i)] = (_finite(b.lower[i]), body, _finite(b.upper[i]))
        if n == 1 and b.index.labels is None:  # a single row (e.g. the CO2 cap)
            pm.add_component(b.name, pyo.Constraint(expr=next(iter(rows.values())), doc=b.doc))
        else:
            pm.add_component(b.name, pyo.Constraint(list(rows), rule=_rule(rows), doc=b.doc))
    cost = m.cost if len(m.cost) == m.n_cols else np.zeros(m.n_cols)
    pm.total_cost = pyo.Objective(
        expr=pyo.quicksum(float(cost[j]) * cols[j] for j in np.flatnonzero(cost)),
        sense=pyo.minimize, doc=m.objective_doc)
    return pm


def write_lp(m: LinearModel, lp_path: Path) -> None:
    """Write the model as an LP file (Pyomo's writer, readable names; temp name, then
    rename, so that no half-written file is left)."""
    lp_path = Path(lp_path)
    tmp = lp_path.with_name(f".{lp_path.stem}.partial.lp")
    to_pyomo(m).write(str(tmp), io_options={"symbolic_solver_labels": True})
    os.replace(tmp, lp_path)


def _key(index, i: int):
    """Pyomo index of key i: its label, or the tuple of labels when there are several."""
    labels = index.key_labels(i)
    return labels[0] if len(labels) == 1 else labels


def _rule(values: dict):
    """A Pyomo rule returning `values[index]` (the index arrives unpacked)."""
    def rule(_m, *key):
        return values[key[0] if len(key) == 1 else key]
    return rule


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None
