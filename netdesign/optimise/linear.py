"""The index plumbing of the optimisation models, in one place: a small sparse linear-model
layer over numpy arrays (no Pyomo, no per-nonzero Python objects).

A model is built from

* `Index`: a named index set -- a list of keys (tuples of ints: a corridor, a (node, hub)
  pair, a link ...) with readable labels for row and column names;
* `Var`: a block of columns over an `Index` (bounds, integrality);
* `Lin`: linear terms in coordinate form -- `var[keys]` gives one term per key, `.by(*rows)`
  says which row each term is summed into, `*` scales, `+`/`-` concatenate; comparing with a
  right-hand side (`<=`, `>=`, `==`) gives the rows of a constraint family;
* `LinearModel.add_constraints(name, index, lhs <= rhs)`: one family of rows over `index`.

Sparse semantics, the same as linopy's missing variables: a term whose variable does not
exist (its key is not in the variable's index) is dropped, and so is a term whose row key is
not in the family's index; rows are the family's index, in its order. `compile()` gives the
`StandardForm` (CSC matrix, duplicates summed, zeros dropped) that goes to HiGHS as is.

Each constraint family can then be written as one statement that reads as its equation:

    m.add_constraints("demand", C, m.x[P].by(corridor_of[P]) + m.unserved[C].by(C) == D[C])
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

INF = math.inf

Keys = tuple[np.ndarray, ...]


def _as_keys(keys) -> Keys:
    """One int64 array per dimension, from an array, a tuple of arrays or an `Index`."""
    if isinstance(keys, Index):
        return keys.keys
    if isinstance(keys, tuple) and len(keys) == 1 and isinstance(keys[0], Index):
        return keys[0].keys
    if not isinstance(keys, tuple):
        keys = (keys,)
    return tuple(np.asarray(k, dtype=np.int64).reshape(-1) for k in keys)


class Index:
    """A named index set: `keys` (one int array per dimension, all the same length, distinct
    tuples) and, per dimension, the labels that name the keys (e.g. corridor ids).

    `locate(*keys)` gives the position of each key tuple in the set, -1 for keys not in it.
    """

    def __init__(self, keys, labels: Sequence[Sequence[str]] | None = None):
        self.keys: Keys = _as_keys(keys)
        self.labels = labels
        self.ndim = len(self.keys)

    @classmethod
    def distinct(cls, keys, labels: Sequence[Sequence[str]] | None = None) -> Index:
        """The distinct key tuples of `keys`, sorted (first dimension first)."""
        keys = _as_keys(keys)
        if not len(keys[0]):
            return cls(tuple(k[:0] for k in keys), labels)
        radix = [int(k.max()) + 1 for k in keys]
        if np.prod([float(r) for r in radix]) >= 2.0 ** 62:
            raise ValueError(f"index too large for int64 key codes (radices {radix})")
        code = np.zeros(len(keys[0]), np.int64)
        for k, r in zip(keys, radix, strict=True):
            code = code * r + k
        code = np.unique(code)
        out = []
        for r in reversed(radix):
            code, k = np.divmod(code, r)
            out.append(k)
        return cls(tuple(reversed(out)), labels)

    @classmethod
    def single(cls, label: str | None = None) -> Index:
        """A set of one (unnamed) row, e.g. the CO2 cap; `Lin.by()` sums into it."""
        return cls(np.zeros(1, np.int64), None if label is None else [[label]])

    def __len__(self) -> int:
        return len(self.keys[0])

    def __iter__(self):
        return iter(self.keys)

    @property
    def pos(self) -> np.ndarray:
        """0..len-1 (the positions of the keys themselves)."""
        return np.arange(len(self))

    @property
    def ids(self) -> np.ndarray:
        """The keys of a one-dimensional set (e.g. corridor indices)."""
        if self.ndim != 1:
            raise ValueError("ids of a multi-dimensional index: use its keys")
        return self.keys[0]

    def subset(self, positions: np.ndarray) -> Index:
        """The keys at `positions` (same labels)."""
        return Index(tuple(k[positions] for k in self.keys), self.labels)

    def locate(self, keys) -> np.ndarray:
        """Position of each key tuple in this set (-1 when absent)."""
        keys = _as_keys(keys)
        if len(keys) != self.ndim:
            raise ValueError(f"{self.ndim}-dimensional index located with {len(keys)} keys")
        n = len(keys[0])
        if not len(self) or not n:
            return np.full(n, -1, np.int64)
        code = self._code(keys)
        kind, table = self._table
        if kind == "dense":  # position by direct lookup in a table over all codes
            return np.where(code >= 0, table[np.maximum(code, 0)], -1)
        order, sorted_codes = table
        at = np.minimum(np.searchsorted(sorted_codes, code), len(sorted_codes) - 1)
        found = (sorted_codes[at] == code) & (code >= 0)
        return np.where(found, order[at], -1)

    def key_labels(self, i: int) -> tuple[str, ...]:
        """Labels of key i, one per dimension (a label may itself be a tuple, e.g. a path's
        corridor and links), e.g. ``("A", "H1")``."""
        parts: list[str] = []
        for j, k in enumerate(self.keys):
            v = int(k[i])
            label = self.labels[j][v] if self.labels is not None else v
            parts.extend(map(str, label) if isinstance(label, tuple) else [str(label)])
        return tuple(parts)

    def name(self, i: int) -> str:
        """Readable label of key i, e.g. ``C1`` or ``A,H1``."""
        return ",".join(self.key_labels(i))

    # the keys as one int64 code each (mixed radix over the dimensions), sorted for lookup
    @functools.cached_property
    def _radix(self) -> list[int]:
        radix = [int(k.max()) + 2 if len(k) else 1 for k in self.keys]
        if np.prod([float(r) for r in radix]) >= 2.0 ** 62:
            raise ValueError(f"index too large for int64 key codes (radices {radix})")
        return radix

    def _code(self, keys: Keys) -> np.ndarray:
        code = np.zeros(len(keys[0]), np.int64)
        bad = np.zeros(len(keys[0]), bool)
        for k, r in zip(keys, self._radix, strict=True):
            bad |= (k < 0) | (k >= r - 1)
            code = code * r + np.clip(k, 0, r - 1)
        return np.where(bad, -1, code)

    @functools.cached_property
    def _table(self):
        """("dense", code -> position) when the code space is small, else ("sorted",
        (order, sorted codes)) for binary search."""
        code = self._code(self.keys)
        span = int(np.prod([float(r) for r in self._radix]))
        if span <= 8 * len(code) + (1 << 20):
            table = np.full(span, -1, np.int64)
            table[code] = np.arange(len(code))
            return "dense", table
        order = np.argsort(code, kind="stable")
        return "sorted", (order, code[order])


@dataclass
class Var:
    """A block of columns over `index`: columns `start .. start + len(index) - 1`."""

    name: str
    index: Index
    start: int
    lower: np.ndarray
    upper: np.ndarray
    integer: bool
    doc: str = ""

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, keys) -> Lin:
        """One term, coefficient 1, per key (dropped later if the key is not in the block)."""
        if keys is self.index:
            return self.all
        pos = self.index.locate(keys)
        return Lin(np.where(pos >= 0, self.start + pos, -1), np.ones(len(pos)))

    @property
    def all(self) -> Lin:
        """Every variable of the block, in index order."""
        return Lin(self.start + self.index.pos, np.ones(len(self)))

    @property
    def ids(self) -> np.ndarray:
        """The keys of a one-dimensional block (e.g. the link index of each column)."""
        return self.index.ids

    @property
    def columns(self) -> np.ndarray:
        return self.start + self.index.pos

    def values(self, solution: np.ndarray) -> np.ndarray:
        """The block's values in index order, from a solution vector over all columns."""
        return solution[self.start:self.start + len(self)]


