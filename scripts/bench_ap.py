"""AP CSAHLP: the product's hub-flow model against the lean E&K reference, side by side.

    python scripts/bench_ap.py [--quick] [--instances 25LL 25LT ...] [--seeds 0 1 2]
        [--gap 1e-6] [--time-limit S] [--compare]

For every instance and HiGHS random seed, both models are solved in the same process, one
after the other (the order alternates), with the same HiGHS and the same options (1 thread,
`mip_rel_gap`, presolve "choose", `random_seed` = the seed):

* product: `ap_benchmark.ap_network` -> `build_model_data` -> `build` (hub-flow) ->
  `LinearModel.compile` -> `to_highs` (passModel) -> `run_highs`, i.e. `design_network`'s route;
* reference: `ek_reference.ek_pyomo` (Pyomo) -> LP file -> `Highs.readModel` -> run.

Each solve is checked against the published optimum and hub set (`PUBLISHED`). A repeat with
the same seed repeats HiGHS' search exactly (same nodes, same LP iterations) and only measures
the machine; different seeds sample HiGHS' performance variability, which on these instances
is larger than any difference between the two matrices (docs/benchmarks.md). Printed: one JSON
line per solve, then a table of medians over the seeds and the solve-time ratios
product / reference; the median of the per-instance ratios is the headline figure.

`--compare` writes both models as LP files (Pyomo's writer, readable names) and compares them
entry by entry after mapping names (alloc(N003_N007) = z(3_7), flow(N003_l7_9) = y(3_7_9),
allocate_one = allocate, allocate_open = link, hub_capacity = capacity, capacity_cover =
aggregate_cut): column and row order, integrality, bounds, objective, coefficients, row signs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ap_benchmark import ap_network  # noqa: E402
from ek_reference import ek_highs, open_hubs  # noqa: E402

from netdesign.config.schema import SolverConfig  # noqa: E402
from netdesign.optimise.build import build  # noqa: E402
from netdesign.optimise.handoff import new_highs, run_highs, to_highs  # noqa: E402
from netdesign.optimise.model_data import build_model_data  # noqa: E402


def find_ap_dir() -> Path:
    """The AP data: $NETDESIGN_AP_DIR, else shared/data/hub-location/AP beside the checkout or
    beside one of its parent folders (../shared in a checkout, ../../shared in a worktree)."""
    if os.environ.get("NETDESIGN_AP_DIR"):
        return Path(os.environ["NETDESIGN_AP_DIR"])
    for parent in Path(__file__).resolve().parents[1].parents:
        d = parent / "shared" / "data" / "hub-location" / "AP"
        if d.is_dir():
            return d
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "hub-location" / "AP"


AP = find_ap_dir()

PUBLISHED = {
    # instance: (optimal objective, optimal hubs 0-based). Ernst & Krishnamoorthy (1999),
    # "Solution algorithms for the capacitated single allocation hub location problem",
    # Annals of OR 86:141-159, table of the AP CSAHLP instances; the 10/20-node values and the
    # 25LL/25TT hub sets as in tests/test_ap_benchmark.py and docs/benchmarks.md. None: the hub
    # set is not checked (only the objective).
    "10LL": (224_250.05, [2, 3, 6]),
    "10LT": (250_992.26, [0, 3, 4, 9]),
    "10TL": (263_399.94, [3, 4, 9]),
    "10TT": (263_399.94, [3, 4, 9]),
    "20LL": (234_690.96, [6, 13]),
    "20LT": (253_517.40, [9, 13]),
    "20TL": (271_128.18, [6, 18]),
    "20TT": (296_035.40, [0, 9, 18]),
    "25LL": (238_977.95, [7, 17]),
    "25LT": (276_372.50, None),
    "25TL": (310_317.64, None),
    "25TT": (348_369.15, [8, 15, 24]),
}
FULL = ["25LL", "25LT", "25TL", "25TT"]
QUICK = ["10LL", "10LT", "10TL", "10TT", "20LL", "20TL"]


def files(name: str, root: Path = AP) -> tuple[Path, Path, Path]:
    """(nodes, fixed cost, capacity) files of instance "NNXY"."""
    n, x, y = name[:2], name[2], name[3]
    return root / f"{n}.3", root / f"Fcost{x}.{n}", root / f"Cap{y}.{n}"


def product_highs(name: str, solver: SolverConfig):
    """The product's route up to a loaded `Highs`: (highs, built, build s, hand-off s)."""
    t0 = time.perf_counter()
    net, scen = ap_network(*files(name))
    built = build(build_model_data(net, scen), "auto")
    t1 = time.perf_counter()
    sf = built.model.compile()
    h = to_highs(sf, solver)
    return h, built, t1 - t0, time.perf_counter() - t1


def product_hubs(built, values: np.ndarray) -> list[int]:
    m = built.model
    zi, zk = m.alloc.index.keys
    on = (m.alloc.values(values) > 0.5) & (zi == m.alloc.index.keys[1])
    hubs = sorted(int(k) for k in zk[on])
    if "hub_open" in m.vars and len(m.hub_open):
        hubs += [int(k) for k in m.hub_open.ids[m.hub_open.values(values) > 0.5]]
    return sorted(hubs)


