"""Exact hub-flow aggregation of the path model for single allocation (Ernst & Krishnamoorthy).

With single allocation every corridor (i, j) leaves through the hub of i and arrives through
the hub of j, so when nothing else distinguishes destinations, the line-haul flows can be
aggregated by origin: f[i,k,l] = parcels/day originating at node i on hub arc k -> l.

    min  sum_{i,k} (c^col_{ik} O_i + c^dist_{ki} D_i) z_ik + sum_{i,k,l} c_kl f_ikl
         + sum_k F_k y_k + sum_k C_k n_k
    s.t. sum_k z_ik = 1                                          (every node, one hub)
         O_i z_ik + sum_l f_ilk - sum_l f_ikl = sum_j W_ij z_jk   (origin i, hub k; balance)
         z_ik <= y_k,  z_kk = y_k                                 (open hubs; self-allocation:
                                                                  z_kk is y_k at demand nodes)
         sum_i O_i z_ik <= K_k y_k + Q_k n_k                      (collected-volume capacity)
         sum_k K_k y_k >= sum_i O_i                               (valid inequality, cap only)

n^3 flow variables instead of the path model's n^4. `hubflow_applies` lists the conditions
under which it has the same optimum as the path model (docs/model.md, "exact aggregation").
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from netdesign.optimise.constraints import add_rows, gc_paused, lin
from netdesign.optimise.extract import empty_design, hub_table, link_table, var_values
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.solution import Design

TOL = 1e-9


def hubflow_applies(data: ModelData) -> bool:
    """True when the aggregation is exact for this data (else the path model is used).

    Single allocation; no unserved slack; no CO2 cap or mode-share bounds; no link capacity
    or frequency requirement on usable links; hub capacity on the collected basis (or no
    finite hub capacity); zero hub handling cost; at most one link per (from, to, role);
    line-haul links only between hubs, complete among them, with per-parcel cost
    (incl. carbon) satisfying the triangle inequality (so one line-haul leg is optimal for any
    max_linehaul_legs >= 1); every hub transfers every mode in use; and no path can be late.
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
    use = data.link_usable
    if np.isfinite(data.link_cap[use]).any() or (data.link_min_weekly[use] > 0).any():
        out.append("link capacities or frequencies")
    if data.hub_capacity_basis != "collected" and np.isfinite(
            np.minimum(data.hub_cap, data.hub_cap_cap)).any():
        out.append("hub capacity counts throughput")
    if (data.hub_handling_cost > 0).any():
        out.append("hub handling cost")
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
    c[hub_of[data.link_from[lh]], hub_of[data.link_to[lh]]] = _unit_cost(data, lh)
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


def _unit_cost(data: ModelData, links: np.ndarray) -> np.ndarray:
    """CNY/parcel of each link: transport + carbon."""
    return data.link_cost[links] + data.link_co2_t[links] * data.carbon_price


def build_hubflow(data: ModelData):
    """Build the aggregated model; returns a `Built` (see build.py)."""
    with gc_paused():
        return _build_hubflow(data)


