"""Per-park figures of results.nc ("into factories", issue 15): the `park` dimension.

A park is a node of kind ``industrial_park`` that is an end of some corridor. A corridor
belongs to the park at its origin, else the park at its destination. A park's warehouse-and-
distribute centres (仓配一体) are the hubs whose collection links all come from industrial
parks, this park among them (in the default study: one optional hub beside each of six parks).

Variables (one scenario; `design_to_dataset` adds them):

- ``park_demand``  (scenario, park, segment) parcels/day: demand of the park's corridors;
- ``park_flow``    (scenario, park, mode) parcels/day: served by main line-haul mode;
- ``park_tonnes``  (scenario, park) t/day: demand x the segment's weight per parcel;
- ``park_tonne_km`` (scenario, park) t-km/day: line-haul tonne-km of the served flow;
- ``park_on_time_share`` (scenario, park) 1: share of demand on time (unserved counts late);
- ``park_cost``    (scenario, park) CNY/day: transport + handling + carbon of the park's
  flow (capacity costs are shared and not split by park);
- ``park_dc_capacity``, ``park_dc_throughput`` (scenario, park) reference parcels/day: the
  park's centres after expansion (0 = not opened; NaN = the park has no candidate centre).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netdesign.data.network import Network
from netdesign.data.schema import MODES

PARK_KIND = "industrial_park"


def _kind(network: Network) -> pd.Series:
    """Node kind by node id ("" for every node when the nodes table has no kind column)."""
    nodes = network.nodes
    kind = nodes["kind"] if "kind" in nodes.columns else pd.Series("", index=nodes.index)
    return pd.Series(kind.astype(str).to_numpy(), index=nodes.index.astype(str))


def park_of_corridor(network: Network) -> pd.Series:
    """The park each corridor belongs to (its origin, else its destination), "" for none."""
    corr = network.corridors
    parks = set(_kind(network).index[_kind(network) == PARK_KIND])
    o = corr["origin"].astype(str)
    d = corr["destination"].astype(str)
    return pd.Series(np.where(o.isin(parks), o, np.where(d.isin(parks), d, "")),
                     index=corr.index, name="park")


def park_ids(network: Network) -> list[str]:
    """Parks that are an end of some corridor, in the order of the nodes table."""
    used = set(park_of_corridor(network)) - {""}
    return [str(n) for n in network.nodes.index if str(n) in used]


def park_facilities(network: Network) -> dict[str, list[str]]:
    """park -> its warehouse-and-distribute centres: hubs whose collection links all come from
    industrial parks, this park among them."""
    links, kind = network.links, _kind(network)
    coll = links[links["role"].astype(str) == "collection"]
    out: dict[str, list[str]] = {}
    for hub, rows in coll.groupby(coll["to_node"].astype(str), sort=False):
        if hub not in network.hubs.index:
            continue
        tails = rows["from_node"].astype(str)
        if len(tails) and (kind.reindex(tails) == PARK_KIND).all():
            for park in dict.fromkeys(tails):
                out.setdefault(park, []).append(hub)
    return out


def park_variables(network: Network, design: Any, seg: pd.Series, seg_names: list[str],
                   weight_kg: np.ndarray, demand: pd.Series, flow: pd.DataFrame,
                   late: pd.Series, unserved: pd.Series) -> tuple[list[str], dict[str, Any]]:
    """(park ids, {name: (dims, array with a leading scenario axis of 1)}) for one design.

    seg: each corridor's segment; weight_kg: each corridor's parcel weight, kg; demand, flow,
    late, unserved: per corridor (as in `design_to_dataset`)."""
    parks = park_ids(network)
    P = ("scenario", "park")
    if not parks:
        return parks, {}
    owner = park_of_corridor(network).to_numpy(str)
    code = pd.Index(parks).get_indexer(owner)  # -1 = not a park corridor
    mine = code >= 0
    n = len(parks)

    def per_park(values: np.ndarray) -> np.ndarray:
        return np.bincount(code[mine], weights=np.nan_to_num(np.asarray(values, float)[mine]),
                           minlength=n)

    seg_code = pd.Index(seg_names).get_indexer(seg.to_numpy(str))
    dem = demand.to_numpy(float)
    by_seg = np.zeros((n, len(seg_names)))
    np.add.at(by_seg, (code[mine], seg_code[mine]), np.nan_to_num(dem[mine]))
    f = flow.to_numpy(float)
    by_mode = np.stack([per_park(f[:, k]) for k in range(len(MODES))], axis=1)
    d_park = per_park(dem)
    on_time = per_park(np.clip(dem - unserved.to_numpy(float) - late.to_numpy(float), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(d_park > 0, on_time / d_park, np.nan)
    extra = design.extra if isinstance(getattr(design, "extra", None), dict) else {}
    cost = extra.get("corridor_cost")
    cost = per_park(cost.reindex(demand.index, fill_value=0.0).to_numpy(float)) \
        if cost is not None else np.full(n, np.nan)
    cpk = extra.get("corridor_parcel_km")
    if cpk is not None:
        pkm = cpk.reindex(index=demand.index, columns=list(MODES), fill_value=0.0)
        tkm = per_park(pkm.to_numpy(float).sum(axis=1) * weight_kg / 1000.0)
    else:
        tkm = np.full(n, np.nan)
    hubs = design.hubs
    facilities = park_facilities(network)
    dc_cap = np.full(n, np.nan)
    dc_thr = np.full(n, np.nan)
    for i, park in enumerate(parks):
        ids = [h for h in facilities.get(park, []) if h in hubs.index]
        if ids:
            dc_cap[i] = float(hubs.loc[ids, "capacity_parcels_per_day"].astype(float).sum())
            dc_thr[i] = float(hubs.loc[ids, "throughput_parcels_per_day"].astype(float).sum())
    return parks, {
        "park_demand": ((*P, "segment"), by_seg[None]),
        "park_flow": ((*P, "mode"), by_mode[None]),
        "park_tonnes": (P, per_park(dem * weight_kg / 1000.0)[None]),
        "park_tonne_km": (P, tkm[None]),
        "park_on_time_share": (P, share[None]),
        "park_cost": (P, cost[None]),
        "park_dc_capacity": (P, dc_cap[None]),
        "park_dc_throughput": (P, dc_thr[None]),
    }
