"""Outage stress test: a fixed design re-routed day by day through a named disruption.

For a disruption of D days with R recovery days, T = D + R copies of the fixed design's
routing LP (`optimise.resolve.Resolver`, the design's average-day demand D_c every day) are
stacked (`optimise.stack.Stack`) and linked by the backlog:

    demand(c, t):   Σ_p x_{p,t} + u_{c,t} − u_{c,t−1} = D_c      t = 2 … T
    cost of u_{c,t}:  carry cost h_c = late_fixed_c + 24 h × late_hourly_c  (t < T; a parcel
                    waits a day and arrives late), unserved penalty P_u on day T (still
                    waiting when the window ends: unserved)

On outage days (t ≤ D) the disruption applies: a closed hub or link takes every path through
it out (x_p ≤ 0); a reduced one keeps `capacity_share` s of its capacity C (row bound: σ V_k
≤ s C_k, σ f_l ≤ s C_l); a closed mode on a corridor set takes those corridors' paths with a
line-haul leg of that mode out. The same stack without the outage is the baseline, so every
figure is the outage's own:

    extra_cost = cost(outage window) − cost(baseline window), CNY over the T days
    unserved   = Σ_c u_{c,T} − baseline, parcels still waiting after the recovery days
    backlog    = Σ_{t<T} Σ_c u_{c,t} − baseline, parcel-days of waiting (each late by a day)
    late       = Σ_t late_t − baseline, parcels routed later than their standard
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.config.schema import DisruptionConfig, SolverConfig
from netdesign.errors import InputError, Problem
from netdesign.optimise.extract import extract_path_design
from netdesign.optimise.handoff import solve_standard_form
from netdesign.optimise.linear import StandardForm
from netdesign.optimise.resolve import Resolver, family_rows
from netdesign.optimise.stack import Stack

HOURS_PER_DAY = 24.0


def _path_cols(r: Resolver, d: DisruptionConfig) -> np.ndarray:
    """Path columns an outage closes (x_p ≤ 0)."""
    data, s, paths = r.data, r.ctx.sets, r.ctx.paths
    close = np.zeros(paths.n, bool)
    if d.capacity_share == 0:
        hubs = [data.hub_ids.index(h) for h in d.hubs]
        close[s.hub_path[np.isin(s.hub_hub, hubs)]] = True
        links = [data.link_ids.index(lk) for lk in d.links]
        close[s.leg_path[np.isin(s.leg_link, links)]] = True
    if d.mode is not None:
        mode = data.modes.index(d.mode)
        corr = np.ones(data.n_corridors, bool) if "*" in d.corridors else \
            np.isin(np.arange(data.n_corridors), [data.corr_ids.index(c) for c in d.corridors])
        leg = (data.link_mode[s.leg_link] == mode) & data.link_is_lh[s.leg_link]
        leg &= corr[paths.corridor[s.leg_path]]
        close[s.leg_path[leg]] = True
    return r.model.x.start + np.flatnonzero(close)


def _reduce_rows(r: Resolver, d: DisruptionConfig, row_upper: np.ndarray) -> None:
    """capacity_share s of hubs and links: row bound K − (1 − s) C (module docstring)."""
    if d.capacity_share == 0:
        return
    m, data, sf, rows = r.model, r.data, r.sf, family_rows(r.model)
    keep = 1.0 - d.capacity_share
    if d.hubs and "hub_capacity" in rows:
        o, b = rows["hub_capacity"]
        n = np.zeros(data.n_hubs)
        n[m.hub_modules.ids] = sf.col_lower[m.hub_modules.columns]
        y = (~data.hub_optional).astype(float)
        y[m.hub_open.ids] = sf.col_lower[m.hub_open.columns]
        cap = r.ctx.layout.hub_eff_cap * y + data.hub_module * n
        for h in d.hubs:
            k = data.hub_ids.index(h)
            pos = np.flatnonzero(b.index.ids == k)
            row_upper[o + pos] -= keep * cap[k]
    if d.links and "link_capacity" in rows:
        o, b = rows["link_capacity"]
        mm = np.zeros(data.n_links)
        mm[m.link_modules.ids] = sf.col_lower[m.link_modules.columns]
        cap = data.link_cap + data.link_module * mm
        for lk in d.links:
            i = data.link_ids.index(lk)
            pos = np.flatnonzero(b.index.ids == i)
            row_upper[o + pos] -= keep * cap[i]


def _day_form(r: Resolver, d: DisruptionConfig | None, last: bool) -> StandardForm:
    """One day's copy: the outage applied (if `d`), the unserved cost a day's carry cost
    unless it is the window's last day."""
    sf = r.sf
    c, col_upper, row_upper = sf.c.copy(), sf.col_upper.copy(), sf.row_upper.copy()
    if d is not None:
        col_upper[_path_cols(r, d)] = 0.0
        _reduce_rows(r, d, row_upper)
    if not last:
        data = r.data
        u = r.model.unserved
        carry = data.corr_late_fixed + HOURS_PER_DAY * data.corr_late_hourly
        c[u.columns] = carry[u.ids]
    return dataclasses.replace(sf, c=c, col_upper=col_upper, row_upper=row_upper)


