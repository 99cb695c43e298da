"""Benchmark: the same 16-scenario sweep serially and on 2 local Dask workers.

    .venv/bin/python scripts/bench_sweep.py                 # generated 100-city study
    .venv/bin/python scripts/bench_sweep.py --config configs/hangzhou-sweep.yaml \\
        --only '2035_*' --limit 16

Reports wall times, parallel efficiency serial / (2 x parallel) (for the whole sweep including
cluster start, and for the solve phase alone), and per-scenario overhead beside the solve time:
task start (worker start minus when the task could have started), result hand-back (worker end
to driver), dataset conversion and result write. The forecasts are computed once up front and
passed to both runs, so that both time the same solves. Both runs use 1 HiGHS thread per solve.
Prints a Markdown block for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr

ROOT = Path(__file__).resolve().parents[1]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _burn(seconds: float) -> float:
    """Spin for `seconds` of wall time; return the CPU seconds this process got."""
    end = time.perf_counter() + seconds
    c0 = time.process_time()
    x = 0
    while time.perf_counter() < end:
        x += 1
    return time.process_time() - c0


def cores_available(n: int = 2, seconds: float = 3.0) -> float:
    """How many cores `n` busy processes actually get right now (<= n on a shared machine)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(n) as pool:
        return sum(pool.map(_burn, [seconds] * n)) / seconds


def _same(a: xr.Dataset, b: xr.Dataset) -> bool:
    """Equal variables; floats to 1e-9 relative (sums may differ in the last bit)."""
    if set(a.variables) != set(b.variables):
        return False
    for name, var in a.variables.items():
        x, y = var.values, b[name].values
        if x.shape != y.shape:
            return False
        if var.dtype.kind == "f":
            if not np.allclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


