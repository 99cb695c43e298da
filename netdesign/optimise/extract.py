"""Turn solver values into the `Design` tables (path-based formulation)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netdesign.optimise.constraints import Ctx
from netdesign.optimise.linear import LinearModel
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.solution import Design


def _round_int(v: np.ndarray) -> np.ndarray:
    return np.round(v).astype(float)


def link_table(data: ModelData, flow: np.ndarray, modules: np.ndarray) -> pd.DataFrame:
    """links table: flow and capacity after expansion (reference parcels/day), modules added,
    departures/week = D_l (K_l/Q_l + m_l), D_l the departures/week of one module (7 = daily)."""
    cap = data.link_cap + data.link_module * modules
    dpm = data.link_departures_per_module if len(data.link_departures_per_module) \
        else np.full(data.n_links, 7.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dep = np.where(data.link_module > 0, dpm * (data.link_cap / data.link_module + modules),
                       np.nan)
    return pd.DataFrame({"flow_parcels_per_day": flow, "modules_added": modules,
                         "capacity_parcels_per_day": cap, "departures_per_week": dep},
                        index=pd.Index(data.link_ids, name="link_id"))


def hub_table(data: ModelData, throughput: np.ndarray, modules: np.ndarray,
              is_open: np.ndarray) -> pd.DataFrame:
    """hubs table: throughput (capacity basis), modules, capacity after expansion, open."""
    existing = np.minimum(data.hub_cap, data.hub_cap_cap)
    cap = np.where(is_open, existing + data.hub_module * modules, 0.0)
    return pd.DataFrame({"throughput_parcels_per_day": throughput, "modules_added": modules,
                         "capacity_parcels_per_day": cap,
                         "existing_capacity_parcels_per_day": data.hub_cap,
                         "is_open": is_open.astype(bool)},
                        index=pd.Index(data.hub_ids, name="hub_id"))


def extract_path_design(m: LinearModel, ctx: Ctx, values: np.ndarray, report) -> Design:
    """Design of the path formulation from the solver's column values."""
    d, paths, lay = ctx.data, ctx.paths, ctx.layout
    x = m.x.values(values).copy()
    x[x < 1e-7] = 0.0  # solver noise
    n_c = d.n_corridors
    flow = np.zeros((n_c, d.n_modes))
    np.add.at(flow, (paths.corridor, paths.main_mode), x)
    served = flow.sum(axis=1)
    unserved = np.maximum(d.demand - served, 0.0)
    unserved[np.abs(unserved) < 1e-7] = 0.0
    late = np.bincount(paths.corridor, weights=x * paths.late, minlength=n_c)

    leg_path = paths.path_of_leg()
    x_ref = x * paths.pe  # reference parcels/day (what link and hub capacity count)
    link_flow = np.bincount(paths.leg_link, weights=x_ref[leg_path], minlength=d.n_links)
    link_mods = np.zeros(d.n_links)
    link_mods[m.link_modules.ids] = _round_int(m.link_modules.values(values))
    hub_mods = np.zeros(d.n_hubs)
    hub_mods[m.hub_modules.ids] = _round_int(m.hub_modules.values(values))
    is_open = ~d.hub_optional.copy()
    is_open[m.hub_open.ids] = m.hub_open.values(values) > 0.5
    throughput = np.bincount(lay.hub_hub_of, weights=x_ref[lay.hub_path_of],
                             minlength=d.n_hubs)

    pkm = paths.lh_pkm.T @ x if paths.n else np.zeros(d.n_modes)
    corridor_pkm = np.zeros((n_c, d.n_modes))
    np.add.at(corridor_pkm, paths.corridor, paths.lh_pkm * x[:, None])
    capacity_cost = float(link_mods @ d.link_module_cost + hub_mods @ d.hub_module_cost
                          + d.hub_fixed_cost[d.hub_optional & is_open].sum())
    u_cost = float(d.unserved_penalty * unserved.sum())
    rural = rural_departures(m, d, values)
    rural_cost = rural_cost_per_day(d, rural)
    costs = {
        "transport": float(x @ paths.transport) + rural_cost,
        "handling": float(x @ paths.handling),
        "capacity": capacity_cost,
        "carbon": float(x @ paths.carbon),
        "late_penalty": float(x @ paths.late_penalty),
        "unserved_penalty": u_cost,
    }
    costs["total"] = float(sum(costs.values()))
    idx = pd.Index(d.corr_ids, name="corridor_id")
    # economic variable cost of each corridor's flow, CNY/day (capacity costs are shared)
    corridor_cost = np.bincount(paths.corridor, minlength=n_c,
                                weights=x * (paths.transport + paths.handling + paths.carbon))
    return Design(
        corridor_flow=pd.DataFrame(flow, index=idx, columns=list(d.modes)),
        unserved=pd.Series(unserved, index=idx, name="unserved_parcels_per_day"),
        late=pd.Series(late, index=idx, name="late_parcels_per_day"),
        links=link_table(d, link_flow, link_mods),
        hubs=hub_table(d, throughput, hub_mods, is_open),
        parcel_km={m: float(v) for m, v in zip(d.modes, pkm, strict=False)},
        costs=costs,
        co2_t_per_day=float(x @ paths.co2_t),
        report=report,
        extra={"corridor_parcel_km": pd.DataFrame(corridor_pkm, index=idx,
                                                  columns=list(d.modes)),
               "corridor_cost": pd.Series(corridor_cost, index=idx,
                                          name="variable_cost_cny_per_day"),
               **({} if rural is None else {"rural_departures": rural,
                                            "rural_cost_cny_per_day": rural_cost})},
    )