@dataclasses.dataclass
class Window:
    """A solved outage window: per-day cost (CNY), unserved u_t and late parcels by corridor."""

    status: str
    cost: np.ndarray            # by day, CNY
    waiting: np.ndarray         # day × corridor, parcels carried to the next day (u_t)
    late: np.ndarray            # day × corridor, parcels/day routed late
    hub_throughput: np.ndarray  # day × hub, parcels/day


def solve_window(r: Resolver, d: DisruptionConfig | None, days: int, recovery: int,
                 solver: SolverConfig) -> Window:
    """Stack `days` outage days (none if `d` is None) and `recovery` normal days, backlog
    carried; solve; read each day."""
    T = days + recovery
    forms = [_day_form(r, d if t < days else None, t == T - 1) for t in range(T)]
    st = Stack(forms, [f"day{t + 1}" for t in range(T)])
    u = r.model.unserved
    pos = u.index.locate(r.demand_corr)  # the unserved column of each demand row's corridor
    has = pos >= 0
    for t in range(1, T):
        st.add_coefficients(t, r.demand_rows[has], st.columns(t - 1, u.start + pos[has]),
                            -1.0)
    # T copies: T times the single model's time limit
    out, _ = solve_standard_form(st.form(), solver.model_copy(
        update={"time_limit_s": float(solver.time_limit_s) * T}))
    nc, nh = r.data.n_corridors, r.data.n_hubs
    if out.values is None:
        nan = np.full((T, nc), np.nan)
        return Window(out.status, np.full(T, np.nan), nan, nan.copy(), np.full((T, nh), np.nan))
    parts, _ = st.split(out.values)
    base = r.mean_demand
    cost, waiting, late, thr = [], [], [], []
    prev = np.zeros(nc)
    for t, v in enumerate(parts):
        cost.append(float(forms[t].c @ v))
        r.data.demand = base + prev  # what this day's demand row holds
        des = extract_path_design(r.model, r.ctx, v, None)
        w = des.unserved.to_numpy(float)
        waiting.append(w)
        late.append(des.late.to_numpy(float))
        thr.append(des.hubs["throughput_parcels_per_day"].to_numpy(float))
        prev = w
    r.data.demand = base.copy()
    return Window(out.status, np.array(cost), np.array(waiting), np.array(late),
                  np.array(thr))