def overheads(timings: dict[str, dict]) -> dict[str, float]:
    """Median per-scenario seconds: task start, hand-back, to-dataset, write, solve."""
    by_pid: dict[int, list[dict]] = {}
    for t in timings.values():
        by_pid.setdefault(t.get("pid", 0), []).append(t)
    start = []
    for runs in by_pid.values():
        runs.sort(key=lambda t: t["started_unix"])
        prev_end = None
        for t in runs:
            ready = t["submitted_unix"] if prev_end is None else max(t["submitted_unix"],
                                                                       prev_end)
            start.append(max(0.0, t["started_unix"] - ready))
            prev_end = t["finished_unix"] + t.get("write_s", 0.0)
    return {
        "task_start_s": _median(start),
        "hand_back_s": _median([max(0.0, t["received_unix"] - t["finished_unix"]
                                    - t.get("write_s", 0.0)) for t in timings.values()]),
        "to_dataset_s": _median([t["to_dataset_s"] for t in timings.values()]),
        "write_s": _median([t.get("write_s", float("nan")) for t in timings.values()]),
        "solve_s": _median([t["solve_s"] for t in timings.values()]),
        "solve_cpu_s": _median([t.get("solve_cpu_s", float("nan")) for t in timings.values()]),
        "write_cpu_s": _median([t.get("write_cpu_s", float("nan")) for t in timings.values()]),
        "peak_rss_mb": max(t.get("peak_rss_mb", float("nan")) for t in timings.values()),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, help="Study with a sweep (default: generated).")
    ap.add_argument("--only", action="append", default=[], help="Glob(s) selecting scenarios.")
    ap.add_argument("--limit", type=int, default=16, help="Scenarios to run (first N).")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench-sweep")
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--corridors", type=int, default=3000)
    args = ap.parse_args(argv)

    from netdesign.pipeline import forecast_study, load_study
    from netdesign.sweep import list_scenarios, run_sweep

    out: Path = args.out
    config = args.config
    if config is None:
        study_dir = out / f"study-{args.cities}-{args.corridors}"
        if not (study_dir / "national.yaml").is_file():
            subprocess.run([sys.executable, str(ROOT / "scripts" / "make_national_study.py"),
                            "--out", str(study_dir), "--cities", str(args.cities),
                            "--corridors", str(args.corridors), "--hubs", "10",
                            "--airports", "4", "--ports", "3"], check=True)
        config = study_dir / "national.yaml"
    study = load_study(config)
    cfg = study.cfg.with_overrides(solver={**study.cfg.solver.model_dump(), "threads": 1})
    study.cfg = cfg
    names = list_scenarios(cfg, args.only or None)[: args.limit]
    print(f"{config}: {len(study.network.corridors)} corridors, {len(study.network.links)} "
          f"links; {len(names)} scenarios; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    avail_before = cores_available()
    print(f"cores available to 2 busy processes: {avail_before:.2f}", flush=True)
    t = time.perf_counter()
    forecasts = forecast_study(study, progress=False)
    print(f"forecast once: {time.perf_counter() - t:.1f} s", flush=True)

    runs = {}
    for label, workers in (("serial", 0), ("2 workers", 2)):
        target = out / label.replace(" ", "-")
        shutil.rmtree(target, ignore_errors=True)
        t = time.perf_counter()
        outcome = run_sweep(cfg, target, only=names, workers=workers, progress=False,
                            forecasts=forecasts)
        wall = time.perf_counter() - t
        runs[label] = (wall, outcome)
        print(f"{label}: {wall:.1f} s wall, phases "
              f"{ {k: round(v, 1) for k, v in outcome.phases.items()} }", flush=True)

    avail_after = cores_available()
    (ws, serial), (wp, par) = runs["serial"], runs["2 workers"]
    a, b = serial.results.drop_vars("solve_seconds"), par.results.drop_vars("solve_seconds")
    a.attrs, b.attrs = {}, {}
    same = _same(a, b)
    eff_total = ws / (2 * wp)
    eff_solve = serial.phases["solve_s"] / (2 * par.phases["solve_s"])
    oh_s, oh_p = overheads(serial.timings), overheads(par.timings)
    cmd = "scripts/bench_sweep.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [
        f"Command: `.venv/bin/python {cmd.strip()}`  ",
        f"Study: {config.name}, {len(study.network.corridors)} corridors, "
        f"{len(study.network.links)} links, {len(names)} scenarios; {os.cpu_count()} cores "
        f"({platform.machine()}), shared machine, load average at start "
        f"{os.getloadavg()[0]:.1f}; cores actually available to 2 busy processes "
        f"{avail_before:.2f} before, {avail_after:.2f} after; results of serial and 2 workers "
        f"equal (to 1e-9 relative): {same}",
        "",
        "| run | wall s | cluster start s | solve phase s | combine s |",
        "|---|---|---|---|---|",
    ]
    for label, (wall, o) in runs.items():
        ph = o.phases
        lines.append(f"| {label} | {wall:.1f} | {ph['cluster_start_s']:.1f} | "
                     f"{ph['solve_s']:.1f} | {ph['combine_s']:.1f} |")
    lines += [
        "",
        f"Parallel efficiency serial / (2 x parallel): whole sweep **{eff_total:.2f}**, "
        f"solve phase **{eff_solve:.2f}** (target >= 0.85).",
        "",
        "| per scenario (median) | serial | 2 workers |",
        "|---|---|---|",
    ]
    for key, label in (("solve_s", "solve (build + hand-off + HiGHS) s"),
                       ("solve_cpu_s", "solve, CPU s of the worker process"),
                       ("task_start_s", "task start s"), ("hand_back_s", "result hand-back s"),
                       ("to_dataset_s", "to dataset s"), ("write_s", "result write s"),
                       ("write_cpu_s", "result write, CPU s"),
                       ("peak_rss_mb", "peak worker RSS MB")):
        lines.append(f"| {label} | {oh_s[key]:.2f} | {oh_p[key]:.2f} |")
    block = "\n".join(lines)
    print("\n" + block)
    (out / "bench_sweep.md").write_text(block + "\n", encoding="utf-8")
    (out / "bench_sweep.json").write_text(json.dumps({
        "serial_wall_s": ws, "parallel_wall_s": wp, "efficiency_total": eff_total,
        "efficiency_solve": eff_solve, "serial_phases": serial.phases,
        "parallel_phases": par.phases, "overhead_serial": oh_s, "overhead_parallel": oh_p,
        "identical": same, "cores_available": [avail_before, avail_after]}, indent=2),
        encoding="utf-8")
    if not same:
        raise SystemExit("serial and parallel results differ")


if __name__ == "__main__":
    main()
