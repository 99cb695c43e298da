"""`Design`: the optimised network for one scenario, as plain tables (the model's output contract).

All flows are parcels/day in the design year; costs CNY/day; CO2 t/day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Design:
    """Result of one network-design solve.

    corridor_flow: index corridor_id, one column per mode (road, rail, water, air): parcels/day
        of the corridor whose *main* mode (the mode of the path's longest line-haul leg, by km)
        is that mode. Row sums + `unserved` = demand.
    unserved:      parcels/day left unserved, indexed by corridor_id.
    late:          parcels/day delivered later than the corridor's service standard.
    links:         index link_id; columns flow_parcels_per_day, modules_added,
                   capacity_parcels_per_day (existing + added), departures_per_week.
    hubs:          index hub_id; columns throughput_parcels_per_day, modules_added,
                   capacity_parcels_per_day (after expansion; 0 for a closed optional hub),
                   existing_capacity_parcels_per_day, is_open.
    parcel_km:     mode -> line-haul parcel-km/day (mode_share = parcel_km / sum).
    costs:         CNY/day by component: transport, handling, capacity, carbon, late_penalty,
                   unserved_penalty, total (= objective).
    co2_t_per_day: total CO2 of all legs, t/day.
    report:        the solver report (status, incumbent, bound, gap, timings, sizes, versions).
    extra:         optional per-corridor tables of the path formulation: "corridor_parcel_km"
                   (corridor x mode, line-haul parcel-km/day) and "corridor_cost" (transport +
                   handling + carbon of the corridor's flow, CNY/day).
    """

    corridor_flow: pd.DataFrame
    unserved: pd.Series
    late: pd.Series
    links: pd.DataFrame
    hubs: pd.DataFrame
    parcel_km: dict[str, float]
    costs: dict[str, float]
    co2_t_per_day: float
    report: Any
    extra: dict[str, Any] = field(default_factory=dict)