def _build_hubflow(data: ModelData):
    from netdesign.optimise.build import Built

    H, N = data.n_hubs, len(data.node_ids)
    vol_out = np.bincount(data.corr_origin, weights=data.demand, minlength=N)
    vol_in = np.bincount(data.corr_dest, weights=data.demand, minlength=N)
    nodes = np.flatnonzero((vol_out > 0) | (vol_in > 0))
    use = np.flatnonzero(data.link_usable)
    col = {(int(data.link_from[lk]), int(data.node_hub[data.link_to[lk]])): int(lk)
           for lk in use if data.link_role[lk] == 0 and data.node_hub[data.link_to[lk]] >= 0}
    dist = {(int(data.node_hub[data.link_from[lk]]), int(data.link_to[lk])): int(lk)
            for lk in use if data.link_role[lk] == 2 and data.node_hub[data.link_from[lk]] >= 0}
    arcs = [(int(data.node_hub[data.link_from[lk]]), int(data.node_hub[data.link_to[lk]]), int(lk))
            for lk in use if data.link_role[lk] == 1]
    ucost = data.link_cost + data.link_co2_t * data.carbon_price

    # allocation candidates and their cost coefficients (CNY/day when z = 1)
    pairs, zcost = [], []
    for i in nodes:
        for k in range(H):
            own = data.hub_node[k] == i
            ok_o = vol_out[i] == 0 or own or (i, k) in col
            ok_d = vol_in[i] == 0 or own or (k, i) in dist
            if ok_o and ok_d:
                cc = 0.0 if own or vol_out[i] == 0 else ucost[col[(i, k)]] * vol_out[i]
                cd = 0.0 if own or vol_in[i] == 0 else ucost[dist[(k, i)]] * vol_in[i]
                pairs.append((int(i), k))
                zcost.append(cc + cd)

    m = pyo.ConcreteModel(name="netdesign_hubflow")
    m.alloc = pyo.Var(range(len(pairs)), domain=pyo.Binary)
    z = {p: m.alloc[n] for n, p in enumerate(pairs)}
    origins = [int(i) for i in nodes if vol_out[i] > 0]
    n_arcs = len(arcs)
    m.flow = pyo.Var(range(len(origins) * n_arcs), domain=pyo.NonNegativeReals)
    fl = [m.flow[n] for n in range(len(origins) * n_arcs)]
    used_hubs = sorted({k for _, k in pairs})
    opt = [k for k in used_hubs if data.hub_optional[k]]
    # an optional hub at a demand node opens exactly when its node is allocated to it
    # (z_kk = y_k), so z_kk *is* its open variable, as in the E&K paper; a separate binary
    # only for optional hubs that are not demand nodes
    own = {k: z[(int(data.hub_node[k]), k)] for k in opt if (int(data.hub_node[k]), k) in z}
    separate = [k for k in opt if k not in own]
    m.hub_open = pyo.Var([data.hub_ids[k] for k in separate], domain=pyo.Binary)
    y = {**own, **{k: m.hub_open[data.hub_ids[k]] for k in separate}}
    eff = np.minimum(data.hub_cap, data.hub_cap_cap)
    mod_hubs = [k for k in used_hubs if data.hub_module[k] > 0 and np.isfinite(data.hub_cap[k])]
    mod_ub = {}
    for k in mod_hubs:
        ub = np.ceil(max(0.0, vol_out.sum() - data.hub_cap[k]) / data.hub_module[k] - TOL)
        if np.isfinite(data.hub_cap_cap[k]):
            ub = min(ub, max(0.0, np.floor((data.hub_cap_cap[k] - data.hub_cap[k])
                                           / data.hub_module[k] + TOL)))
        if np.isfinite(data.hub_max_modules[k]):
            ub = min(ub, data.hub_max_modules[k])
        mod_ub[k] = float(ub)
    m.hub_modules = pyo.Var([data.hub_ids[k] for k in mod_hubs], domain=pyo.NonNegativeIntegers,
                            bounds=lambda _m, h: (0.0, mod_ub[data.hub_ids.index(h)]))
    nmod = {k: m.hub_modules[data.hub_ids[k]] for k in mod_hubs}

    by_node: dict[int, list[int]] = {}
    for i, k in pairs:
        by_node.setdefault(i, []).append(k)
    add_rows(m, "allocate_one", {data.node_ids[i]: lin([1.0] * len(ks), [z[(i, k)] for k in ks])
                                 == 1.0 for i, ks in by_node.items()}, "sum_k z_ik = 1")
    add_rows(m, "allocate_open", {(data.node_ids[i], data.hub_ids[k]): lin(
        [1.0, -1.0], [z[(i, k)], y[k]]) <= 0.0 for i, k in pairs if k in y and
        data.hub_node[k] != i}, "z_ik <= y_k")
    selfa = {data.node_ids[i]: lin([1.0], [z[(i, k)]]) == 1.0 for i, k in pairs
             if data.hub_node[k] == i and k not in y}  # hubs that always exist serve themselves
    add_rows(m, "allocate_self", selfa, "z_kk = 1 for hubs that always exist")

    # balance: O_i z_ik + sum_l f_ilk - sum_l f_ikl - sum_j W_ij z_jk = 0
    W: dict[int, dict[int, float]] = {}
    for c in np.flatnonzero(data.demand > 0):
        row = W.setdefault(int(data.corr_origin[c]), {})
        j = int(data.corr_dest[c])
        row[j] = row.get(j, 0.0) + float(data.demand[c])
    arc_in: dict[int, list[int]] = {}
    arc_out: dict[int, list[int]] = {}
    for a, (k, h2, _lk) in enumerate(arcs):
        arc_out.setdefault(k, []).append(a)
        arc_in.setdefault(h2, []).append(a)
    bal = {}
    for oi, i in enumerate(origins):
        base = oi * n_arcs
        for k in used_hubs:
            coefs, vs = [], []
            if (i, k) in z:
                coefs.append(vol_out[i])
                vs.append(z[(i, k)])
            for a in arc_in.get(k, ()):
                coefs.append(1.0)
                vs.append(fl[base + a])
            for a in arc_out.get(k, ()):
                coefs.append(-1.0)
                vs.append(fl[base + a])
            for j, w in W[i].items():
                if (j, k) in z:
                    coefs.append(-w)
                    vs.append(z[(j, k)])
            bal[(data.node_ids[i], data.hub_ids[k])] = lin(coefs, vs) == 0.0
    add_rows(m, "balance", bal, "O_i z_ik + sum_l f_ilk - sum_l f_ikl = sum_j W_ij z_jk")

    cap = {}
    for k in used_hubs:
        if not np.isfinite(eff[k]):
            continue
        coefs = [vol_out[i] for i, kk in pairs if kk == k]
        vs = [z[(i, kk)] for i, kk in pairs if kk == k]
        rhs = float(eff[k])
        if k in nmod:
            coefs.append(-float(data.hub_module[k]))
            vs.append(nmod[k])
        if k in y:
            coefs.append(-rhs)
            vs.append(y[k])
            rhs = 0.0
        cap[data.hub_ids[k]] = lin(coefs, vs) <= rhs
    add_rows(m, "hub_capacity", cap, "sum_i O_i z_ik <= K_k y_k + Q_k n_k")
    if cap and not nmod and all(np.isfinite(eff[k]) for k in used_hubs):
        fixed_cap = float(sum(eff[k] for k in used_hubs if k not in y))
        m.capacity_cover = pyo.Constraint(expr=lin([eff[k] for k in y], list(y.values()))
                                          >= float(vol_out.sum()) - fixed_cap)

    obj_c = list(zcost) + [ucost[lk] for _ in origins for (_, _, lk) in arcs]
    obj_v = [z[p] for p in pairs] + fl
    obj_c += [float(data.hub_fixed_cost[k]) for k in y] + [
        float(data.hub_module_cost[k]) for k in nmod]
    obj_v += list(y.values()) + list(nmod.values())
    m.total_cost = pyo.Objective(expr=lin(obj_c, obj_v), sense=pyo.minimize)

    def extract(sf, values, report) -> Design:
        get = var_values(sf.columns, values)
        zval = get([z[p] for p in pairs]) > 0.5
        fval = np.maximum(get(fl), 0.0).reshape(len(origins), n_arcs) if fl else \
            np.zeros((0, 0))
        hub_of_node = {pairs[n][0]: pairs[n][1] for n in np.flatnonzero(zval)}
        return _design(data, vol_out, vol_in, hub_of_node, fval, arcs, col, dist, y, get,
                       nmod, report)

    return Built(m, "hubflow", 0, extract, lambda report: empty_design(data, report))