@dataclass
class Lin:
    """Linear terms in coordinate form: column (-1 = variable absent), coefficient, and the
    row key of each term (set by `by`)."""

    __array_ufunc__ = None  # `array * lin` defers to Lin.__rmul__

    col: np.ndarray
    coef: np.ndarray
    rows: Keys | None = None

    def by(self, *rows) -> Lin:
        """Sum each term into the row with the given key (one key array per row dimension,
        aligned with the terms); `by()` with no keys: every term into the single row."""
        keys = _as_keys(tuple(rows)) if rows else (np.zeros(len(self.col), np.int64),)
        if any(len(k) != len(self.col) for k in keys):
            raise ValueError("row keys must align with the terms")
        return Lin(self.col, self.coef, keys)

    def otherwise(self, other: Lin) -> Lin:
        """Per term, this variable where it exists, else `other`'s (aligned terms): one
        symbol standing for different variables, e.g. y_k = z_kk or hub_open_k."""
        return Lin(np.where(self.col >= 0, self.col, other.col), self.coef, self.rows)

    def __mul__(self, c) -> Lin:
        c = np.broadcast_to(np.asarray(c, dtype=float), self.coef.shape)
        return Lin(self.col, self.coef * c, self.rows)

    __rmul__ = __mul__

    def __neg__(self) -> Lin:
        return Lin(self.col, -self.coef, self.rows)

    def __add__(self, other: Lin) -> Lin:
        if self.rows is None or other.rows is None:
            if self.rows is None and other.rows is None:
                return Lin(np.concatenate([self.col, other.col]),
                           np.concatenate([self.coef, other.coef]))
            raise ValueError("add terms after `by(...)` on both sides (or on neither)")
        if len(self.rows) != len(other.rows):
            raise ValueError("terms summed into rows of different dimension")
        return Lin(np.concatenate([self.col, other.col]),
                   np.concatenate([self.coef, other.coef]),
                   tuple(np.concatenate([a, b]) for a, b in
                         zip(self.rows, other.rows, strict=True)))

    def __radd__(self, other) -> Lin:
        if isinstance(other, int) and other == 0:  # sum(...) starts from 0
            return self
        return NotImplemented

    def __sub__(self, other: Lin) -> Lin:
        return self + (-other)

    def _rows(self, sense: int, rhs) -> Rows:
        return Rows(self, sense, rhs)

    def __le__(self, rhs) -> Rows:  # type: ignore[override]
        return self._rows(-1, rhs)

    def __ge__(self, rhs) -> Rows:  # type: ignore[override]
        return self._rows(1, rhs)

    def __eq__(self, rhs) -> Rows:  # type: ignore[override]
        return self._rows(0, rhs)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Rows:
    """`lhs (<=, >=, ==) rhs`: sense -1, 1 or 0; rhs a scalar or one value per row."""

    lhs: Lin
    sense: int
    rhs: object


