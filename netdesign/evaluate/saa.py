"""Two-stage stochastic design by sample average approximation (SAA), and what it is worth.

Capacity (link modules m, hub modules n, optional hubs open y) is chosen once; routing
x_k, u_k per demand scenario k = 1 … K. The extensive form stacks K copies of the path model
(`optimise.stack.Stack`, weights 1/K) and shares the capacity columns (Stack.link "eq"):

    min  Σ_k (1/K) [c x_k + P_u u_k] + C m + C n + F y
    s.t. every copy's rows with its own demand D_k;  m_k = m_1, n_k = n_1, y_k = y_1

Every copy is built once from the reference demand max_k D_k (so the copies have the same
columns; the rows where demand is a big-M coefficient stay valid) and gets its own demand in
the demand rows' bounds (and on-time floors), as `optimise.resolve` does for one draw.

`stochastic_value` compares, out of sample on the same fresh draws, the mean-forecast design
with the SAA design (VSS = E cost(mean design) − E cost(SAA design)) and gives the expected
value of perfect information (EVPI = E cost(SAA design) − E min-cost design per draw, each
draw designed with hindsight).

Size: K copies multiply rows, columns and integers by K. The default Hangzhou 2035 model
(~5,400 rows, ~47,000 columns, a MIP that already needs minutes to a 1 % gap) stops fitting at
a handful of scenarios; beyond that, Benders (L-shaped) decomposition takes over — the
capacity MIP as master, one routing LP per scenario as subproblem (the fixed-capacity
re-solve of `optimise.resolve`, whose duals of the capacity rows give the optimality cuts) —
or progressive hedging over the scenarios' own design problems (docs/robust.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.optimise.api import solve_design
from netdesign.optimise.build import candidate_paths
from netdesign.optimise.extract import extract_path_design
from netdesign.optimise.handoff import solve_standard_form
from netdesign.optimise.layout import build_layout
from netdesign.optimise.model import build_path_model
from netdesign.optimise.model_data import build_model_data
from netdesign.optimise.resolve import FixedCapacity, Resolver, family_rows
from netdesign.optimise.solution import Design
from netdesign.optimise.stack import Stack
from netdesign.scenario.scenario import Scenario

FIRST_STAGE = ("link_modules", "hub_modules", "hub_open")


@dataclass
class SAADesign:
    """The SAA design: its capacity, the extensive form's objective (CNY/day, the sample
    average), its status, scenario 1's Design (capacity tables), the extensive form's size
    and the solve's relative MIP gap and seconds."""

    capacity: FixedCapacity
    objective: float
    status: str
    design: Design
    rows: int
    cols: int
    mip_gap: float = float("nan")
    solve_s: float = float("nan")


def _with_demand(scenario: Scenario, network: Network, demand: np.ndarray) -> Scenario:
    return dataclasses.replace(scenario, demand=pd.Series(np.asarray(demand, float),
                                                          index=network.corridors.index))


def saa_design(network: Network, scenario: Scenario, demands: np.ndarray,
               solver: SolverConfig) -> SAADesign:
    """The design that minimises the average cost over the K demand vectors `demands`
    (K × corridors, parcels/day, the network's corridor order)."""
    demands = np.atleast_2d(np.asarray(demands, float))
    ref = _with_demand(scenario, network, demands.max(axis=0))
    data = build_model_data(network, ref)
    paths = candidate_paths(data)
    model, ctx = build_path_model(data, paths, build_layout(data, paths))
    sf = model.compile()
    rows = family_rows(model)
    o, b = rows["demand"]
    drows, dcorr = o + np.arange(len(b.index)), b.index.ids
    forms = []
    for D in demands:
        lo, up = sf.row_lower.copy(), sf.row_upper.copy()
        lo[drows] = up[drows] = D[dcorr]
        if "on_time_floor" in rows:
            _floor_rows(rows["on_time_floor"], data, D, lo)
        forms.append(dataclasses.replace(sf, row_lower=lo, row_upper=up))
    K = len(demands)
    st = Stack(forms, [f"s{k + 1}" for k in range(K)], weights=np.full(K, 1.0 / K))
    shared = np.concatenate([getattr(model, v).columns for v in FIRST_STAGE])
    for k in range(1, K):
        st.link(st.columns(k, shared), st.columns(0, shared), "eq",
                [f"nonanticipativity[s{k + 1},{j}]" for j in shared])
    stacked = st.form()
    out, _ = solve_standard_form(stacked, solver)
    if out.values is None:
        raise RuntimeError(f"the extensive form has no solution ({out.status})")
    parts, _ = st.split(out.values)
    data.demand = demands[0].copy()
    d0 = extract_path_design(model, ctx, parts[0], None)
    return SAADesign(FixedCapacity.from_design(d0), float(out.objective), out.status, d0,
                     *stacked.A.shape, mip_gap=_gap(out), solve_s=out.solve_s)


def _gap(out) -> float:
    return float(out.mip_gap) if out.mip_gap is not None else float("nan")


def _floor_rows(block, data, demand: np.ndarray, lower: np.ndarray) -> None:
    from netdesign.data.schema import SERVICE_CLASSES

    o, b = block
    cls = np.array([SERVICE_CLASSES.index(c) if c in SERVICE_CLASSES else -1
                    for c in data.corr_class])
    for i, g in enumerate(b.index.ids):
        lower[o + i] = data.on_time_floor[SERVICE_CLASSES[g]] * demand[cls == g].sum()