def run_one(model: str, name: str, solver: SolverConfig) -> dict:
    """Build, hand over and solve one model of one instance; timings, work, check."""
    if model == "product":
        h, built, build_s, handoff_s = product_highs(name, solver)
        formulation = built.formulation
    else:
        h, build_s, handoff_s, n = ek_highs(*files(name), solver)
        formulation = "ek_reference"
    out = run_highs(h, True)
    info = h.getInfo()
    if out.values is None:
        hubs = []
    elif model == "product":
        hubs = product_hubs(built, out.values)
    else:
        hubs = open_hubs(h, out.values, n)
    pub_obj, pub_hubs = PUBLISHED[name]
    ok = (out.status == "optimal" and out.objective is not None
          and abs(out.objective - pub_obj) <= 0.006 + 1e-8 * pub_obj
          and (pub_hubs is None or hubs == pub_hubs))
    return {"instance": name, "model": model, "seed": solver.seed, "formulation": formulation,
            "status": out.status, "objective": out.objective, "hubs": hubs,
            "matches_published": bool(ok), "gap": out.mip_gap,
            "build_s": round(build_s, 3), "handoff_s": round(handoff_s, 3),
            "solve_s": round(out.solve_s, 3),
            "total_s": round(build_s + handoff_s + out.solve_s, 3),
            "nodes": int(info.mip_node_count), "lp_iterations": int(info.simplex_iteration_count),
            "rows": int(h.getNumRow()), "cols": int(h.getNumCol()),
            "load": round(os.getloadavg()[0], 1)}


def summarise(runs: list[dict]) -> list[dict]:
    """Medians over the seeds, per instance and model, and the product / reference ratios."""
    rows = []
    for name in dict.fromkeys(r["instance"] for r in runs):
        row = {"instance": name}
        for model in ("product", "reference"):
            rs = [r for r in runs if r["instance"] == name and r["model"] == model]
            for key in ("total_s", "solve_s", "nodes", "lp_iterations"):
                row[f"{model}_{key}"] = statistics.median(r[key] for r in rs)
            row[f"{model}_ok"] = all(r["matches_published"] for r in rs)
        row["ratio_total"] = row["product_total_s"] / row["reference_total_s"]
        row["ratio_solve"] = row["product_solve_s"] / row["reference_solve_s"]
        pairs = [(p["solve_s"], q["solve_s"]) for p in runs for q in runs
                 if p["instance"] == q["instance"] == name and p["seed"] == q["seed"]
                 and p["model"] == "product" and q["model"] == "reference"]
        row["seed_ratios"] = [round(a / b, 2) for a, b in pairs]
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    head = ("| instance | product total / solve (s) | reference total / solve (s) | "
            "nodes (product / reference) | ratio total | ratio solve | per-seed solve ratios |"
            " optimum ok |\n|---|---|---|---|---|---|---|---|")
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['instance']} | {r['product_total_s']:.1f} / {r['product_solve_s']:.1f} | "
            f"{r['reference_total_s']:.1f} / {r['reference_solve_s']:.1f} | "
            f"{r['product_nodes']:.0f} / {r['reference_nodes']:.0f} | "
            f"{r['ratio_total']:.2f} | {r['ratio_solve']:.2f} | "
            f"{', '.join(map(str, r['seed_ratios']))} | "
            f"{'yes' if r['product_ok'] and r['reference_ok'] else 'NO'} |")
    lines.append(f"\nmedian ratio over instances: total "
                 f"{statistics.median(r['ratio_total'] for r in rows):.2f}, solve "
                 f"{statistics.median(r['ratio_solve'] for r in rows):.2f}")
    return "\n".join(lines)


# ------------------------------------------------------------------ LP file comparison
def _canon_col(name: str) -> tuple:
    for pat, tag in ((r"alloc\(N(\d+)_N(\d+)\)", "z"), (r"z\((\d+)_(\d+)\)", "z"),
                     (r"flow\(N(\d+)_l(\d+)_(\d+)\)", "y"), (r"y\((\d+)_(\d+)_(\d+)\)", "y")):
        m = re.fullmatch(pat, name)
        if m:
            return (tag, *map(int, m.groups()))
    return (name,)


_FAMILY = {"allocate_one": "allocate", "allocate_open": "link", "hub_capacity": "capacity",
           "capacity_cover": "aggregate_cut"}


def _canon_row(name: str) -> tuple:
    name = re.sub(r"^c_[elu]_", "", name).rstrip("_")
    m = re.fullmatch(r"(\w+?)\((.*)\)", name)
    fam, keys = (m[1], tuple(int(x) for x in re.findall(r"\d+", m[2]))) if m else (name, ())
    return (_FAMILY.get(fam, fam), *keys)


