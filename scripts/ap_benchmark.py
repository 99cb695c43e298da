"""Australia Post hub-location benchmark (Ernst & Krishnamoorthy) solved by netdesign's model.

    python scripts/ap_benchmark.py NODES_FILE FCOST_FILE CAP_FILE [--uncapacitated]
        [--time-limit S] [--gap G] [--formulation auto|path|hubflow] [--save-lp FILE]

Loads the files into a `Network` (one mode, every node an optional hub with its fixed cost and
capacity; collection, line-haul and distribution links costing 3, 0.75 and 2 per unit of
Euclidean distance / 1000) and a `Scenario` (single allocation, hub capacity on the collected
volume, no unserved slack), solves with `design_network`, and prints one JSON line:
{"objective", "hubs" (0-based), "status", "gap", "seconds", ...}.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.config.schema import SolverConfig
from netdesign.data.network import Network
from netdesign.scenario.scenario import Scenario


def read_nodes_file(path: Path) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float]]:
    """(coordinates (n, 2), flows W (n, n), (collection, transfer, distribution) per unit)."""
    tok = Path(path).read_text().split()
    n = int(tok[0])
    vals = np.array([float(t) for t in tok[1:]])
    xy = vals[:2 * n].reshape(n, 2)
    w = vals[2 * n:2 * n + n * n].reshape(n, n)
    rest = vals[2 * n + n * n:]
    # rest = p, collection, transfer, distribution
    return xy, w, (float(rest[1]), float(rest[2]), float(rest[3]))


def read_vector(path: Path, n: int) -> np.ndarray:
    v = np.array([float(t) for t in Path(path).read_text().split()])
    if len(v) < n:
        raise ValueError(f"{path}: expected {n} numbers, found {len(v)}")
    return v[:n]


def ap_network(nodes_file: Path, fcost_file: Path, cap_file: Path | None,
               uncapacitated: bool = False) -> tuple[Network, Scenario]:
    """The AP instance as netdesign's Network + Scenario (see module docstring)."""
    xy, w, (c_col, c_lh, c_dist) = read_nodes_file(nodes_file)
    n = len(xy)
    fixed = read_vector(fcost_file, n)
    cap = np.full(n, math.inf) if uncapacitated or cap_file is None else read_vector(cap_file, n)
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) / 1000.0
    ids = [f"N{i:03d}" for i in range(n)]
    nodes = pd.DataFrame({"node_id": ids, "name_en": ids, "name_zh": ids, "kind": "hub",
                          "lat": 0.0, "lon": 0.0, "country": "AU", "region": "AP",
                          "rural": False}).set_index("node_id")
    hubs = pd.DataFrame({
        "hub_id": ids, "capacity_parcels_per_day": cap, "module_parcels_per_day": 0.0,
        "module_cost_cny_per_year": 0.0, "handling_cost_cny_per_parcel": 0.0,
        "handling_h": 0.0, "transfer_modes": [("road",)] * n,
        "fixed_cost_cny_per_year": fixed, "optional": True, "customs_h": 0.0,
        "max_modules": math.nan}).set_index("hub_id")
    ii, jj = np.nonzero(~np.eye(n, dtype=bool))
    frames = []
    for role, unit in (("collection", c_col), ("linehaul", c_lh), ("distribution", c_dist)):
        frames.append(pd.DataFrame({
            "link_id": [f"{role[0]}{a}_{b}" for a, b in zip(ii, jj, strict=True)],
            "from_node": [ids[a] for a in ii], "to_node": [ids[b] for b in jj],
            "mode": "road", "role": role, "distance_km": dist[ii, jj],
            "cost_cny_per_parcel": unit * dist[ii, jj], "transit_h": 0.0,
            "co2_kg_per_tkm": 0.0, "capacity_parcels_per_day": math.inf,
            "module_parcels_per_day": 0.0, "module_cost_cny_per_year": 0.0,
            "min_weekly_frequency": math.nan}))
    links = pd.concat(frames, ignore_index=True).set_index("link_id")
    oi, dj = np.nonzero(w > 0)
    cids = [f"{ids[a]}>{ids[b]}" for a, b in zip(oi, dj, strict=True)]
    corridors = pd.DataFrame({"corridor_id": cids, "origin": [ids[a] for a in oi],
                              "destination": [ids[b] for b in dj],
                              "service_class": "domestic"}).set_index("corridor_id")
    history = pd.DataFrame({"corridor_id": [], "month": [], "parcels": []})
    net = Network(nodes=nodes, links=links, hubs=hubs, corridors=corridors, history=history,
                  source=str(nodes_file), version="ap")
    scen = Scenario(name=Path(nodes_file).name, year=2000,
                    demand=pd.Series(w[oi, dj], index=cids), allocation="single",
                    allow_unserved=False, hub_capacity_basis="collected", collection_h=0.0,
                    days_per_year=1.0, max_linehaul_legs=1)
    return net, scen


def solve_ap(nodes_file: Path, fcost_file: Path, cap_file: Path | None,
             uncapacitated: bool = False, time_limit_s: float = 3600.0, gap: float = 1e-6,
             formulation: str = "auto", lp_path: Path | None = None) -> dict:
    """Solve one instance; the JSON-ready result dict."""
    from netdesign.optimise.api import solve_design

    t0 = time.perf_counter()
    net, scen = ap_network(nodes_file, fcost_file, cap_file, uncapacitated)
    solver = SolverConfig(time_limit_s=time_limit_s, mip_rel_gap=gap, threads=1)
    design = solve_design(net, scen, solver, formulation=formulation, lp_path=lp_path)
    seconds = time.perf_counter() - t0
    rep = design.report
    hubs = [int(h[1:]) for h, row in design.hubs.iterrows() if row["is_open"]] \
        if rep.has_solution else []
    return {"objective": rep.objective, "hubs": sorted(hubs), "status": rep.status,
            "gap": rep.mip_gap, "seconds": round(seconds, 3),
            "formulation": rep.formulation, "build_s": round(rep.build_s, 3),
            "handoff_s": round(rep.handoff_s, 3), "solve_s": round(rep.solve_s, 3),
            "rows": rep.rows, "cols": rep.cols, "integers": rep.integers}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nodes_file", type=Path)
    ap.add_argument("fcost_file", type=Path)
    ap.add_argument("cap_file", type=Path)
    ap.add_argument("--uncapacitated", action="store_true")
    ap.add_argument("--time-limit", type=float, default=3600.0)
    ap.add_argument("--gap", type=float, default=1e-6)
    ap.add_argument("--formulation", choices=("auto", "path", "hubflow"), default="auto")
    ap.add_argument("--save-lp", type=Path, default=None, help="also write the model as LP")
    a = ap.parse_args(argv)
    out = solve_ap(a.nodes_file, a.fcost_file, a.cap_file, a.uncapacitated, a.time_limit,
                   a.gap, a.formulation, a.save_lp)
    print(json.dumps(out))
    return 0 if out["status"] in ("optimal", "feasible") else 1


if __name__ == "__main__":
    sys.exit(main())
