"""A `LinearModel` as LP text (CPLEX LP format, readable names), family by family.

Each constraint family is a section headed by a comment with its equation (the first line of
its ``define_*`` docstring); rows are in the family's index order, one term per line with the
columns in column order; numbers with 12 significant digits. HiGHS reads the result
(`tests/test_model_golden.py` checks that the file solves to the in-memory optimum), and the
golden LP tests compare it, section by section, with reviewed baselines.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from netdesign.optimise.linear import Block, LinearModel, lp_name, row_label


def _num(v: float) -> str:
    if math.isinf(v):
        return "+inf" if v > 0 else "-inf"
    text = f"{v:.12g}"
    return "0" if text == "-0" else text


def _term(c: float, name: str) -> str:
    return f" {'-' if c < 0 else '+'} {_num(abs(c))} {name}"


def _comment(doc: str) -> str:
    line = (doc or "").strip().splitlines()[0] if (doc or "").strip() else ""
    return f"\\ {line}" if line else "\\"


def _rows(b: Block, offset_names: list[str], n_cols: int) -> list[str]:
    out: list[str] = []
    n = len(b.index)
    A = sp.csr_array((b.coef, (b.row, b.col)), shape=(n, n_cols))
    A.sum_duplicates()
    A.sort_indices()
    for i in range(n):
        name = lp_name(row_label(b, i, "()"))
        out.append(f" {name}:")
        lo, up = float(b.lower[i]), float(b.upper[i])
        s, e = A.indptr[i], A.indptr[i + 1]
        terms = [(float(c), int(j)) for c, j in zip(A.data[s:e], A.indices[s:e], strict=True)
                 if c != 0.0]
        if not terms:  # a constant row (kept only when infeasible): LP needs one term
            terms = [(0.0, 0)]
        out.extend(_term(c, offset_names[j]) for c, j in terms)
        if lo == up:
            out.append(f"   = {_num(lo)}")
        elif math.isinf(lo) and not math.isinf(up):
            out.append(f"   <= {_num(up)}")
        elif math.isinf(up) and not math.isinf(lo):
            out.append(f"   >= {_num(lo)}")
        else:
            raise ValueError(f"row {name}: ranged or free rows are not written")
    return out


def lp_text(m: LinearModel) -> str:
    """The whole model as LP text."""
    names = [lp_name(n) for n in m.column_names("()")]
    lines = [f"\\ netdesign model {m.name!r}: {len(names)} columns, "
             f"{sum(len(b.index) for b in m.blocks.values())} rows",
             "minimize", _comment(m.objective_doc), " total_cost:"]
    cost = m.cost if len(m.cost) == m.n_cols else np.zeros(m.n_cols)
    nz = np.flatnonzero(cost)
    if not len(nz) and len(names):
        nz = np.array([0])
    lines.extend(_term(float(cost[j]), names[j]) for j in nz)
    lines.append("subject to")
    for b in m.blocks.values():
        if not len(b.index):
            continue  # a family without rows in this model
        lines.append("")
        lines.append(f"\\ family {b.name}")
        lines.append(_comment(b.doc))
        lines.extend(_rows(b, names, m.n_cols))
    lines.append("")
    lines.append("bounds")
    integers = []
    for v in m.vars.values():
        if not len(v):
            continue
        lines.append(f"\\ variables {v.name}: {v.doc}" if v.doc else f"\\ variables {v.name}")
        start = v.start
        for i in range(len(v)):
            lo, up = float(v.lower[i]), float(v.upper[i])
            name = names[start + i]
            if v.integer:
                integers.append(name)
            if lo == 0.0 and math.isinf(up) and up > 0:
                continue  # the default bounds
            if lo == up:
                lines.append(f" {name} = {_num(lo)}")
            else:
                lines.append(f" {_num(lo)} <= {name} <= {_num(up)}")
    if integers:
        lines.append("general")
        lines.extend(f" {n}" for n in integers)
    lines.append("end")
    return "\n".join(lines) + "\n"
