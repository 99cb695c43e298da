"""Benchmark the network-design model: build / hand-off / HiGHS solve vs a highspy floor.

    python scripts/bench_model.py synthetic --size medium [--repeat 3] [--gap 0.01]
    python scripts/bench_model.py ap NODES FCOST CAP [--gap 1e-6]

synthetic: the product path (paths -> index sets -> constraint families (`LinearModel`) ->
standard form -> passModel -> run) against the *same* model (same candidate paths, same rows)
assembled directly as numpy arrays in one function and passed to highspy -- the floor.
Same HiGHS options. Prints one JSON line per run (medians over --repeat) with seconds per
stage; --memory adds a separate pass measuring peak Python memory with tracemalloc (not timed:
tracing slows Python down ~3x).

ap: the product (`design_network` via scripts/ap_benchmark.py, hub-flow formulation) against a
lean Ernst-Krishnamoorthy formulation written directly in highspy arrays (below, benchmark-only
code: z_kk doubles as the hub-open variable).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synthetic import synthetic_network  # noqa: E402

from netdesign.config.schema import SolverConfig  # noqa: E402
from netdesign.optimise.handoff import StandardForm, run_highs, to_highs  # noqa: E402
from netdesign.optimise.layout import Layout, build_layout  # noqa: E402
from netdesign.optimise.model import build_path_model  # noqa: E402
from netdesign.optimise.model_data import ModelData, build_model_data  # noqa: E402
from netdesign.optimise.paths import PathSet, generate_paths  # noqa: E402

INF = highspy.kHighsInf


# ---------------------------------------------------------------- floor: same model, numpy
def direct_arrays(d: ModelData, p: PathSet, lay: Layout) -> StandardForm:
    """The path model's matrix built with numpy only (multiple allocation, no CO2 cap or
    mode-share rows: what the synthetic benchmark uses)."""
    assert d.allocation == "multiple" and d.co2_cap is None and not d.mode_share_bounds
    P = p.n
    col_lb, col_ub, cost, integ = [], [], [], []
    n = 0

    def block(k: int, lb, ub, c, is_int) -> np.ndarray:
        nonlocal n
        col_lb.append(np.broadcast_to(np.asarray(lb, float), (k,)))
        col_ub.append(np.broadcast_to(np.asarray(ub, float), (k,)))
        cost.append(np.broadcast_to(np.asarray(c, float), (k,)))
        integ.append(np.full(k, is_int, dtype=np.int64))
        idx = np.arange(n, n + k)
        n += k
        return idx

    xcol = block(P, 0.0, INF, p.cost, 0)
    served = lay.served
    ucol_of = np.full(d.n_corridors, -1)
    if d.allow_unserved:
        ucol_of[served] = block(len(served), 0.0, INF, d.unserved_penalty, 0)
    fcol_of = np.full(d.n_links, -1)
    fcol_of[lay.flow_links] = block(len(lay.flow_links), 0.0, INF, 0.0, 0)
    mlcol_of = np.full(d.n_links, -1)
    mlcol_of[lay.link_mod] = block(len(lay.link_mod), 0.0,
                                   np.where(np.isfinite(lay.link_mod_ub), lay.link_mod_ub, INF),
                                   d.link_module_cost[lay.link_mod], 1)
    wcol_of = np.full(d.n_links, -1)
    wcol_of[lay.freq_links] = block(len(lay.freq_links), 0.0, 1.0, 0.0, 1)
    mhcol_of = np.full(d.n_hubs, -1)
    mhcol_of[lay.hub_mod] = block(len(lay.hub_mod), 0.0, lay.hub_mod_ub,
                                  d.hub_module_cost[lay.hub_mod], 1)
    ycol_of = np.full(d.n_hubs, -1)
    ycol_of[lay.opt_hubs] = block(len(lay.opt_hubs), 0.0, 1.0, d.hub_fixed_cost[lay.opt_hubs], 1)

    R, C, V, lo, up = [], [], [], [], []
    nrow = 0

    def rows(r_local, cols, vals, lower, upper) -> None:
        nonlocal nrow
        R.append(np.asarray(r_local) + nrow)
        C.append(np.asarray(cols))
        V.append(np.asarray(vals, float))
        lo.append(np.asarray(lower, float))
        up.append(np.asarray(upper, float))
        nrow += len(lower)

    # demand
    rpos = np.full(d.n_corridors, -1)
    rpos[served] = np.arange(len(served))
    r = rpos[p.corridor]
    ok = r >= 0
    rr, cc, vv = [r[ok]], [xcol[ok]], [np.ones(int(ok.sum()))]
    if d.allow_unserved:
        rr.append(np.arange(len(served)))
        cc.append(ucol_of[served])
        vv.append(np.ones(len(served)))
    rows(np.concatenate(rr), np.concatenate(cc), np.concatenate(vv), d.demand[served],
         d.demand[served])
    # link flow definitions
    leg_path = p.path_of_leg()
    fl = lay.flow_links
    fpos_all = np.full(d.n_links, -1)
    fpos_all[fl] = np.arange(len(fl))
    r = fpos_all[p.leg_link]
    ok = r >= 0
    rows(np.concatenate([r[ok], np.arange(len(fl))]),
         np.concatenate([xcol[leg_path[ok]], fcol_of[fl]]),
         np.concatenate([np.ones(int(ok.sum())), -np.ones(len(fl))]),
         np.zeros(len(fl)), np.zeros(len(fl)))
    # link capacity
    lr = lay.link_rows
    k = np.arange(len(lr))
    has_m = mlcol_of[lr] >= 0
    rows(np.concatenate([k, k[has_m]]), np.concatenate([fcol_of[lr], mlcol_of[lr][has_m]]),
         np.concatenate([np.ones(len(lr)), -d.link_module[lr][has_m]]),
         np.full(len(lr), -INF), d.link_cap[lr])
    # minimum frequency
    if len(lay.freq_links):
        f = lay.freq_links
        k = np.arange(len(f))
        rows(np.concatenate([k, k]), np.concatenate([mlcol_of[f], wcol_of[f]]),
             np.concatenate([np.ones(len(f)), -lay.freq_need]), np.zeros(len(f)),
             np.full(len(f), INF))
        rows(np.concatenate([k, k]), np.concatenate([fcol_of[f], wcol_of[f]]),
             np.concatenate([np.ones(len(f)), -lay.link_demand[f]]),
             np.full(len(f), -INF), np.zeros(len(f)))
    # hub capacity
    hr = lay.hub_rows
    hpos = np.full(d.n_hubs, -1)
    hpos[hr] = np.arange(len(hr))
    has_m = mhcol_of[hr] >= 0
    has_y = ycol_of[hr] >= 0
    rhs = np.where(has_y, 0.0, lay.hub_eff_cap[hr])
    rows(np.concatenate([hpos[lay.row_path_hub], hpos[lay.row_link_hub],
                         np.flatnonzero(has_m), np.flatnonzero(has_y)]),
         np.concatenate([xcol[lay.row_path], fcol_of[lay.row_link], mhcol_of[hr][has_m],
                         ycol_of[hr][has_y]]),
         np.concatenate([np.ones(len(lay.row_path) + len(lay.row_link)),
                         -d.hub_module[hr][has_m], -lay.hub_eff_cap[hr][has_y]]),
         np.full(len(hr), -INF), rhs)
    # paths through optional hubs need them open
    if len(lay.opt_hubs):
        hp = p.path_of_hub()
        sel = ycol_of[p.hub_idx] >= 0
        key = p.corridor[hp[sel]] * d.n_hubs + p.hub_idx[sel]
        uk, inv = np.unique(key, return_inverse=True)
        c_of, k_of = np.divmod(uk, d.n_hubs)
        m = len(uk)
        rows(np.concatenate([inv, np.arange(m)]),
             np.concatenate([xcol[hp[sel]], ycol_of[k_of]]),
             np.concatenate([np.ones(int(sel.sum())), -d.demand[c_of]]),
             np.full(m, -INF), np.zeros(m))
        mh_open = lay.hub_mod[ycol_of[lay.hub_mod] >= 0]
        if len(mh_open):
            ub = dict(zip(lay.hub_mod.tolist(), lay.hub_mod_ub.tolist(), strict=True))
            k = np.arange(len(mh_open))
            rows(np.concatenate([k, k]), np.concatenate([mhcol_of[mh_open], ycol_of[mh_open]]),
                 np.concatenate([np.ones(len(k)), -np.array([ub[h] for h in mh_open])]),
                 np.full(len(k), -INF), np.zeros(len(k)))
    A = sp.csr_matrix((np.concatenate(V), (np.concatenate(R), np.concatenate(C))),
                      shape=(nrow, n))
    A.eliminate_zeros()  # as Pyomo does: then both matrices are identical
    return StandardForm(c=np.concatenate(cost), offset=0.0, A=A, row_lower=np.concatenate(lo),
                        row_upper=np.concatenate(up), col_lower=np.concatenate(col_lb),
                        col_upper=np.concatenate(col_ub), integrality=np.concatenate(integ))


def run_synthetic(size: str, solver: SolverConfig, seed: int, memory: bool = False,
                  floor_first: bool = False) -> dict:
    """One timed run of both builds (tracemalloc only when `memory`: it slows Python ~3x).

    `floor_first` solves the floor before the product (alternated over repeats, so that
    neither route always runs on a warmer or cooler machine).
    """
    net, sc = synthetic_network(size, seed)
    out: dict = {"size": size}
    if memory:
        tracemalloc.start()
    t0 = time.perf_counter()
    data = build_model_data(net, sc)
    paths = generate_paths(data)
    lay = build_layout(data, paths)
    t1 = time.perf_counter()
    model, _ctx = build_path_model(data, paths, lay)
    t2 = time.perf_counter()
    sf = model.compile()
    h = to_highs(sf, solver)
    t3 = time.perf_counter()
    if memory:
        out["product_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        del model, sf, h
        tracemalloc.start()
        df = direct_arrays(data, paths, lay)
        hd = to_highs(df, solver)
        out["direct_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        return out
    t4 = time.perf_counter()
    df = direct_arrays(data, paths, lay)
    t5 = time.perf_counter()
    hd = to_highs(df, solver)
    t6 = time.perf_counter()
    if floor_first:
        resd, res = run_highs(hd, True), run_highs(h, True)
    else:
        res, resd = run_highs(h, True), run_highs(hd, True)
    out.update(paths_s=t1 - t0, build_s=t2 - t1, handoff_s=t3 - t2,
               solve_s=res.solve_s, objective=res.objective,
               cols=sf.A.shape[1], rows=sf.A.shape[0], nnz=int(sf.A.nnz),
               integers=sf.n_integers, n_paths=paths.n,
               direct_build_s=t5 - t4, direct_handoff_s=t6 - t5, direct_solve_s=resd.solve_s,
               direct_objective=resd.objective, direct_nnz=int(df.A.nnz),
               same_matrix=same_matrix(sf, df),
               # same work in HiGHS on both routes: branch-and-bound nodes, LP iterations
               nodes=int(h.getInfo().mip_node_count),
               direct_nodes=int(hd.getInfo().mip_node_count),
               lp_iterations=int(h.getInfo().simplex_iteration_count),
               direct_lp_iterations=int(hd.getInfo().simplex_iteration_count))
    return out


def same_matrix(a: StandardForm, b: StandardForm) -> bool:
    """Both routes hand HiGHS the same model: matrix, bounds, costs, integrality (bitwise)."""
    A, B = sp.csc_array(a.A), sp.csc_array(b.A)
    A.sort_indices()
    B.sort_indices()
    return (A.shape == B.shape and np.array_equal(A.indptr, B.indptr)
            and np.array_equal(A.indices, B.indices) and np.array_equal(A.data, B.data)
            and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in
                    ("c", "row_lower", "row_upper", "col_lower", "col_upper"))
            and np.array_equal(a.integrality, b.integrality))


def summarise(runs: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]
           if isinstance(runs[0][k], float)}
    out = {**runs[0], **med, "repeat": len(runs),
           "same_matrix": all(r["same_matrix"] for r in runs)}
    # path generation is the same data preparation for both and counted in both totals
    py_total = out["paths_s"] + out["build_s"] + out["handoff_s"] + out["solve_s"]
    floor = (out["paths_s"] + out["direct_build_s"] + out["direct_handoff_s"]
             + out["direct_solve_s"])
    out["total_s"] = py_total
    out["direct_total_s"] = floor
    out["overhead_share"] = (out["build_s"] + out["handoff_s"]) / py_total
    out["overhead_share_incl_paths"] = (out["paths_s"] + out["build_s"]
                                        + out["handoff_s"]) / py_total
    out["ratio_to_floor"] = py_total / floor
    # the same matrix goes to HiGHS on both routes (checked: same_matrix), so a difference
    # in solve time is the machine's noise, not the model's: the pooled median of all 2 x
    # repeat solves stands for both, and the ratios below compare what the routes do differ in
    pooled = statistics.median([r[k] for r in runs for k in ("solve_s", "direct_solve_s")])
    same_total = out["paths_s"] + out["build_s"] + out["handoff_s"] + pooled
    out["solve_pooled_s"] = pooled
    out["overhead_share_pooled"] = (out["build_s"] + out["handoff_s"]) / same_total
    out["overhead_share_incl_paths_pooled"] = (out["paths_s"] + out["build_s"]
                                               + out["handoff_s"]) / same_total
    out["ratio_to_floor_pooled"] = same_total / (out["paths_s"] + out["direct_build_s"]
                                                 + out["direct_handoff_s"] + pooled)
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


# ---------------------------------------------------------------- lean E&K in highspy
def ek_arrays(nodes_file: Path, fcost_file: Path, cap_file: Path):
    """Ernst & Krishnamoorthy CSAHLP directly as arrays (benchmark floor): (sf, t0, n)."""
    from ap_benchmark import read_nodes_file, read_vector

    t0 = time.perf_counter()
    xy, W, (cc, ct, cd) = read_nodes_file(nodes_file)
    n = len(xy)
    F = read_vector(fcost_file, n)
    cap = read_vector(cap_file, n)
    dist = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) / 1000.0
    # O_i, D_i summed in the product's order (corridors row-major, bincount), so that both
    # matrices agree to the last bit and HiGHS takes the same search path
    oi, dj = np.nonzero(W > 0)
    O = np.bincount(oi, weights=W[oi, dj], minlength=n)  # noqa: E741 - the E&K paper's names
    D = np.bincount(dj, weights=W[oi, dj], minlength=n)
    # columns: z[i,k] (n*n, z[k,k] = hub open), f[i,k,l] k != l (n*n*(n-1))
    nz = n * n
    kk, ll = np.nonzero(~np.eye(n, dtype=bool))
    na = len(kk)
    cost = np.concatenate([(cc * dist * O[:, None] + cd * dist.T * D[:, None]).ravel(),
                           np.tile(ct * dist[kk, ll], n)])
    cost[np.arange(n) * n + np.arange(n)] += F
    R, C, V = [], [], []
    lo, up = [], []
    row = 0
    # sum_k z_ik = 1
    R.append(np.repeat(np.arange(n), n))
    C.append(np.arange(nz))
    V.append(np.ones(nz))
    lo.append(np.ones(n))
    up.append(np.ones(n))
    row += n
    # z_ik - z_kk <= 0 (i != k)
    i_, k_ = np.nonzero(~np.eye(n, dtype=bool))
    m = len(i_)
    R += [row + np.arange(m)] * 2
    C += [i_ * n + k_, k_ * n + k_]
    V += [np.ones(m), -np.ones(m)]
    lo.append(np.full(m, -INF))
    up.append(np.zeros(m))
    row += m
    # balance (i, k): O_i z_ik + sum_l f_ilk - sum_l f_ikl - sum_j W_ij z_jk = 0
    base = row + np.arange(n)[:, None] * n  # row of (i, k) = base[i] + k
    ii = np.arange(n)
    R.append((base + np.arange(n)[None, :]).ravel())
    C.append(np.arange(nz))
    V.append(np.repeat(O, n))
    fcol = nz + ii[:, None] * na + np.arange(na)[None, :]
    R.append((base + ll[None, :]).ravel())
    C.append(fcol.ravel())
    V.append(np.ones(n * na))
    R.append((base + kk[None, :]).ravel())
    C.append(fcol.ravel())
    V.append(-np.ones(n * na))
    I3, J3, K3 = np.ix_(np.arange(n), np.arange(n), np.arange(n))  # -W_ij z_jk in row (i, k)
    R.append(np.broadcast_to(row + I3 * n + K3, (n, n, n)).ravel())
    C.append(np.broadcast_to(J3 * n + K3, (n, n, n)).ravel())
    V.append(np.broadcast_to(-W[:, :, None], (n, n, n)).ravel())
    lo.append(np.zeros(n * n))
    up.append(np.zeros(n * n))
    row += n * n
    # capacity: sum_i O_i z_ik - cap_k z_kk <= 0
    R += [row + np.tile(np.arange(n), n), row + np.arange(n)]
    C += [np.arange(nz), np.arange(n) * n + np.arange(n)]
    V += [np.repeat(O, n), -cap]
    lo.append(np.full(n, -INF))
    up.append(np.zeros(n))
    row += n
    # cover: sum_k cap_k z_kk >= sum O
    R.append(np.full(n, row))
    C.append(np.arange(n) * n + np.arange(n))
    V.append(cap)
    lo.append(np.array([O.sum()]))
    up.append(np.array([INF]))
    row += 1
    ncol = nz + n * na
    A = sp.csr_matrix((np.concatenate(V), (np.concatenate(R), np.concatenate(C))),
                      shape=(row, ncol))
    A.eliminate_zeros()
    integ = np.concatenate([np.ones(nz, np.int64), np.zeros(n * na, np.int64)])
    sf = StandardForm(c=cost, offset=0.0, A=A, row_lower=np.concatenate(lo),
                      row_upper=np.concatenate(up), col_lower=np.zeros(ncol),
                      col_upper=np.concatenate([np.ones(nz), np.full(n * na, INF)]),
                      integrality=integ)
    return sf, t0, n


def ek_direct(nodes_file: Path, fcost_file: Path, cap_file: Path, gap: float,
              time_limit: float) -> dict:
    """Build (`ek_arrays`) and solve the lean E&K model; JSON-ready result."""
    sf, t0, n = ek_arrays(nodes_file, fcost_file, cap_file)
    row = sf.A.shape[0]
    ncol = sf.A.shape[1]
    t1 = time.perf_counter()
    h = to_highs(sf, SolverConfig(mip_rel_gap=gap, time_limit_s=time_limit))
    t2 = time.perf_counter()
    res = run_highs(h, True)
    hubs = []
    if res.values is not None:
        hubs = [k for k in range(n) if res.values[k * n + k] > 0.5]
    return {"objective": res.objective, "hubs": hubs, "status": res.status, "gap": res.mip_gap,
            "build_s": round(t1 - t0, 3), "handoff_s": round(t2 - t1, 3),
            "solve_s": round(res.solve_s, 3), "seconds": round(t2 - t0 + res.solve_s, 3),
            "rows": row, "cols": ncol}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="network-design model benchmark")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synthetic")
    s.add_argument("--size", default="medium", choices=("tiny", "small", "medium", "large"))
    s.add_argument("--repeat", type=int, default=1)
    s.add_argument("--gap", type=float, default=0.01)
    s.add_argument("--time-limit", type=float, default=600.0)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--memory", action="store_true",
                   help="extra pass measuring peak Python memory with tracemalloc")
    a = sub.add_parser("ap")
    a.add_argument("nodes_file", type=Path)
    a.add_argument("fcost_file", type=Path)
    a.add_argument("cap_file", type=Path)
    a.add_argument("--gap", type=float, default=1e-6)
    a.add_argument("--time-limit", type=float, default=3600.0)
    a.add_argument("--skip-product", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "synthetic":
        solver = SolverConfig(mip_rel_gap=args.gap, time_limit_s=args.time_limit, threads=1)
        runs = [run_synthetic(args.size, solver, args.seed, floor_first=bool(i % 2))
                for i in range(args.repeat)]
        out = summarise(runs)
        if args.memory:
            out.update({k: round(v, 1) for k, v in
                        run_synthetic(args.size, solver, args.seed, memory=True).items()
                        if k.endswith("_mb")})
        print(json.dumps(out))
        return 0
    from ap_benchmark import solve_ap

    out = {"instance": args.nodes_file.name + "/" + args.fcost_file.name + "/" +
           args.cap_file.name}
    out["direct"] = ek_direct(args.nodes_file, args.fcost_file, args.cap_file, args.gap,
                              args.time_limit)
    if not args.skip_product:
        out["product"] = solve_ap(args.nodes_file, args.fcost_file, args.cap_file,
                                  time_limit_s=args.time_limit, gap=args.gap)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