def rural_departures(m: LinearModel, d: ModelData, values: np.ndarray) -> pd.DataFrame | None:
    """Departures/week of each rural mode on ONE route of each rural route row (routes x
    modes; 0 where the mode does not run), or None without a rural tier."""
    rd = d.rural
    if rd is None:
        return None
    out = np.zeros((len(rd.route_ids), len(rd.mode_ids)))
    v = m.rural_departures
    r, k = v.index.keys
    out[r, k] = _round_int(v.values(values))
    return pd.DataFrame(out, index=pd.Index(rd.route_ids, name="route"),
                        columns=pd.Index(rd.mode_ids, name="rural_mode"))


def rural_cost_per_day(d: ModelData, departures: pd.DataFrame | None) -> float:
    """CNY/day of the rural tier: Σ_r N_r Σ_m c_rm d_rm / 7 (0 without one)."""
    if departures is None:
        return 0.0
    rd = d.rural
    return float((rd.n_routes[:, None] * rd.cost * departures.to_numpy()).sum() / 7.0)


def empty_design(data: ModelData, report) -> Design:
    """The Design of a solve without a solution: NaN flows and costs, the report filled."""
    idx = pd.Index(data.corr_ids, name="corridor_id")
    nan_c = np.full(data.n_corridors, np.nan)
    return Design(
        corridor_flow=pd.DataFrame(np.nan, index=idx, columns=list(data.modes)),
        unserved=pd.Series(nan_c, index=idx, name="unserved_parcels_per_day"),
        late=pd.Series(nan_c.copy(), index=idx, name="late_parcels_per_day"),
        links=link_table(data, np.full(data.n_links, np.nan), np.full(data.n_links, np.nan)),
        hubs=hub_table(data, np.full(data.n_hubs, np.nan), np.full(data.n_hubs, np.nan),
                       ~data.hub_optional),
        parcel_km={m: float("nan") for m in data.modes},
        costs={k: float("nan") for k in ("transport", "handling", "capacity", "carbon",
                                          "late_penalty", "unserved_penalty", "total")},
        co2_t_per_day=float("nan"),
        report=report,
    )