def baseline_window(r: Resolver, T: int, solver: SolverConfig) -> Window:
    """The window without an outage. When the design serves its average day in full, every
    day is that day (nothing waits: waiting only adds cost), so one solve gives all T;
    otherwise the T-day stack is solved like an outage window."""
    day = r.solve(r.mean_demand)
    if day.report.status == "optimal" and float(day.unserved.sum()) <= 1e-6:
        nc = r.data.n_corridors
        cost = float(day.report.objective)
        return Window("optimal", np.full(T, cost), np.zeros((T, nc)),
                      np.tile(day.late.to_numpy(float), (T, 1)),
                      np.tile(day.hubs["throughput_parcels_per_day"].to_numpy(float), (T, 1)))
    return solve_window(r, None, T, 0, solver)


def check_disruptions(cfg, names: Sequence[str] | None) -> list[str]:
    """The disruptions to run: `names` (each must be in the config), default all."""
    known = list(cfg.disruptions)
    if not names:
        if not known:
            raise InputError([Problem("study config", "disruptions", "disruptions", None,
                                      "at least one named disruption")], "cannot stress")
        return known
    bad = [Problem("command line", "--disruptions", "disruption", n,
                   f"a disruption of the config ({', '.join(known) or 'none defined'})")
           for n in names if n not in known]
    if bad:
        raise InputError(bad, "cannot stress")
    return list(names)


def stress_design(design, names: Sequence[str] | None = None) -> xr.Dataset:
    """Every disruption `names` (default: all of the config) through `design` (a
    `SolvedDesign`); the `disruption` dataset of results.nc (module docstring)."""
    cfg = design.study.cfg
    names = check_disruptions(cfg, names)
    solver = cfg.solver.model_copy(update={"threads": 1})
    net = design.study.network
    r = Resolver(net, design.scenario, design.capacity, solver)
    base_cache: dict[tuple[int, int], Window] = {}
    rows = []
    T_max = max(cfg.disruptions[n].days + cfg.disruptions[n].recovery_days for n in names)
    nc, nh = r.data.n_corridors, r.data.n_hubs
    day_cost = np.full((len(names), T_max), np.nan)
    day_wait = np.full((len(names), T_max), np.nan)
    corr_wait = np.zeros((len(names), nc))
    hub_min = np.zeros((len(names), nh))
    for i, name in enumerate(names):
        d = cfg.disruptions[name]
        T = d.days + d.recovery_days
        key = (d.days, d.recovery_days)
        if key not in base_cache:
            base_cache[key] = baseline_window(r, d.days + d.recovery_days, solver)
        b = base_cache[key]
        w = solve_window(r, d, d.days, d.recovery_days, solver)
        rows.append({
            "disruption": name, "status": w.status, "days": d.days,
            "recovery_days": d.recovery_days, "capacity_share": d.capacity_share,
            "description": d.description,
            "cost": w.cost.sum(), "baseline_cost": b.cost.sum(),
            "extra_cost": w.cost.sum() - b.cost.sum(),
            "unserved": w.waiting[-1].sum() - b.waiting[-1].sum(),
            "backlog": w.waiting[:-1].sum() - b.waiting[:-1].sum(),
            "late": w.late.sum() - b.late.sum(),
            "peak_backlog": float(w.waiting.sum(axis=1).max()),
        })
        day_cost[i, :T] = w.cost - b.cost
        day_wait[i, :T] = w.waiting.sum(axis=1) - b.waiting.sum(axis=1)
        corr_wait[i] = w.waiting.sum(axis=0) - b.waiting.sum(axis=0)
        hub_min[i] = w.hub_throughput[:d.days].mean(axis=0) - b.hub_throughput[:d.days].mean(
            axis=0)
    return _dataset(pd.DataFrame(rows).set_index("disruption"), day_cost, day_wait,
                    corr_wait, hub_min, net, design)