def _design(data, vol_out, vol_in, hub_of_node, fval, arcs, col, dist, y, get, nmod,
            report) -> Design:
    """Design tables from allocations and aggregated arc flows."""
    import pandas as pd

    link_flow = np.zeros(data.n_links)
    for i, k in hub_of_node.items():
        if data.hub_node[k] != i:
            if vol_out[i] > 0:
                link_flow[col[(i, k)]] += vol_out[i]
            if vol_in[i] > 0:
                link_flow[dist[(k, i)]] += vol_in[i]
    arc_links = np.array([lk for _, _, lk in arcs], dtype=np.int64)
    if len(arc_links) and fval.size:
        np.add.at(link_flow, arc_links, fval.sum(axis=0))
    modules = np.zeros(data.n_hubs)
    for k, v in nmod.items():
        modules[k] = round(float(get([v])[0]))
    is_open = ~data.hub_optional.copy()
    for k, v in y.items():
        is_open[k] = get([v])[0] > 0.5
    throughput = np.zeros(data.n_hubs)
    for i, k in hub_of_node.items():
        throughput[k] += vol_out[i]

    flow = np.zeros((data.n_corridors, data.n_modes))
    arc_mode = {(k, h2): data.link_mode[lk] for k, h2, lk in arcs}
    for c in np.flatnonzero(data.demand > 0):
        o, d = int(data.corr_origin[c]), int(data.corr_dest[c])
        k, h2 = hub_of_node[o], hub_of_node[d]
        if k != h2:
            mode = arc_mode[(k, h2)]
        else:
            legs = [col[(o, k)]] if data.hub_node[k] != o else []
            legs += [dist[(k, d)]] if data.hub_node[k] != d else []
            mode = data.link_mode[max(legs, key=lambda lk: data.link_km[lk])] if legs else 0
        flow[c, mode] += data.demand[c]
    lh = data.link_role == 1
    pkm = np.bincount(data.link_mode[lh], weights=(link_flow * data.link_km)[lh],
                      minlength=data.n_modes)
    co2 = float(link_flow @ data.link_co2_t)
    costs = {
        "transport": float(link_flow @ data.link_cost),
        "handling": 0.0,
        "capacity": float(modules @ data.hub_module_cost
                          + data.hub_fixed_cost[data.hub_optional & is_open].sum()),
        "carbon": co2 * data.carbon_price,
        "late_penalty": 0.0,
        "unserved_penalty": 0.0,
    }
    costs["total"] = float(sum(costs.values()))
    idx = pd.Index(data.corr_ids, name="corridor_id")
    return Design(
        corridor_flow=pd.DataFrame(flow, index=idx, columns=list(data.modes)),
        unserved=pd.Series(0.0, index=idx, name="unserved_parcels_per_day"),
        late=pd.Series(0.0, index=idx, name="late_parcels_per_day"),
        links=link_table(data, link_flow, np.zeros(data.n_links)),
        hubs=hub_table(data, throughput, modules, is_open),
        parcel_km={m: float(v) for m, v in zip(data.modes, pkm, strict=True)},
        costs=costs, co2_t_per_day=co2, report=report,
    )