@dataclass
class Block:
    """One constraint family as compiled coordinates: rows local to the family."""

    name: str
    index: Index
    row: np.ndarray
    col: np.ndarray
    coef: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    doc: str = ""


@dataclass
class StandardForm:
    """min c x + offset  s.t. row_lower <= A x <= row_upper, col bounds, integrality."""

    c: np.ndarray
    offset: float
    A: sp.csc_array | sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray  # 1 = integer
    model: LinearModel | None = None  # where the row and column names come from

    @property
    def n_integers(self) -> int:
        return int(self.integrality.sum())

    @functools.cached_property
    def row_names(self) -> list[str]:
        """Constraint name per row, e.g. ``hub_capacity[H1]`` (computed when first asked)."""
        return self.model.row_names() if self.model is not None else []

    @functools.cached_property
    def column_names(self) -> list[str]:
        """Variable name per column, e.g. ``hub_modules(H1)``."""
        return self.model.column_names() if self.model is not None else []


class LinearModel:
    """Variables, constraint families and a linear objective (minimised), over numpy arrays."""

    def __init__(self, name: str):
        self.name = name
        self.vars: dict[str, Var] = {}
        self.blocks: dict[str, Block] = {}
        self.n_cols = 0
        self.cost = np.zeros(0)
        self.objective_doc = ""

    def __getattr__(self, name: str) -> Var:
        try:
            return self.__dict__["vars"][name]
        except KeyError:
            raise AttributeError(name) from None

    def add_variables(self, name: str, index: Index, *, lower=0.0, upper=INF,
                      integer: bool = False, doc: str = "") -> Var:
        """Columns over `index` with bounds (scalars or one per key); an empty index gives an
        empty block (its terms are then dropped wherever used)."""
        n = len(index)
        var = Var(name, index, self.n_cols,
                  np.broadcast_to(np.asarray(lower, float), (n,)).copy(),
                  np.broadcast_to(np.asarray(upper, float), (n,)).copy(), integer, doc)
        self.vars[name] = var
        self.n_cols += n
        return var

    def add_constraints(self, name: str, index: Index, rows: Rows, doc: str = "") -> None:
        """The family `name`: one row per key of `index`, lhs terms summed by their row key.

        Terms whose variable is absent, whose row key is not in `index` or whose
        coefficient is 0 are dropped.
        """
        lhs = rows.lhs
        if lhs.rows is None:
            raise ValueError(f"{name}: say which row each term goes to (`.by(...)`)")
        r = index.locate(lhs.rows)
        keep = (r >= 0) & (lhs.col >= 0) & (lhs.coef != 0.0)
        r, col, coef = r[keep], lhs.col[keep], lhs.coef[keep]
        n = len(index)
        rhs = np.broadcast_to(np.asarray(rows.rhs, dtype=float), (n,))
        lower = np.where(rows.sense >= 0, rhs, -INF)
        upper = np.where(rows.sense <= 0, rhs, INF)
        # a row left without terms (all its variables absent) holds if 0 is within its bounds;
        # such rows are dropped (kept when infeasible, so that HiGHS reports it)
        has = np.zeros(n, bool)
        has[r] = True
        drop = ~has & (lower <= 0.0) & (upper >= 0.0)
        if drop.any():
            kept = np.flatnonzero(~drop)
            new_pos = np.full(n, -1, np.int64)
            new_pos[kept] = np.arange(len(kept))
            index, r, lower, upper = index.subset(kept), new_pos[r], lower[kept], upper[kept]
        self.blocks[name] = Block(name, index, r, col, coef, np.asarray(lower, float),
                                  np.asarray(upper, float), doc)

    def minimise(self, terms: Lin, doc: str = "") -> None:
        """Objective: sum of `terms` (coefficients per column summed)."""
        keep = terms.col >= 0
        self.cost = np.bincount(terms.col[keep], weights=terms.coef[keep],
                                minlength=self.n_cols)
        self.objective_doc = doc

    # ------------------------------------------------------------------ output
    def column_names(self, brackets: str = "[]") -> list[str]:
        """``name[labels]`` per column, e.g. ``alloc[A,H1]``."""
        return [column_label(v, i, brackets) for v in self.vars.values() for i in range(len(v))]

    def row_names(self, brackets: str = "[]") -> list[str]:
        """``family[labels]`` per row, e.g. ``hub_capacity[H1]``."""
        return [row_label(b, i, brackets) for b in self.blocks.values()
                for i in range(len(b.index))]

    def compile(self) -> StandardForm:
        """The standard form: CSC matrix (rows = families in order, each in its index's
        order; columns = variable blocks in declaration order), duplicates summed."""
        offsets = np.cumsum([0] + [len(b.index) for b in self.blocks.values()])
        blocks = list(self.blocks.values())
        n_rows = int(offsets[-1])
        if blocks:
            row = np.concatenate([b.row + o for b, o in zip(blocks, offsets, strict=False)])
            col = np.concatenate([b.col for b in blocks])
            val = np.concatenate([b.coef for b in blocks])
            lo = np.concatenate([b.lower for b in blocks])
            up = np.concatenate([b.upper for b in blocks])
        else:
            row = col = np.zeros(0, np.int64)
            val = lo = up = np.zeros(0)
        A = sp.csc_array((val, (row, col)), shape=(n_rows, self.n_cols))
        A.sum_duplicates()
        A.eliminate_zeros()
        vars_ = list(self.vars.values())
        cat = (lambda parts, dtype=float: np.concatenate(parts).astype(dtype)  # noqa: E731
               if parts else np.zeros(0, dtype))
        sf = StandardForm(
            c=self.cost if len(self.cost) == self.n_cols else np.zeros(self.n_cols),
            offset=0.0, A=A, row_lower=lo, row_upper=up,
            col_lower=cat([v.lower for v in vars_]), col_upper=cat([v.upper for v in vars_]),
            integrality=cat([np.full(len(v), int(v.integer)) for v in vars_], np.int64),
            model=self)
        return sf


def row_label(b: Block, i: int, brackets: str = "[]") -> str:
    """``family[key labels]``, or the family's name for a single unnamed row."""
    if len(b.index) == 1 and b.index.labels is None:
        return b.name
    return f"{b.name}{brackets[0]}{b.index.name(i)}{brackets[1]}"


def column_label(v: Var, i: int, brackets: str = "[]") -> str:
    """``variable[key labels]``."""
    return f"{v.name}{brackets[0]}{v.index.name(i)}{brackets[1]}"