def _dataset(table: pd.DataFrame, day_cost, day_wait, corr_wait, hub_change, net,
             design) -> xr.Dataset:
    D = ("disruption",)
    ds = xr.Dataset(
        {
            "stress_status": (D, table["status"].to_numpy(str)),
            "stress_description": (D, table["description"].to_numpy(str)),
            "stress_days": (D, table["days"].to_numpy(int)),
            "stress_recovery_days": (D, table["recovery_days"].to_numpy(int)),
            "stress_capacity_share": (D, table["capacity_share"].to_numpy(float)),
            "stress_cost": (D, table["cost"].to_numpy(float)),
            "stress_baseline_cost": (D, table["baseline_cost"].to_numpy(float)),
            "stress_extra_cost": (D, table["extra_cost"].to_numpy(float)),
            "stress_unserved": (D, table["unserved"].to_numpy(float)),
            "stress_backlog": (D, table["backlog"].to_numpy(float)),
            "stress_late": (D, table["late"].to_numpy(float)),
            "stress_peak_backlog": (D, table["peak_backlog"].to_numpy(float)),
            "stress_day_extra_cost": (("disruption", "day"), day_cost),
            "stress_day_backlog": (("disruption", "day"), day_wait),
            "stress_corridor_backlog": (("disruption", "corridor"), corr_wait),
            "stress_hub_throughput_change": (("disruption", "hub"), hub_change),
        },
        coords={"disruption": list(table.index), "day": np.arange(1, day_cost.shape[1] + 1),
                "corridor": net.corridors.index.to_numpy(str),
                "hub": net.hubs.index.to_numpy(str)})
    return ds.assign_coords(design=design.scenario.name)


def stress_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per disruption: days, extra cost (CNY over the window and per outage day),
    unserved, backlog parcel-days, late parcels (summary.csv of `netdesign stress`)."""
    t = pd.DataFrame({
        "days": ds["stress_days"].values, "capacity_share": ds["stress_capacity_share"].values,
        "status": ds["stress_status"].values.astype(str),
        "extra_cost_cny": ds["stress_extra_cost"].values,
        "extra_cost_cny_per_outage_day": ds["stress_extra_cost"].values / ds["stress_days"].values,
        "unserved_parcels": ds["stress_unserved"].values,
        "backlog_parcel_days": ds["stress_backlog"].values,
        "late_parcels": ds["stress_late"].values,
        "peak_backlog_parcels": ds["stress_peak_backlog"].values,
    }, index=pd.Index(ds["disruption"].values.astype(str), name="disruption"))
    return t


def run_stress(results_dir, out_dir, names: Sequence[str] | None = None,
               scenario: str | None = None, config=None,
               capacity: str = "physical") -> tuple[xr.Dataset, pd.DataFrame]:
    """`netdesign stress`: check the arguments (nothing written on a problem), stress the
    design, write OUT/results.nc (dimension `disruption`) and OUT/summary.csv.

    The disruptions are those of the config stored in the results, or of `config` (a study
    config file, loaded and checked against its data: e.g. disruptions added after the run)."""
    from pathlib import Path

    from netdesign.errors import raise_if_errors
    from netdesign.evaluate.design import load_design
    from netdesign.evaluate.runner import write_results_nc
    from netdesign.results import schema
    from netdesign.results.io import check_out_dir, write_frame_atomic
    from netdesign.results.provenance import provenance_attrs

    raise_if_errors(check_out_dir(out_dir), "cannot stress")
    other = None
    if config is not None:
        from netdesign.pipeline import load_study

        other = load_study(config).cfg  # validated, ids checked against the data
        check_disruptions(other, names)
    design = load_design(results_dir, scenario, correlation=1.0, capacity=capacity)
    if other is not None:
        design.study = dataclasses.replace(design.study, cfg=design.study.cfg.model_copy(
            update={"disruptions": other.disruptions}))
    check_disruptions(design.study.cfg, names)
    ds = stress_design(design, names)
    ds.attrs.update(provenance_attrs(design.study))
    ds.attrs["evaluated_design"] = design.scenario.name
    ds = schema.annotate(ds)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_results_nc(ds, out)
    table = stress_table(ds)
    write_frame_atomic(table.reset_index(), out / "summary.csv")
    return ds, table
