"""Export a built model to Pyomo (public API only), for users who extend or inspect it there.

The product builds and solves without Pyomo (`linear.py` → HiGHS); `to_pyomo` gives the same
model as a `pyomo.environ.ConcreteModel`: one `Var` per variable block and one `Constraint`
per family, indexed by the readable labels (`demand['A>B']`, `alloc['A,H1']`), and the
objective `total_cost`. `tests/test_model_golden.py` checks that it solves to the same optimum.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

from netdesign.optimise.linear import LinearModel


def to_pyomo(m: LinearModel) -> pyo.ConcreteModel:
    """The model as a Pyomo ConcreteModel (variables, families, objective)."""
    pm = pyo.ConcreteModel(name=m.name)
    cols: list = []
    for v in m.vars.values():
        labels = [v.index.name(i) for i in range(len(v))]
        bounds = {lab: (_finite(lo), _finite(up))
                  for lab, lo, up in zip(labels, v.lower, v.upper, strict=True)}
        var = pyo.Var(labels, domain=pyo.Integers if v.integer else pyo.Reals,
                      bounds=lambda _m, lab, b=bounds: b[lab], doc=v.doc)
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
            rows[b.index.name(i)] = (_finite(b.lower[i]), body, _finite(b.upper[i]))
        pm.add_component(b.name, pyo.Constraint(list(rows), rule=lambda _m, k, r=rows: r[k],
                                                doc=b.doc))
    cost = m.cost if len(m.cost) == m.n_cols else np.zeros(m.n_cols)
    pm.total_cost = pyo.Objective(
        expr=pyo.quicksum(float(cost[j]) * cols[j] for j in np.flatnonzero(cost)),
        sense=pyo.minimize, doc=m.objective_doc)
    return pm


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None