def draw_costs(network: Network, scenario: Scenario, capacity: FixedCapacity,
               demands: np.ndarray, solver: SolverConfig) -> np.ndarray:
    """Total cost (CNY/day) of routing each demand vector through the fixed `capacity`."""
    demands = np.atleast_2d(np.asarray(demands, float))
    sc = dataclasses.replace(scenario, allow_unserved=True)
    r = Resolver(network, sc, capacity, solver, reference_demand=demands.max(axis=0))
    return np.array([r.solve(D).costs["total"] for D in demands])


def hindsight_costs(network: Network, scenario: Scenario, demands: np.ndarray,
                    solver: SolverConfig) -> np.ndarray:
    """Cost of the best design for each demand vector, known in advance (wait and see)."""
    return hindsight_solves(network, scenario, demands, solver)[0]


def hindsight_solves(network: Network, scenario: Scenario, demands: np.ndarray,
                     solver: SolverConfig) -> tuple[np.ndarray, np.ndarray]:
    """(cost, best bound) in CNY/day of the design made for each demand vector with
    hindsight; a solve stopped at its time limit has bound < cost (an optimal one: equal)."""
    cost, bound = [], []
    for D in np.atleast_2d(demands):
        d = solve_design(network, _with_demand(scenario, network, D), solver,
                         formulation="path")
        c = float(d.costs["total"])
        b = d.report.best_bound
        cost.append(c)
        bound.append(c if b is None or not np.isfinite(b) else min(c, float(b)))
    return np.array(cost), np.array(bound)


def stochastic_value(network: Network, scenario: Scenario, sample: np.ndarray,
                     fresh: np.ndarray, solver: SolverConfig, *,
                     hindsight: bool = True) -> dict[str, float]:
    """Mean-forecast design (the scenario's own demand) vs the SAA design on `sample`
    (K × corridors), both evaluated on the same `fresh` draws (M × corridors).

    Returns the expected costs (CNY/day) of both on the fresh draws, VSS, the wait-and-see
    cost and EVPI (when `hindsight`: one full design solve per fresh draw), and the SAA
    objective (the in-sample estimate)."""
    mean = solve_design(network, scenario, solver, formulation="path")
    saa = saa_design(network, scenario, sample, solver)
    e_mean = float(draw_costs(network, scenario, FixedCapacity.from_design(mean), fresh,
                              solver).mean())
    e_saa = float(draw_costs(network, scenario, saa.capacity, fresh, solver).mean())
    out = {"mean_design_cost": e_mean, "saa_design_cost": e_saa, "vss": e_mean - e_saa,
           "saa_in_sample": saa.objective, "mean_design_own_cost": mean.costs["total"]}
    if hindsight:
        ws = float(hindsight_costs(network, scenario, fresh, solver).mean())
        out.update(wait_and_see_cost=ws, evpi=e_saa - ws)
    return out


def n_minus_1_design(network: Network, scenario: Scenario, solver: SolverConfig,
                     max_unserved_share: float, hubs: list[str] | None = None) -> SAADesign:
    """The cheapest design (for the scenario's day) that keeps unserved parcels at most
    `max_unserved_share` of demand on a day when any one of `hubs` (default: all) is closed.

    Copy 0 is the normal day (weight 1: its routing and the capacity are the objective);
    copy h is the day hub h is closed (every path through it out; weight 0: only feasible),
    with the capacity columns shared and one row per closure

        Σ_c u_{c,h} ≤ s Σ_c D_c        (parcels/day)

    A hub whose own node's corridors have no other hub may need s large enough for them."""
    if not 0.0 <= max_unserved_share <= 1.0:
        raise ValueError("max_unserved_share must be in [0, 1]")
    sc = dataclasses.replace(scenario, allow_unserved=True)
    data = build_model_data(network, sc)
    paths = candidate_paths(data)
    model, ctx = build_path_model(data, paths, build_layout(data, paths))
    sf = model.compile()
    hubs = list(data.hub_ids) if hubs is None else list(hubs)
    s = ctx.sets
    forms = [sf]
    for h in hubs:
        k = data.hub_ids.index(h)
        col_upper = sf.col_upper.copy()
        col_upper[model.x.start + np.unique(s.hub_path[s.hub_hub == k])] = 0.0
        forms.append(dataclasses.replace(sf, col_upper=col_upper))
    st = Stack(forms, ["normal"] + [f"without_{h}" for h in hubs],
               weights=[1.0] + [0.0] * len(hubs))
    shared = np.concatenate([getattr(model, v).columns for v in FIRST_STAGE])
    u = model.unserved.columns
    cap = max_unserved_share * float(data.demand.sum())
    for i, h in enumerate(hubs, start=1):
        st.link(st.columns(i, shared), st.columns(0, shared), "eq",
                [f"same_capacity[{h},{j}]" for j in shared])
        st.add_rows(np.zeros(len(u), np.int64), st.columns(i, u), np.ones(len(u)),
                    lower=-np.inf, upper=cap, names=[f"n_minus_1_unserved[{h}]"])
    stacked = st.form()
    out, _ = solve_standard_form(stacked, solver)
    if out.values is None:
        raise RuntimeError(f"no design meets the N-1 rule ({out.status})")
    parts, _ = st.split(out.values)
    d0 = extract_path_design(model, ctx, parts[0], None)
    return SAADesign(FixedCapacity.from_design(d0), float(out.objective), out.status, d0,
                     *stacked.A.shape, mip_gap=_gap(out), solve_s=out.solve_s)
