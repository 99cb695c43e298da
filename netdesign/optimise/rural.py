"""The rural tier in the model (issue 15, "into villages"; docs/model.md, "Rural tier").

Notation: r a rural route (a township's trunk route, or its village route standing for N_r
identical routes, one per village); m a rural mode; d_rm departures/week of mode m on ONE
route r (integer, 0 ≤ d_rm ≤ T_rm, T the mode's timetable or limit; absent where the mode
does not run); Q_m parcels per departure each way, Qc_m of them cold chain; V_r = max(down,
up) parcels/day on one route, V^cold_r its cold-chain produce; F^min_r, F^max_r
departures/week; c_rm CNY per departure. Capacity rows hold for the average week (no design-
day scale σ: the weekly schedule is the standing one; carriers add runs in peak weeks, as
they do on these routes today).

The tier is its own block of columns and rows (appended after the line-haul model, none
when the scenario has no rural tier, so models without one are unchanged): the volumes come
from the scenario's corridor demand, so the block shares no variable with the line-haul
flows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from netdesign.optimise.linear import Index, Lin, LinearModel

TRUNK, VILLAGE = 0, 1


@dataclass
class RuralData:
    """Arrays of the rural tier (from `scenario.rural.RuralInput`).

    route_ids, route_county, route_township: labels per route; route_tier 0 trunk / 1 village;
    n_routes N_r identical routes the row stands for; down, up, cold parcels/day on ONE route;
    min_weekly, max_weekly departures/week (all modes together); mode_ids; capacity,
    cold_capacity parcels per departure (per mode); max_dep (routes x modes) departures/week
    a mode may make on a route (0 = not at all); cost (routes x modes) CNY per departure.
    """

    route_ids: list[str]
    route_county: list[str]
    route_township: list[str]
    route_tier: np.ndarray
    n_routes: np.ndarray
    km: np.ndarray
    down: np.ndarray
    up: np.ndarray
    cold: np.ndarray
    min_weekly: np.ndarray
    max_weekly: np.ndarray
    mode_ids: list[str]
    capacity: np.ndarray
    cold_capacity: np.ndarray
    max_dep: np.ndarray
    cost: np.ndarray
    fix_exact: bool = True
    """Solve the block exactly by enumeration first and fix its columns (`exact_plan`)."""

    @property
    def volume(self) -> np.ndarray:
        """V_r = max(down, up) parcels/day on one route (a departure runs out and back)."""
        return np.maximum(self.down, self.up)


def rural_data(rural: Any) -> RuralData | None:
    """`RuralData` from a scenario's `RuralInput` (None stays None)."""
    if rural is None:
        return None
    r, modes = rural.routes, rural.modes
    return RuralData(
        route_ids=[str(i) for i in r.index], route_county=[str(c) for c in r["county"]],
        route_township=[str(t) for t in r["township"]],
        route_tier=np.where(r["tier"].to_numpy(str) == "trunk", TRUNK, VILLAGE),
        n_routes=r["routes"].to_numpy(float), km=r["km"].to_numpy(float),
        down=r["down"].to_numpy(float), up=r["up"].to_numpy(float),
        cold=r["cold"].to_numpy(float), min_weekly=r["min_weekly"].to_numpy(float),
        max_weekly=r["max_weekly"].to_numpy(float), mode_ids=[str(m) for m in modes.index],
        capacity=modes["capacity"].to_numpy(float),
        cold_capacity=modes["cold_capacity"].to_numpy(float),
        max_dep=rural.max_departures.reindex(columns=modes.index).to_numpy(float),
        cost=rural.cost.reindex(columns=modes.index).to_numpy(float),
        fix_exact=bool(getattr(rural, "fix_exact", True)))


@dataclass
class RuralSets:
    """R routes; RM (route, mode) pairs a mode may run (T_rm > 0), with their route `r` and
    mode `m` arrays; R_cold routes with cold-chain produce; RMc pairs of cold-capable modes."""

    R: Index
    RM: Index
    r: np.ndarray
    m: np.ndarray
    R_cold: Index
    RMc: np.ndarray


def rural_sets(rd: RuralData) -> RuralSets:
    """The index sets of the rural block."""
    n = len(rd.route_ids)
    r, m = np.nonzero(rd.max_dep > 0)
    labels = [rd.route_ids, rd.mode_ids]
    return RuralSets(
        R=Index(np.arange(n), [rd.route_ids]),
        RM=Index((r, m), labels), r=r, m=m,
        R_cold=Index(np.flatnonzero(rd.cold > 0), [rd.route_ids]),
        RMc=rd.cold_capacity[m] > 0)


def define_rural_variables(m: LinearModel, rd: RuralData | None) -> RuralSets | None:
    """rural_departures(r, m): departures/week of mode m on ONE route r, integer,
    0 ≤ d_rm ≤ T_rm (timetable or limit).

    With `fix_exact` (default) the block's optimum is found first, route by route, by
    `exact_plan` and the columns of every route it solves are fixed there (lower = upper):
    the block shares no variable with the rest of the model, so this loses nothing, and the
    rural plan stays optimal when the line-haul MIP stops at its time limit."""
    if rd is None:
        return None
    s = rural_sets(rd)
    lower = np.zeros(len(s.r))
    upper = rd.max_dep[s.r, s.m].copy()
    if rd.fix_exact:
        plan, solved = exact_plan(rd)
        k = solved[s.r]
        lower[k] = upper[k] = plan[s.r[k], s.m[k]]
    m.add_variables("rural_departures", s.RM, lower=lower, upper=upper, integer=True,
                    doc="departures/week of a rural mode on one rural route")
    return s


