"""Reference model: the lean Ernst & Krishnamoorthy (1999) CSAHLP formulation, written in Pyomo.

    python scripts/ek_reference.py NODES_FILE FCOST_FILE CAP_FILE [--gap G] [--time-limit S]
        [--save-lp FILE]

The benchmark the product's hub-flow model is measured against (issue 14, "Solve speed
first"; `scripts/bench_ap.py`). Notation of the paper: W_ij flow, O_i = Σ_j W_ij,
D_i = Σ_j W_ji, d_ik distance / 1000, χ = 3, α = 0.75, δ = 2 (collection, transfer,
distribution per unit distance), F_k fixed cost, Γ_k capacity.

    min  Σ_ik (χ d_ik O_i + δ d_ki D_i) z_ik + Σ_i Σ_{k≠l} α d_kl y_ikl + Σ_k F_k z_kk
    s.t. Σ_k z_ik = 1                                            i        (allocate)
         z_ik ≤ z_kk                                             i ≠ k    (link)
         Σ_l y_ikl − Σ_l y_ilk = O_i z_ik − Σ_j W_ij z_jk          i, k     (balance)
         Σ_i O_i z_ik ≤ Γ_k z_kk                                  k        (capacity)
         Σ_k Γ_k z_kk ≥ Σ_i O_i                                   (aggregate cut)
         z binary, y ≥ 0

Built with Pyomo (one rule per family, sparse y over k ≠ l), written as an LP file by Pyomo's
writer, read by `highspy.Highs.readModel` and solved with the product's HiGHS options
(`netdesign.config.schema.SolverConfig`: threads, random_seed, presolve, mip_rel_gap,
time_limit), so the solver, its version and its options are the product's. Prints one JSON
line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ap_benchmark import read_nodes_file, read_vector  # noqa: E402

from netdesign.config.schema import SolverConfig  # noqa: E402
from netdesign.optimise.handoff import new_highs, run_highs  # noqa: E402


def ek_pyomo(nodes_file: Path, fcost_file: Path, cap_file: Path) -> pyo.ConcreteModel:
    """The lean E&K CSAHLP model of one AP instance as a Pyomo ConcreteModel."""
    xy, W, (chi, alpha, delta) = read_nodes_file(nodes_file)
    n = len(xy)
    F = read_vector(fcost_file, n)
    cap = read_vector(cap_file, n)
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) / 1000.0
    O = W.sum(axis=1)  # noqa: E741 - the paper's names
    D = W.sum(axis=0)
    N = range(n)
    m = pyo.ConcreteModel(name="ek_csahlp")
    m.N = pyo.Set(initialize=N)
    m.A = pyo.Set(initialize=[(k, h) for k in N for h in N if k != h])
    m.z = pyo.Var(m.N, m.N, domain=pyo.Binary)
    m.y = pyo.Var(m.N, m.A, domain=pyo.NonNegativeReals)
    m.cost = pyo.Objective(expr=(
        pyo.quicksum((chi * d[i, k] * O[i] + delta * d[k, i] * D[i]) * m.z[i, k]
                     for i in N for k in N)
        + pyo.quicksum(alpha * d[k, h] * m.y[i, k, h] for i in N for (k, h) in m.A)
        + pyo.quicksum(F[k] * m.z[k, k] for k in N)), sense=pyo.minimize)
    m.allocate = pyo.Constraint(m.N, rule=lambda m, i: sum(m.z[i, k] for k in N) == 1)
    m.link = pyo.Constraint(
        m.A, rule=lambda m, i, k: m.z[i, k] <= m.z[k, k])
    m.balance = pyo.Constraint(m.N, m.N, rule=lambda m, i, k: (
        sum(m.y[i, k, h] for h in N if h != k) - sum(m.y[i, h, k] for h in N if h != k)
        == O[i] * m.z[i, k] - sum(W[i, j] * m.z[j, k] for j in N if W[i, j] != 0)))
    m.capacity = pyo.Constraint(m.N, rule=lambda m, k: (
        sum(O[i] * m.z[i, k] for i in N) <= cap[k] * m.z[k, k]))
    m.aggregate_cut = pyo.Constraint(expr=sum(cap[k] * m.z[k, k] for k in N) >= O.sum())
    return m


def ek_highs(nodes_file: Path, fcost_file: Path, cap_file: Path, solver: SolverConfig,
             lp_path: Path | None = None):
    """Build in Pyomo, write the LP file, read it into a fresh `Highs` with the product's
    options. Returns (highs, build seconds, LP write + read seconds, n nodes)."""
    t0 = time.perf_counter()
    m = ek_pyomo(nodes_file, fcost_file, cap_file)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(lp_path) if lp_path is not None else Path(tmp) / "ek.lp"
        m.write(str(path), io_options={"symbolic_solver_labels": True})
        h = new_highs()
        h.readModel(str(path))
    h.setOptionValue("time_limit", float(solver.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(solver.mip_rel_gap))
    h.setOptionValue("threads", int(solver.threads))
    h.setOptionValue("random_seed", int(solver.seed))
    h.setOptionValue("presolve", solver.presolve)
    return h, t1 - t0, time.perf_counter() - t1, len(m.N)


def open_hubs(h, values, n: int) -> list[int]:
    """Hubs k with z_kk = 1 (by the LP file's column names, z(k_k))."""
    names = {name: j for j, name in enumerate(h.getLp().col_names_)}
    return [k for k in range(n) if values[names[f"z({k}_{k})"]] > 0.5]


def solve_ek(nodes_file: Path, fcost_file: Path, cap_file: Path, gap: float = 1e-6,
             time_limit: float = 3600.0, lp_path: Path | None = None, seed: int = 0) -> dict:
    """Build, hand over and solve one instance; the JSON-ready result dict."""
    solver = SolverConfig(mip_rel_gap=gap, time_limit_s=time_limit, threads=1, seed=seed)
    h, build_s, handoff_s, n = ek_highs(nodes_file, fcost_file, cap_file, solver, lp_path)
    res = run_highs(h, True)
    info = h.getInfo()
    hubs = open_hubs(h, res.values, n) if res.values is not None else []
    return {"objective": res.objective, "hubs": hubs, "status": res.status, "gap": res.mip_gap,
            "build_s": round(build_s, 3), "handoff_s": round(handoff_s, 3),
            "solve_s": round(res.solve_s, 3),
            "seconds": round(build_s + handoff_s + res.solve_s, 3),
            "nodes": int(info.mip_node_count), "lp_iterations": int(info.simplex_iteration_count),
            "rows": int(h.getNumRow()), "cols": int(h.getNumCol())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nodes_file", type=Path)
    ap.add_argument("fcost_file", type=Path)
    ap.add_argument("cap_file", type=Path)
    ap.add_argument("--gap", type=float, default=1e-6)
    ap.add_argument("--time-limit", type=float, default=3600.0)
    ap.add_argument("--seed", type=int, default=0, help="HiGHS random_seed")
    ap.add_argument("--save-lp", type=Path, default=None)
    a = ap.parse_args(argv)
    out = solve_ek(a.nodes_file, a.fcost_file, a.cap_file, a.gap, a.time_limit, a.save_lp,
                   a.seed)
    print(json.dumps(out))
    return 0 if out["status"] == "optimal" else 1


if __name__ == "__main__":
    sys.exit(main())
