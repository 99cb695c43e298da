"""Several compiled models as one: block-diagonal stacking plus linking rows and columns.

A multi-period plan (one copy of the single-period model per period, capacity kept from one
period to the next) and a two-stage stochastic design (one copy per demand scenario, capacity
equal across copies) are both this shape:

    min  Σ_s w_s c_s x_s + c_e e
    s.t. row_lower_s ≤ A_s x_s ≤ row_upper_s      every copy s (its own rows, unchanged)
         link_lower ≤ Σ_s B_s x_s + E e ≤ link_upper   linking rows
         bounds and integrality of x_s and of the extra columns e

Columns are the copies' columns in copy order, then the extra columns; rows likewise. Each
copy keeps its own names with the copy's label in front (``2030/hub_modules[H1]``).
`Stack.split` gives each copy's values back, to be read by its own `Built.extract`.
`add_coefficients` puts terms on other copies' columns into a copy's own rows (a backlog
carried from one day's copy to the next: `evaluate.stress`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from netdesign.optimise.linear import StandardForm


@dataclass
class StackedForm(StandardForm):
    """A `StandardForm` whose names come from its copies (label/name) and its own additions."""

    labels: tuple[str, ...] = ()
    parts: tuple[StandardForm, ...] = ()
    extra_row_names: list[str] = field(default_factory=list)
    extra_column_names: list[str] = field(default_factory=list)

    @functools.cached_property
    def row_names(self) -> list[str]:
        return [f"{lab}/{n}" for lab, p in zip(self.labels, self.parts, strict=True)
                for n in _names(p.row_names, p.A.shape[0], "r")] + self.extra_row_names

    @functools.cached_property
    def column_names(self) -> list[str]:
        return [f"{lab}/{n}" for lab, p in zip(self.labels, self.parts, strict=True)
                for n in _names(p.column_names, p.A.shape[1], "x")] + self.extra_column_names


def _names(names: list[str], n: int, prefix: str) -> list[str]:
    return names if len(names) == n else [f"{prefix}{i}" for i in range(n)]


class Stack:
    """Copies of compiled models in one standard form; add linking columns and rows, then
    `form()` to solve it and `split(values)` to read each copy's solution."""

    def __init__(self, forms: Sequence[StandardForm], labels: Sequence[str],
                 weights: Sequence[float] | None = None):
        """`weights[s]` multiplies copy s's objective (e.g. years a period stands for x
        discount factor, or a scenario's probability); 1 by default."""
        if len(forms) != len(labels) or not forms:
            raise ValueError("one label per form, and at least one form")
        if len(set(labels)) != len(labels):
            raise ValueError(f"copy labels must be distinct: {list(labels)}")
        w = np.ones(len(forms)) if weights is None else np.asarray(weights, float)
        if w.shape != (len(forms),):
            raise ValueError("one weight per form")
        self.forms, self.labels, self.weights = list(forms), list(labels), w
        self.col_offsets = np.cumsum([0] + [f.A.shape[1] for f in forms])
        self.row_offsets = np.cumsum([0] + [f.A.shape[0] for f in forms])
        self._cols: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]] = []
        self._rows: list[tuple[sp.csr_array, np.ndarray, np.ndarray, list[str]]] = []
        self._entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.n_extra_cols = 0

    @property
    def n_copy_cols(self) -> int:
        return int(self.col_offsets[-1])

    @property
    def n_cols(self) -> int:
        return self.n_copy_cols + self.n_extra_cols

    def columns(self, copy: int, cols: np.ndarray) -> np.ndarray:
        """Stacked column ids of copy `copy`'s columns `cols` (its own standard-form ids)."""
        cols = np.asarray(cols, np.int64)
        if len(cols) and (cols.min() < 0 or cols.max() >= self.forms[copy].A.shape[1]):
            raise IndexError(f"column id out of range for copy {self.labels[copy]!r}")
        return cols + self.col_offsets[copy]

    def add_columns(self, names: Sequence[str], *, cost=0.0, lower=0.0, upper=np.inf,
                    integer: bool = False) -> np.ndarray:
        """New columns shared by the copies (e.g. modules built in a period, first-stage
        capacity); returns their stacked ids. `cost` is not weighted."""
        n = len(names)
        b = functools.partial(np.broadcast_to, shape=(n,))
        self._cols.append((b(np.asarray(cost, float)).copy(), b(np.asarray(lower, float)).copy(),
                           b(np.asarray(upper, float)).copy(),
                           np.full(n, int(integer), np.int64), list(names)))
        first = self.n_cols
        self.n_extra_cols += n
        return np.arange(first, first + n)

    def add_rows(self, row: np.ndarray, col: np.ndarray, coef: np.ndarray, *, lower, upper,
                 names: Sequence[str]) -> None:
        """Linking rows: `lower ≤ Σ coef · x[col] ≤ upper`, with `row` local to this call
        (0 … len(names)−1) and `col` stacked column ids (`columns`, `add_columns`)."""
        n = len(names)
        row, col = np.asarray(row, np.int64), np.asarray(col, np.int64)
        if len(row) and (row.min() < 0 or row.max() >= n):
            raise IndexError("row id out of range")
        if len(col) and (col.min() < 0 or col.max() >= self.n_cols):
            raise IndexError("column id out of range (add the columns first)")
        B = sp.csr_array((np.asarray(coef, float), (row, col)), shape=(n, self.n_cols))
        b = functools.partial(np.broadcast_to, shape=(n,))
        self._rows.append((B, b(np.asarray(lower, float)).copy(),
                           b(np.asarray(upper, float)).copy(), list(names)))

    def add_coefficients(self, copy: int, row: np.ndarray, col: np.ndarray,
                         coef: np.ndarray) -> None:
        """Terms in copy `copy`'s own rows (`row`: its standard-form row ids) on stacked
        columns `col` of other copies or extra columns, e.g. yesterday's unserved parcels in
        today's demand row (Σ x_d + u_d − u_{d−1} = D: a backlog carried from day to day).
        Added to what the copy's matrix already holds at that place."""
        row, col = np.asarray(row, np.int64), np.asarray(col, np.int64)
        if len(row) and (row.min() < 0 or row.max() >= self.forms[copy].A.shape[0]):
            raise IndexError(f"row id out of range for copy {self.labels[copy]!r}")
        if len(col) and (col.min() < 0 or col.max() >= self.n_cols):
            raise IndexError("column id out of range (add the columns first)")
        self._entries.append((row + self.row_offsets[copy], col,
                              np.broadcast_to(np.asarray(coef, float), row.shape).copy()))

    def link(self, a: np.ndarray, b: np.ndarray, sense: str, names: Sequence[str]) -> None:
        """Rows x_a − x_b (≥ 0 | = 0 | ≤ 0) pairwise: "ge" keeps what was built (capacity of
        a later period ≥ the earlier), "eq" shares a first-stage decision between copies."""
        a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
        if a.shape != b.shape or len(names) != len(a):
            raise ValueError("link: a, b and names must have the same length")
        lo, up = {"ge": (0.0, np.inf), "eq": (0.0, 0.0), "le": (-np.inf, 0.0)}[sense]
        k = np.arange(len(a))
        self.add_rows(np.concatenate([k, k]), np.concatenate([a, b]),
                      np.concatenate([np.ones(len(a)), -np.ones(len(b))]),
                      lower=lo, upper=up, names=names)

    def form(self) -> StackedForm:
        """The stacked standard form (CSC), ready for `handoff.solve_standard_form`."""
        extra = self._cols
        n_extra = self.n_extra_cols
        A = sp.block_diag([f.A for f in self.forms], format="csc")
        if n_extra:
            A = sp.hstack([A, sp.csc_array((A.shape[0], n_extra))], format="csc")
        if self._entries:
            r, c, v = (np.concatenate(x) for x in zip(*self._entries, strict=True))
            A = sp.csc_array(A + sp.csc_array((v, (r, c)), shape=A.shape))
        r_lo = [f.row_lower for f in self.forms]
        r_up = [f.row_upper for f in self.forms]
        names: list[str] = []
        if self._rows:
            B = sp.vstack([r[0] for r in self._rows], format="csr")
            A = sp.vstack([A, B], format="csc")
            r_lo += [r[1] for r in self._rows]
            r_up += [r[2] for r in self._rows]
            names = [n for r in self._rows for n in r[3]]
        cat = np.concatenate
        return StackedForm(
            c=cat([w * f.c for w, f in zip(self.weights, self.forms, strict=True)]
                  + [e[0] for e in extra]),
            offset=float(sum(w * f.offset for w, f in zip(self.weights, self.forms,
                                                           strict=True))),
            A=sp.csc_array(A), row_lower=cat(r_lo), row_upper=cat(r_up),
            col_lower=cat([f.col_lower for f in self.forms] + [e[1] for e in extra]),
            col_upper=cat([f.col_upper for f in self.forms] + [e[2] for e in extra]),
            integrality=cat([f.integrality for f in self.forms] + [e[3] for e in extra]
                            ).astype(np.int64),
            labels=tuple(self.labels), parts=tuple(self.forms),
            extra_row_names=names, extra_column_names=[n for e in extra for n in e[4]])

    def split(self, values: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Each copy's column values (for its own extract) and the extra columns' values."""
        values = np.asarray(values, float)
        o = self.col_offsets
        return [values[o[s]:o[s + 1]] for s in range(len(self.forms))], values[o[-1]:]