MAX_ENUMERATION = 200_000
"""Plans enumerated per route at most (more modes than that: the route is left to HiGHS)."""


def exact_plan(rd: RuralData) -> tuple[np.ndarray, np.ndarray]:
    """The rural block's optimum route by route, by enumeration: (departures routes x modes,
    solved per route). Every plan d (whole numbers, 0 ≤ d_m ≤ T_rm, F^min ≤ Σ d ≤ F^max) is
    checked against the capacity and cold-chain rows and the cheapest kept (ties: fewest
    departures, then the first in enumeration order). A route without a feasible plan, or
    with too many plans to enumerate, is not solved (left to the MIP, which then reports
    it)."""
    n_r, n_m = rd.max_dep.shape
    plan = np.zeros((n_r, n_m))
    solved = np.zeros(n_r, bool)
    allowed = rd.max_dep > 0
    groups: dict[tuple[bool, ...], list[int]] = {}
    for r in range(n_r):
        groups.setdefault(tuple(allowed[r]), []).append(r)
    for key, routes in groups.items():
        modes = np.flatnonzero(key)
        routes = np.array(routes)
        f_max = int(rd.max_weekly[routes].max())
        combos = _compositions(len(modes), f_max)
        if combos is None:
            continue
        total = combos.sum(axis=1)
        cap = combos @ rd.capacity[modes]
        cold = combos @ rd.cold_capacity[modes]
        for r in routes:
            ok = ((combos <= rd.max_dep[r, modes]).all(axis=1)
                  & (total >= rd.min_weekly[r] - 1e-9) & (total <= rd.max_weekly[r] + 1e-9)
                  & (cap >= 7.0 * rd.volume[r] - 1e-6) & (cold >= 7.0 * rd.cold[r] - 1e-6))
            if not ok.any():
                continue
            cost = combos @ rd.cost[r, modes]
            best = np.lexsort((total, np.where(ok, cost, np.inf)))[0]
            plan[r, modes] = combos[best]
            solved[r] = True
    return plan, solved


def _compositions(k: int, total_max: int) -> np.ndarray | None:
    """Every vector of k whole numbers ≥ 0 with sum ≤ total_max (None when too many)."""
    from math import comb

    if k == 0 or comb(total_max + k, k) > MAX_ENUMERATION:
        return None
    out = np.zeros((1, 0), np.int64)
    for _ in range(k):
        rows = [np.hstack([out, np.full((len(out), 1), v)]) for v in range(total_max + 1)]
        out = np.vstack(rows)
        out = out[out.sum(axis=1) <= total_max]
    return out.astype(float)


def _dep(m: LinearModel, s: RuralSets, coef: np.ndarray, pairs: np.ndarray | None = None) -> Lin:
    """Σ_m coef · d_rm summed into route r's row (over `pairs`, default all)."""
    k = np.ones(len(s.r), bool) if pairs is None else pairs
    return (coef[k] * m.rural_departures[s.r[k], s.m[k]]).by(s.r[k])


def define_rural_capacity(m: LinearModel, ctx: Any) -> None:
    """rural_capacity(r):  Σ_m Q_m d_rm ≥ 7 V_r      r ∈ R  (parcels/week each way)."""
    rd, s = ctx.data.rural, ctx.rural
    if rd is None:
        return
    m.add_constraints("rural_capacity", s.R,
                      _dep(m, s, rd.capacity[s.m]) >= 7.0 * rd.volume,
                      define_rural_capacity.__doc__)


def define_rural_cold_chain(m: LinearModel, ctx: Any) -> None:
    """rural_cold_chain(r):  Σ_{m: Qc_m > 0} Qc_m d_rm ≥ 7 V^cold_r      r ∈ R_cold.

    Cold-chain produce rides only modes with cold-chain capacity (a bus has none)."""
    rd, s = ctx.data.rural, ctx.rural
    if rd is None or not len(s.R_cold):
        return
    R = s.R_cold
    m.add_constraints("rural_cold_chain", R,
                      _dep(m, s, rd.cold_capacity[s.m], s.RMc)
                      >= 7.0 * rd.cold[R.ids],
                      define_rural_cold_chain.__doc__)


def define_rural_frequency(m: LinearModel, ctx: Any) -> None:
    """rural_min_frequency(r):  Σ_m d_rm ≥ F^min_r;   rural_max_frequency(r):  Σ_m d_rm ≤
    F^max_r      r ∈ R  (departures/week; every route that serves a village, whatever its
    volume)."""
    rd, s = ctx.data.rural, ctx.rural
    if rd is None:
        return
    ones = np.ones(len(s.r))
    m.add_constraints("rural_min_frequency", s.R, _dep(m, s, ones) >= rd.min_weekly,
                      define_rural_frequency.__doc__)
    m.add_constraints("rural_max_frequency", s.R, _dep(m, s, ones) <= rd.max_weekly,
                      "rural_max_frequency(r): Σ_m d_rm ≤ F^max_r (departures/week).")


def rural_objective(m: LinearModel, rd: RuralData | None) -> Lin | None:
    """Σ_r N_r Σ_m c_rm d_rm / 7  (CNY/day: weekly cost of all N_r identical routes / 7)."""
    if rd is None:
        return None
    v = m.rural_departures
    r, k = v.index.keys
    return (rd.n_routes[r] * rd.cost[r, k] / 7.0) * v.all


FAMILIES = (define_rural_capacity, define_rural_cold_chain, define_rural_frequency)
"""The rural tier's constraint families, in row order (after the line-haul families)."""
