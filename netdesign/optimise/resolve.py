"""Re-solve routing of a fixed design for many demand vectors: build once, change the demand.

With the capacity decisions fixed (link and hub modules, optional hubs open) only the demand
changes from one draw to the next, so the path model is built, compiled and handed to HiGHS
once; each draw then changes the bounds of the rows that read the demand
(`Highs.changeRowsBounds`) and runs again from the previous basis (docs/model.md,
"Evaluating a fixed design").

What is fixed, as column bounds (lower = upper):

    m_l = design's link modules, n_k = design's hub modules, y_k = design's open optional hubs;
    w_l (link used) = 1 where m_l ≥ N_l (the minimum frequency is met), else 0.

Rows whose only demand term multiplies a column fixed at 1 are redundant and relaxed
(``paths_need_open_hub`` with y_k = 1: Σ x ≤ D_c already follows from the demand row;
``link_use`` with w_l = 1: f_l ≤ U_l). Every integer column whose bounds fix it loses its
integrality; with every integer column fixed the model is an LP (HiGHS keeps its basis
between runs of an LP, not of a MIP, even one whose integers are all fixed).
What changes per draw:

    demand(c):          Σ x_p + u_c = D_c                  (row bounds)
    on_time_floor(g):   Σ_on-time x_p ≥ φ_g Σ_{c∈g} D_c    (row lower bound)
    allocated_origin/destination(c,k): coefficient −D_c of z (single allocation only;
                        `changeCoeff`, the allocation stays binary: a MIP per draw)
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.errors import InputError, Problem
from netdesign.optimise.build import candidate_paths, precheck_paths
from netdesign.optimise.constraints import Ctx
from netdesign.optimise.extract import empty_design, extract_path_design
from netdesign.optimise.handoff import highs_version, run_highs, to_highs
from netdesign.optimise.layout import build_layout
from netdesign.optimise.linear import LinearModel, StandardForm
from netdesign.optimise.model import build_path_model
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.report import SolveReport
from netdesign.optimise.solution import Design
from netdesign.scenario.scenario import Scenario

INF = np.inf
WARM_FACTOR = 1.0
"""A warm start may take this many times the seconds of the last cold solve."""
WARM_MIN_S = 0.05


@dataclass(frozen=True)
class FixedCapacity:
    """A design's capacity decisions by id: link modules added (departures/day), hub modules
    added, and whether each optional hub is open. Ids not named: 0 modules, closed."""

    link_modules: dict[str, float] = field(default_factory=dict)
    hub_modules: dict[str, float] = field(default_factory=dict)
    hub_open: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def from_design(cls, design: Design) -> FixedCapacity:
        """The capacity decisions of a solved `Design`."""
        return cls(link_modules=design.links["modules_added"].fillna(0).to_dict(),
                   hub_modules=design.hubs["modules_added"].fillna(0).to_dict(),
                   hub_open=design.hubs["is_open"].astype(bool).to_dict())


def family_rows(m: LinearModel) -> dict[str, tuple[int, object]]:
    """family name -> (first row in the compiled form, its Block)."""
    out, o = {}, 0
    for name, b in m.blocks.items():
        out[name] = (o, b)
        o += len(b.index)
    return out


class Resolver:
    """A fixed design's routing model, built once, re-solved per demand vector.

    network, scenario: as for `design_network` (the scenario's demand is the reference; the
    model gets a demand row for every corridor with demand > 0 in `reference_demand`, default
    the scenario's: pass the element-wise maximum over the draws to come).
    capacity: the design's `FixedCapacity`.
    """

    def __init__(self, network: Network, scenario: Scenario, capacity: FixedCapacity,
                 solver: SolverConfig, reference_demand: np.ndarray | None = None):
        t0 = time.perf_counter()
        self.scenario, self.solver = scenario, solver
        data = build_model_data(network, scenario)
        self.mean_demand = data.demand.copy()
        if reference_demand is not None:
            data.demand = np.maximum(data.demand, np.asarray(reference_demand, float))
        paths = candidate_paths(data)
        self.precheck = precheck_paths(data, paths.corridor)
        if self.precheck is not None:
            raise InputError([Problem("design", "corridors", "paths", ", ".join(
                self.precheck.corridors[:5]), "an admissible path for every corridor")],
                self.precheck.message)
        self.model, self.ctx = build_path_model(data, paths, build_layout(data, paths))
        self.data = data
        sf = self.model.compile()
        self._fix(sf, capacity)
        self.is_mip = sf.n_integers > 0
        self.highs = to_highs(sf, solver)
        self.sf = sf
        self.build_s = time.perf_counter() - t0
        rows = family_rows(self.model)
        o, b = rows["demand"]
        self.demand_rows = (o + np.arange(len(b.index))).astype(np.int32)
        self.demand_corr = b.index.ids
        self.floor = None
        if "on_time_floor" in rows:
            o, b = rows["on_time_floor"]
            self.floor = (o + np.arange(len(b.index))).astype(np.int32), b.index.ids
        self.alloc_coef = self._alloc_entries(rows)
        self.cold_s: float | None = None
        self.warm_runs = self.cold_runs = 0

    # ---------------------------------------------------------------- set-up
    def _fix(self, sf: StandardForm, cap: FixedCapacity) -> None:
        """Fix capacity columns by bounds, relax rows made redundant, drop integrality of the
        fixed columns (module docstring)."""
        m, d, s = self.model, self.data, self.ctx.sets
        lm = np.array([float(cap.link_modules.get(d.link_ids[i], 0.0))
                       for i in m.link_modules.ids])
        hm = np.array([float(cap.hub_modules.get(d.hub_ids[k], 0.0))
                       for k in m.hub_modules.ids])
        ho = np.array([float(bool(cap.hub_open.get(d.hub_ids[k], False)))
                       for k in m.hub_open.ids])
        all_lm = np.zeros(d.n_links)
        all_lm[m.link_modules.ids] = lm
        used = (all_lm[m.link_used.ids] >= s.freq_need[m.link_used.ids] - 1e-9).astype(float)
        for var, v in ((m.link_modules, lm), (m.hub_modules, hm), (m.hub_open, ho),
                       (m.link_used, used)):
            cols = var.columns
            sf.col_lower[cols] = v
            sf.col_upper[cols] = v
            sf.integrality[cols] = 0
        # other integer columns that their bounds already fix (e.g. rural departures where
        # a tier has nothing to carry) are constants too: with none left the model is an LP,
        # which HiGHS warm-starts from the last basis (a MIP it would solve from scratch)
        sf.integrality[sf.col_lower == sf.col_upper] = 0
        rows = family_rows(m)
        if "paths_need_open_hub" in rows:
            o, b = rows["paths_need_open_hub"]
            open_ = np.zeros(d.n_hubs, bool)
            open_[m.hub_open.ids] = ho > 0.5
            relax = o + np.flatnonzero(open_[b.index.keys[1]])
            sf.row_upper[relax] = INF
        if "hub_modules_open" in rows:
            # n_k − N̄_k y_k ≤ 0 with n_k and y_k fixed only bounds the design's own modules,
            # and N̄_k comes from demand: a demand a hair below the design's (forecasts read
            # back from forecasts.csv) can round N̄_k one module below what the design holds
            o, b = rows["hub_modules_open"]
            sf.row_upper[o + np.arange(len(b.index))] = INF
        if "link_use" in rows:
            o, b = rows["link_use"]
            on = np.zeros(d.n_links, bool)
            on[m.link_used.ids] = used > 0.5
            sf.row_upper[o + np.flatnonzero(on[b.index.ids])] = INF

    def _alloc_entries(self, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(row, column, corridor) of the −D_c coefficients of single allocation (binary z)."""
        out = []
        A = self.sf.A.tocsr()
        for name in ("allocated_origin", "allocated_destination"):
            if name not in rows:
                continue
            o, b = rows[name]
            alloc_cols = self.model.alloc.columns
            for i, c in enumerate(b.index.keys[0]):
                r = o + i
                cols = A.indices[A.indptr[r]:A.indptr[r + 1]]
                z = cols[np.isin(cols, alloc_cols)]
                out.extend((r, int(j), int(c)) for j in z)
        if not out:
            return None
        a = np.array(out, dtype=np.int64)
        return a[:, 0], a[:, 1], a[:, 2]

    # ---------------------------------------------------------------- per draw
    def set_demand(self, demand: np.ndarray) -> None:
        """Put `demand` (parcels/day by corridor, the network's corridor order) into the
        model: demand rows, on-time floors, allocation coefficients."""
        demand = np.asarray(demand, float)
        extra = demand > 0
        extra[self.demand_corr] = False
        if extra.any():
            raise ValueError(f"{int(extra.sum())} corridor(s) have demand in this draw but "
                             "none in the reference demand the model was built with")
        self.data.demand = demand.copy()  # what extraction reads (unserved = D − served)
        D = demand[self.demand_corr]
        self.highs.changeRowsBounds(len(D), self.demand_rows, D, D)
        if self.floor is not None:
            rows, codes = self.floor
            from netdesign.data.schema import SERVICE_CLASSES

            cls = np.array([SERVICE_CLASSES.index(c) if c in SERVICE_CLASSES else -1
                            for c in self.data.corr_class])
            lo = np.array([self.data.on_time_floor[SERVICE_CLASSES[g]]
                           * demand[cls == g].sum() for g in codes])
            self.highs.changeRowsBounds(len(rows), rows, lo, np.full(len(rows), INF))
        if self.alloc_coef is not None:
            for r, j, c in zip(*self.alloc_coef, strict=True):
                self.highs.changeCoeff(int(r), int(j), -float(demand[c]))

    def solve(self, demand: np.ndarray) -> Design:
        """Route `demand` (parcels/day by corridor) through the fixed design."""
        t0 = time.perf_counter()
        self.set_demand(demand)
        out = self._run()
        report = SolveReport(status=out.status, termination=out.termination,
                             formulation="path (capacity fixed)",
                             n_paths=self.ctx.paths.n, build_s=time.perf_counter() - t0
                             - out.solve_s, solve_s=out.solve_s,
                             highs_version=highs_version(), objective=out.objective,
                             best_bound=out.best_bound, mip_gap=out.mip_gap)
        report.rows, report.cols = self.sf.A.shape
        report.integers, report.nnz = self.sf.n_integers, int(self.sf.A.nnz)
        if out.values is None:
            report.message = f"no routing of this demand through the design ({out.status})"
            return empty_design(self.data, report)
        return extract_path_design(self.model, self.ctx, out.values, report)


    def _run(self):
        """Warm start from the last draw's basis (no presolve) for at most `WARM_FACTOR` x
        the seconds of the last cold solve; past that (a draw far from the last one) the
        solver is cleared and the draw solved cold, with presolve. A MIP (single allocation)
        is always solved cold. (HiGHS' run clock accumulates over runs of one object, so the
        limits are set relative to it.)"""
        h = self.highs
        if self.is_mip or self.cold_s is None:
            return self._cold()
        h.setOptionValue("time_limit", h.getRunTime() + max(WARM_MIN_S,
                                                            WARM_FACTOR * self.cold_s))
        out = run_highs(h, False)
        if h.getModelStatus() != highspy.HighsModelStatus.kTimeLimit:
            self.warm_runs += 1
            return out
        again = self._cold()
        again.solve_s += out.solve_s
        return again

    def _cold(self):
        h = self.highs
        h.clearSolver()
        h.setOptionValue("time_limit", h.getRunTime() + float(self.solver.time_limit_s))
        out = run_highs(h, self.is_mip)
        self.cold_runs += 1
        self.cold_s = out.solve_s
        return out


def fresh_solve(network: Network, scenario: Scenario, capacity: FixedCapacity,
                solver: SolverConfig, demand: np.ndarray) -> Design:
    """The same draw from scratch: model data, paths, model, compile, HiGHS, solve (the
    baseline of the re-solve benchmark). The model is built, like the `Resolver`'s, with the
    reference demand max(design's demand, draw): big-M coefficients built from demand (the
    modules a hub may hold, `hub_modules_open`) must admit the design's capacity, which a
    model built from a draw below the design's demand would not (it is then infeasible)."""
    import pandas as pd

    ids = network.corridors.index
    demand = np.asarray(demand, float)
    sc = dataclasses.replace(scenario, demand=pd.Series(demand, index=ids))
    ref = np.maximum(scenario.demand.reindex(ids).fillna(0.0).to_numpy(float), demand)
    return Resolver(network, sc, capacity, solver, reference_demand=ref).solve(demand)


__all__ = ["Ctx", "FixedCapacity", "Resolver", "fresh_solve"]
