"""When the exact hub-flow aggregation applies (Ernst & Krishnamoorthy); the model itself is in
`hubflow_model.py`.

With single allocation every corridor (i, j) leaves through the hub of i and arrives through
the hub of j, so when nothing else distinguishes destinations, the line-haul flows can be
aggregated by origin: f[i,k,l] = share of the O_i parcels/day originating at node i that
travel on hub arc k -> l (O_i f_ikl parcels/day; E&K's flow divided by O_i, docs/model.md).

    min  sum_{i,k} (c^col_{ik} O_i + c^dist_{ki} D_i) z_ik + sum_{i,k,l} c_kl O_i f_ikl
         + sum_k F_k y_k + sum_k C_k n_k
    s.t. sum_k z_ik = 1                                          (every node, one hub)
         z_ik + sum_l f_ilk - sum_l f_ikl = sum_j (W_ij/O_i) z_jk (origin i, hub k; balance)
         z_ik <= y_k,  z_kk = y_k                                 (open hubs; self-allocation:
                                                                  z_kk is y_k at demand nodes)
         sum_i O_i z_ik <= K_k y_k + Q_k n_k                      (collected-volume capacity)
         sum_k K_k y_k >= sum_i O_i                               (valid inequality, cap only)

n^3 flow variables instead of the path model's n^4. `hubflow_applies` lists the conditions
under which it has the same optimum as the path model (docs/model.md, "exact aggregation").
"""

from __future__ import annotations

import numpy as np

from netdesign.optimise.model_data import ModelData


def hubflow_applies(data: ModelData) -> bool:
    """True when the aggregation is exact for this data (else the path model is used).

    Single allocation; no unserved slack; no CO2 cap or mode-share bounds; no link capacity
    or frequency requirement on usable links; hub capacity on the collected basis (or no
    finite hub capacity); zero hub handling cost; at most one link per (from, to, role);
    line-haul links only between hubs, complete among them, with per-parcel cost
    (incl. carbon) satisfying the triangle inequality (so one line-haul leg is optimal for any
    max_linehaul_legs >= 1); every hub transfers every mode in use; no path can be late;
    no on-time floor; every segment of the reference weight and allowed every mode.
    """
    return not hubflow_blockers(data)


def hubflow_blockers(data: ModelData) -> list[str]:
    """Reasons the aggregation does not apply (empty list = it applies)."""
    out = []
    if data.allocation != "single":
        out.append("allocation is not single")
    if data.allow_unserved:
        out.append("unserved slack allowed")
    if data.co2_cap is not None or data.mode_share_bounds:
        out.append("CO2 cap or mode-share bounds")
    if data.design_scale != 1.0:
        out.append("design day differs from the average day (peak factor or utilisation cap)")
    use = data.link_usable
    if np.isfinite(data.link_cap[use]).any() or (data.link_min_weekly[use] > 0).any():
        out.append("link capacities or frequencies")
    if data.hub_capacity_basis != "collected" and np.isfinite(
            np.minimum(data.hub_cap, data.hub_cap_cap)).any():
        out.append("hub capacity counts throughput")
    if (data.hub_handling_cost > 0).any():
        out.append("hub handling cost")
    if not data.expansion:
        out.append("expansion switched off")
    if data.on_time_floor:
        out.append("on-time floors")
    if data.rural is not None:
        out.append("rural tier (built in the path model only)")
    if len(data.corr_pe) and (np.abs(data.corr_pe - 1.0) > 1e-12).any():
        out.append("segments heavier or lighter than the reference parcel")
    if len(data.corr_modes_ok) and not data.corr_modes_ok.all():
        out.append("segments restricted to some modes")
    if out:
        return out
    lk = np.flatnonzero(use)
    key = np.stack([data.link_from[lk], data.link_to[lk], data.link_role[lk]], 1)
    if len(np.unique(key, axis=0)) != len(lk):
        out.append("parallel links")
    hub_of = data.node_hub
    lh = lk[data.link_role[lk] == 1]
    if (hub_of[data.link_from[lh]] < 0).any() or (hub_of[data.link_to[lh]] < 0).any():
        out.append("line-haul links to non-hub nodes")
    modes = set(data.link_mode[lk].tolist())
    if len(modes) > 1 and any(not modes <= t for t in data.hub_transfer):
        out.append("restricted mode transfers")
    if out:
        return out
    H = data.n_hubs
    c = np.full((H, H), np.inf)
    c[hub_of[data.link_from[lh]], hub_of[data.link_to[lh]]] = unit_cost(data, lh)
    np.fill_diagonal(c, 0.0)
    if not np.isfinite(c).all():
        out.append("line-haul links not complete among hubs")
    elif H and (c[:, None, :] > c[:, :, None] + c[None, :, :] + 1e-9).any():
        # c[k, h2] > c[k, m] + c[m, h2] for some m
        out.append("line-haul costs violate the triangle inequality")
    t_bound = (data.collection_h + _max(data.link_transit_h[lk[data.link_role[lk] != 1]]) * 2
               + max(H, 1) * (_max(data.link_transit_h[lh]) + _max(data.hub_handling_h)
                              + _max(data.hub_customs_h)))
    served = data.demand > 0
    if served.any() and t_bound > data.corr_standard_h[served].min() + 1e-9:
        out.append("service standards may bind")
    return out


def _max(a: np.ndarray) -> float:
    return float(a.max()) if len(a) else 0.0


def unit_cost(data: ModelData, links: np.ndarray) -> np.ndarray:
    """CNY/parcel of each link: transport + carbon."""
    return data.link_cost[links] + data.link_co2_t[links] * data.carbon_price
