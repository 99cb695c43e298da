"""The rural tier of one scenario (issue 15, "into villages"): routes, their weekly volumes and
what each rural mode may do on them, as plain tables (docs/model.md, "Rural tier").

Routes, per township t of county c with V_t > 0 administrative villages:

- ``t:trunk``   county hub -> township station, one route (N = 1), carrying the township's
  village parcels;
- ``t:village`` township station -> village service point: N = V_t identical routes, one per
  village (the model decides the departures/week of ONE of them; cost and volume count N).

Volumes (parcels/day in the design year, from the scenario's corridor demand):
    down_v = D_c^in  x s_c / V_c      parcels/day delivered to one village
    up_v   = D_c^out x s_c / V_c      parcels/day sent up from one village (farm produce)
    s_c    = a r_c / (1 − (1 − a) r_c)   the villages' part of the county's parcels
    cold_v = κ x up_v                 of which cold chain
D_c^in / D_c^out: demand of the corridors ending / starting at the county's node; r_c the
village residents' share of the county's population; a =
`rural.village_vs_town_parcels_per_resident` (parcels per village resident relative to a
town resident, an estimate: DATA_SOURCES.md); κ = `rural.produce_cold_chain_share`.
A trunk route carries V_t times a village's volumes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from netdesign.config.schema import RuralConfig

TIERS = ("trunk", "village")


@dataclass(frozen=True)
class RuralInput:
    """Plain tables of the rural tier for one scenario.

    routes: index route_id; county, township, tier ("trunk"/"village"), routes (N, identical
        routes the row stands for), km (one way), down, up, cold (parcels/day on ONE route),
        min_weekly, max_weekly (departures/week over all modes).
    modes: index mode; capacity, cold_capacity (parcels per departure each way).
    max_departures: routes x modes, departures/week a mode may make on one route (0 = not
        at all: the mode does not run on the tier, or no bus line).
    cost: routes x modes, CNY per departure (fixed + per km x 2 x km).
    counties: index county_node; name_en, name_zh, villages, rural_share (r_c, residents),
        parcel_share (s_c, parcels).
    """

    routes: pd.DataFrame
    modes: pd.DataFrame
    max_departures: pd.DataFrame
    cost: pd.DataFrame
    counties: pd.DataFrame
    fix_exact: bool = True  # the model solves the block by enumeration first (optimise/rural)


def county_demand(corridors: pd.DataFrame, demand: pd.Series, node: str) -> tuple[float, float]:
    """(parcels/day into, out of) the county node in the scenario's demand."""
    d = demand.reindex(corridors.index).fillna(0.0)
    return (float(d[(corridors["destination"] == node).to_numpy()].sum()),
            float(d[(corridors["origin"] == node).to_numpy()].sum()))


def rural_input(cfg: RuralConfig, tables: dict[str, pd.DataFrame], corridors: pd.DataFrame,
                demand: pd.Series) -> RuralInput:
    """The scenario's rural routes from the rural tables and its corridor demand."""
    counties, towns = tables["counties"], tables["townships"]
    towns = towns[towns["villages"] > 0]
    r = 1.0 - counties["urban_population"] / counties["population"]
    a = cfg.village_vs_town_parcels_per_resident
    share = a * r / (1.0 - (1.0 - a) * r)
    per_village = {}
    for node, row in counties.iterrows():
        d_in, d_out = county_demand(corridors, demand, str(node))
        v = float(row["villages"])
        per_village[node] = (d_in * share[node] / v, d_out * share[node] / v)
    rows = []
    for tid, t in towns.iterrows():
        down, up = per_village[t["county_node"]]
        n = float(t["villages"])
        min_w = cfg.min_weekly_frequency if pd.isna(t.get("min_weekly_frequency", np.nan)) \
            else int(t["min_weekly_frequency"])
        for tier, routes, km, scale in (("trunk", 1.0, t["trunk_km"], n),
                                        ("village", n, t["village_km"], 1.0)):
            rows.append({"route_id": f"{tid}:{tier}", "county": t["county_node"],
                         "township": tid, "tier": tier, "routes": routes, "km": float(km),
                         "down": down * scale, "up": up * scale,
                         "cold": cfg.produce_cold_chain_share * up * scale,
                         "min_weekly": float(min_w),
                         "max_weekly": float(max(cfg.max_weekly_frequency, min_w)),
                         "bus_runs": t.get("bus_runs_per_week", np.nan)})
    routes = pd.DataFrame(rows).set_index("route_id")
    names = list(cfg.modes)
    modes = pd.DataFrame({"capacity": [m.capacity_per_departure for m in cfg.modes.values()],
                          "cold_capacity": [m.cold_chain_capacity_per_departure
                                            for m in cfg.modes.values()]},
                         index=pd.Index(names, name="rural_mode"))
    max_dep = pd.DataFrame(0.0, index=routes.index, columns=names)
    cost = pd.DataFrame(0.0, index=routes.index, columns=names)
    for name, m in cfg.modes.items():
        on_tier = routes["tier"].isin(m.tiers).to_numpy()
        cap = np.full(len(routes), float(m.max_departures_per_week))
        if m.timetable:
            runs = pd.to_numeric(routes["bus_runs"], errors="coerce").to_numpy(float)
            cap = np.where(np.isnan(runs), cap, np.minimum(cap, runs))
        max_dep[name] = np.where(on_tier, cap, 0.0)
        cost[name] = m.cost_cny_per_departure + m.cost_cny_per_km * 2.0 * routes["km"]
    out_counties = counties[["name_en", "name_zh", "villages"]].assign(rural_share=r,
                                                                      parcel_share=share)
    return RuralInput(routes.drop(columns="bus_runs"), modes, max_dep, cost, out_counties)
