"""The rural tier's results of one scenario (issue 15, "into villages"): departures per route
and mode, village coverage, cost per village and per parcel, rural vs urban on-time share per
county (results.nc variables listed in `results.schema`, "rural").

Definitions (docs/model.md, "Rural tier"):
- a village is served ≥ F/week when its village route AND its township's trunk route each
  have at least F departures a week (F = `rural.min_weekly_frequency`, the pilot's 3);
  `village_coverage` = served villages / villages of the county;
- `rural_cost` = Σ_r N_r Σ_m c_rm d_rm / 7 over the county's routes (CNY/day);
  per village: × days_per_year / villages (CNY/year); per parcel: / (parcels to and from its
  villages per day);
- `rural_on_time_share`: a village parcel is on time when its corridor is on time to the
  county node and the village leg leaves within a day of its arrival; with f evenly spaced
  departures a week (f = the smaller of the village and trunk routes') that is min(1, f/7) of
  the parcels [an estimate of the wait, not a timetable]; weighted by parcels to villages;
- `urban_on_time_share`: on-time share of the corridors into the study city's urban
  districts (nodes of kind ``district``), the yardstick of urban–rural equality.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netdesign.data.network import Network


def rural_variables(network: Network, scenario: Any, design: Any, demand: pd.Series,
                    late: pd.Series, unserved: pd.Series, has_solution: bool
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data variables, coordinates) of the rural tier for one scenario ({} without one)."""
    rural = getattr(scenario, "rural", None)
    if rural is None:
        return {}, {}
    routes, counties = rural.routes, rural.counties
    modes = list(rural.modes.index)
    dep = design.extra.get("rural_departures") if has_solution else None
    if dep is None:
        dep = pd.DataFrame(np.nan, index=routes.index, columns=modes)
    dep = dep.reindex(index=routes.index, columns=modes)
    total = dep.sum(axis=1, min_count=1).to_numpy(float)
    n = routes["routes"].to_numpy(float)
    village = (routes["tier"] == "village").to_numpy()
    trunk_of = dict(zip(routes.loc[~village, "township"], total[~village], strict=True))
    trunk_dep = np.array([trunk_of.get(t, np.nan) for t in routes["township"]])
    f_served = np.fmin(total, trunk_dep)  # both legs of a village's service
    f_min = routes["min_weekly"].to_numpy(float)
    cost_day = n * np.nansum(rural.cost.reindex(index=routes.index, columns=modes).to_numpy()
                             * dep.to_numpy(float), axis=1) / 7.0
    cost_day = np.where(np.isnan(total), np.nan, cost_day)

    ok = _on_time_by_node(network, demand, late, unserved)
    urban_nodes = network.nodes.index[network.nodes["kind"].astype(str) == "district"]
    urban = _share(network, demand, late, unserved, set(map(str, urban_nodes)))
    names = list(counties.index)
    cov, cost, per_village, per_parcel, parcels, on_time = ([] for _ in range(6))
    for c in names:
        v = village & (routes["county"] == c).to_numpy()
        villages = n[v].sum()
        served = n[v][f_served[v] >= f_min[v] - 1e-9].sum()
        cov.append(served / villages if villages and has_solution else np.nan)
        cc = cost_day[(routes["county"] == c).to_numpy()].sum() if has_solution else np.nan
        flow = float((n[v] * (routes["down"].to_numpy() + routes["up"].to_numpy())[v]).sum())
        cost.append(cc)
        per_village.append(cc * scenario.days_per_year / villages if villages else np.nan)
        per_parcel.append(cc / flow if flow > 0 else np.nan)
        parcels.append(flow)
        down = n[v] * routes["down"].to_numpy()[v]
        wait_ok = np.minimum(1.0, f_served[v] / 7.0)
        on_time.append(float(ok.get(c, np.nan) * (down * wait_ok).sum() / down.sum())
                       if down.sum() > 0 and has_solution else np.nan)
    S = ("scenario",)
    data = {
        "rural_departures_per_week": ((*S, "route", "rural_mode"), dep.to_numpy(float)[None]),
        "village_coverage": ((*S, "county"), np.array([cov])),
        "rural_cost": ((*S, "county"), np.array([cost])),
        "rural_cost_per_village": ((*S, "county"), np.array([per_village])),
        "rural_cost_per_parcel": ((*S, "county"), np.array([per_parcel])),
        "rural_parcels": ((*S, "county"), np.array([parcels])),
        "rural_on_time_share": ((*S, "county"), np.array([on_time])),
        "urban_on_time_share": (S, [urban if has_solution else np.nan]),
    }
    coords = {
        "route": routes.index.to_numpy(str),
        "route_county": ("route", routes["county"].astype(str).to_numpy()),
        "route_township": ("route", routes["township"].astype(str).to_numpy()),
        "route_tier": ("route", routes["tier"].astype(str).to_numpy()),
        "route_villages": ("route", np.where(village, n, 0.0)),
        "route_min_weekly_frequency": ("route", f_min),
        "rural_mode": modes,
        "county": np.array(names, dtype=str),
        "county_name_en": ("county", counties["name_en"].astype(str).to_numpy()),
        "county_name_zh": ("county", counties["name_zh"].astype(str).to_numpy()),
        "county_villages": ("county", counties["villages"].to_numpy(float)),
    }
    return data, coords


def _on_time_by_node(network: Network, demand: pd.Series, late: pd.Series,
                     unserved: pd.Series) -> dict[str, float]:
    """On-time share of the corridors into each node (demand-weighted)."""
    dest = network.corridors["destination"].astype(str)
    d = demand.to_numpy(float)
    ok = np.clip(d - late.to_numpy(float) - unserved.to_numpy(float), 0.0, None)
    tot = pd.Series(d, index=dest.to_numpy()).groupby(level=0).sum()
    good = pd.Series(ok, index=dest.to_numpy()).groupby(level=0).sum()
    return (good / tot.where(tot > 0)).to_dict()


def _share(network: Network, demand: pd.Series, late: pd.Series, unserved: pd.Series,
           nodes: set[str]) -> float:
    mask = network.corridors["destination"].astype(str).isin(nodes).to_numpy()
    d = float(demand.to_numpy(float)[mask].sum())
    ok = float(np.clip(demand.to_numpy(float) - late.to_numpy(float)
                       - unserved.to_numpy(float), 0.0, None)[mask].sum())
    return ok / d if d > 0 else float("nan")