def _read_lp(path: Path):
    h = new_highs()
    h.readModel(str(path))
    lp = h.getLp()
    cols = [_canon_col(n) for n in lp.col_names_]
    rows = [_canon_row(n) for n in lp.row_names_]
    a = lp.a_matrix_
    start, idx, val = np.asarray(a.start_), np.asarray(a.index_), np.asarray(a.value_)
    coef = {(rows[idx[p]], cols[j]): float(val[p])
            for j in range(lp.num_col_) for p in range(start[j], start[j + 1])}
    return lp, cols, rows, coef


def compare_lp(product_lp: Path, reference_lp: Path) -> dict:
    """Entry-by-entry comparison of the two LP files (names mapped as in the docstring)."""
    A, ca, ra, da = _read_lp(product_lp)
    B, cb, rb, db = _read_lp(reference_lp)
    signs: dict[tuple, set] = {}
    for k, v in da.items():
        if k in db:
            signs.setdefault(k[0], set()).add(float(np.sign(v * db[k])))
    flipped = {r for r, s in signs.items() if s == {-1.0}}
    diff = [abs(v - (-1 if k[0] in flipped else 1) * db[k]) for k, v in da.items() if k in db]
    oa = dict(zip(ca, A.col_cost_, strict=True))
    ob = dict(zip(cb, B.col_cost_, strict=True))
    ba = dict(zip(ra, zip(A.row_lower_, A.row_upper_, strict=True), strict=True))
    bb = dict(zip(rb, zip(B.row_lower_, B.row_upper_, strict=True), strict=True))
    cola = dict(zip(ca, zip(A.col_lower_, A.col_upper_, A.integrality_, strict=True),
                    strict=True))
    colb = dict(zip(cb, zip(B.col_lower_, B.col_upper_, B.integrality_, strict=True),
                    strict=True))
    ratios: dict[str, list[float]] = {}  # product / reference, by (row family, column kind)
    for k, v in da.items():
        if k in db and db[k] != 0:
            ratios.setdefault(f"{k[0][0]} x {k[1][0]}", []).append(v / db[k])
    for c, v in oa.items():
        if ob.get(c):
            ratios.setdefault(f"objective x {c[0]}", []).append(v / ob[c])
    return {
        "coefficient_ratio_product_over_reference": {
            key: [float(np.min(r)), float(np.max(r))] for key, r in sorted(ratios.items())},
        "rows": [A.num_row_, B.num_row_], "cols": [A.num_col_, B.num_col_],
        "nnz": [len(da), len(db)],
        "same_columns": set(ca) == set(cb), "same_column_order": ca == cb,
        "same_rows": set(ra) == set(rb), "same_row_order": ra == rb,
        "same_nonzero_pattern": set(da) == set(db),
        "rows_with_opposite_sign": {f: sum(1 for r in flipped if r[0] == f)
                                    for f in sorted({r[0] for r in flipped})},
        "max_coef_diff_sign_normalised": max(diff, default=0.0),
        "max_objective_diff": max((abs(oa[c] - ob.get(c, np.nan)) for c in oa), default=0.0),
        "row_bounds_differ": sum(1 for r in ba if r not in flipped and ba[r] != bb.get(r)),
        "column_bounds_or_integrality_differ": sum(1 for c in cola if cola[c] != colb.get(c)),
    }


def compare(name: str, keep: Path | None = None) -> dict:
    """Write both models of instance `name` as LP files and compare them."""
    from ek_reference import ek_pyomo

    from netdesign.optimise.pyomo_export import write_lp

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(keep) if keep else Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        net, scen = ap_network(*files(name))
        write_lp(build(build_model_data(net, scen), "auto").model, d / f"product_{name}.lp")
        ek_pyomo(*files(name)).write(str(d / f"reference_{name}.lp"),
                                     io_options={"symbolic_solver_labels": True})
        return {"instance": name, **compare_lp(d / f"product_{name}.lp",
                                               d / f"reference_{name}.lp")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"instances {' '.join(QUICK)}")
    ap.add_argument("--instances", nargs="+", default=None, choices=sorted(PUBLISHED))
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2],
                    help="HiGHS random_seed values (one solve of each model per seed)")
    ap.add_argument("--gap", type=float, default=1e-6, help="mip_rel_gap")
    ap.add_argument("--time-limit", type=float, default=1800.0)
    ap.add_argument("--compare", action="store_true", help="compare the LP files instead")
    ap.add_argument("--keep-lp", type=Path, default=None, help="directory for the LP files")
    a = ap.parse_args(argv)
    names = a.instances or (QUICK if a.quick else FULL)
    if a.compare:
        for name in names:
            print(json.dumps(compare(name, a.keep_lp)))
        return 0
    runs = []
    turn = 0
    for name in names:
        for seed in a.seeds:
            solver = SolverConfig(mip_rel_gap=a.gap, time_limit_s=a.time_limit, threads=1,
                                  seed=seed)
            order = ("product", "reference") if turn % 2 == 0 else ("reference", "product")
            turn += 1
            for model in order:
                r = run_one(model, name, solver)
                runs.append(r)
                print(json.dumps(r), flush=True)
    rows = summarise(runs)
    print(table(rows))
    ok = all(r["matches_published"] for r in runs)
    if not ok:
        print("SOME SOLVES DID NOT REPRODUCE THE PUBLISHED OPTIMUM", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
