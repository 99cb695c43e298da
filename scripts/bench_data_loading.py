"""Benchmark: load + validate a study of ~2,000 corridors x 120 months of history.

    .venv/bin/python scripts/bench_data_loading.py [--corridors 2000] [--months 120] [--repeat 5]
    .venv/bin/python scripts/bench_data_loading.py --config configs/hangzhou.yaml  # a real study

Builds a synthetic network in a temporary folder (40 origins, 50 destinations around 3 hubs,
corridors in both directions, monthly history), then times `collect_network` (read five CSV
files, parse, run every validation rule incl. the corridor path search) and prints the median.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.config import parse_config
from netdesign.data.loader import collect_network


def build(folder: Path, n_corridors: int, n_months: int) -> None:
    rng = np.random.default_rng(0)
    hubs = ["HUB_A", "HUB_B", "AIR_C"]
    origins = [f"ORIG_{i:02d}" for i in range(40)]
    dests = [f"DEST_{i:02d}" for i in range(50)]
    nodes = [(h, h, h, "hub", 30.0, 120.0, "CN", "Hangzhou", "false") for h in hubs]
    nodes += [(o, o, o, "district" if i % 2 else "county", 30.0, 120.0, "CN", "Hangzhou",
               "false" if i % 2 else "true") for i, o in enumerate(origins)]
    nodes += [(d, d, d, "city", 35.0, 110.0, "CN", "Domestic", "false") for d in dests]
    pd.DataFrame(nodes, columns=["node_id", "name_en", "name_zh", "kind", "lat", "lon",
                                 "country", "region", "rural"]).to_csv(folder / "nodes.csv",
                                                                       index=False)
    links = []

    def add(a, b, mode, role):
        links.append((f"{a}-{b}-{mode}", a, b, mode, role, 100, 1.0, 2.0, 0.077, 1000, 500,
                      1e5, ""))

    for o in origins:
        for h in ("HUB_A", "HUB_B"):
            add(o, h, "road", "collection")
            add(h, o, "road", "distribution")
    add("HUB_A", "HUB_B", "rail", "linehaul")
    add("HUB_B", "HUB_A", "rail", "linehaul")
    add("HUB_A", "AIR_C", "road", "linehaul")
    add("AIR_C", "HUB_A", "road", "linehaul")
    for d in dests:
        add("HUB_B", d, "rail", "linehaul")
        add(d, "HUB_B", "rail", "linehaul")
        add("AIR_C", d, "air", "linehaul")
        add(d, "AIR_C", "air", "linehaul")
    pd.DataFrame(links, columns=[
        "link_id", "from_node", "to_node", "mode", "role", "distance_km", "cost_cny_per_parcel",
        "transit_h", "co2_kg_per_tkm", "capacity_parcels_per_day", "module_parcels_per_day",
        "module_cost_cny_per_year", "min_weekly_frequency"]).to_csv(folder / "links.csv",
                                                                     index=False)
    pd.DataFrame([("HUB_A", 1e5, 2e4, 1e6, 0.26, 2, "road|rail"),
                  ("HUB_B", 1e5, 2e4, 1e6, 0.26, 2, "road|rail"),
                  ("AIR_C", 1e4, 5e3, 1e6, 0.8, 1.5, "road|air")],
                 columns=["hub_id", "capacity_parcels_per_day", "module_parcels_per_day",
                          "module_cost_cny_per_year", "handling_cost_cny_per_parcel",
                          "handling_h", "transfer_modes"]).to_csv(folder / "hubs.csv",
                                                                  index=False)
    pairs = [(o, d) for o in origins for d in dests] + [(d, o) for d in dests for o in origins]
    pairs = pairs[:n_corridors]
    cids = [f"{o}>{d}" for o, d in pairs]
    pd.DataFrame({"corridor_id": cids, "origin": [p[0] for p in pairs],
                  "destination": [p[1] for p in pairs], "service_class": "domestic"}
                 ).to_csv(folder / "corridors.csv", index=False)
    months = pd.period_range("2015-01", periods=n_months, freq="M").astype(str)
    pd.DataFrame({"corridor_id": np.repeat(cids, n_months),
                  "month": np.tile(months, len(cids)),
                  "parcels": rng.integers(1000, 100000, len(cids) * n_months)}
                 ).to_csv(folder / "history.csv", index=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corridors", type=int, default=2000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--config", help="time this study's data instead of a synthetic one")
    args = ap.parse_args()
    if args.config:
        from netdesign.config import load_config

        cfg = load_config(args.config)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            net, problems = collect_network(cfg)
            times.append(time.perf_counter() - t0)
        print(f"{args.config}: {len(net.corridors)} corridors, {len(net.history)} history rows, "
              f"{len(net.links)} links, {len(problems)} problems: load+validate median "
              f"{statistics.median(times):.3f} s (min {min(times):.3f}, n={args.repeat})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, args.corridors, args.months)
        cfg = parse_config({"name": "bench", "data": {"dir": str(folder)}}, "bench",
                           folder)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            net, problems = collect_network(cfg)
            times.append(time.perf_counter() - t0)
        errors = [p for p in problems if p.severity == "error"]
        assert net is not None and not errors, errors[:5]
        print(f"{len(net.corridors)} corridors x {args.months} months = {len(net.history)} "
              f"history rows, {len(net.links)} links: load+validate median "
              f"{statistics.median(times):.3f} s (min {min(times):.3f}, n={args.repeat})")


if __name__ == "__main__":
    main()
