"""Wall time of a warm `make run`: the study's scenarios solved side by side against one
after another, in the same session.

`make run` runs `netdesign run configs/hangzhou.yaml`; with the forecast cache filled by an
earlier run (a warm-up run here when it is cold) the time is the data loading, the three
scenario solves, the base-year check and the writing. Variants, alternating `--repeats` times:
- ``side_by_side``: the config as it is (`solver.scenario_workers: null`, one Dask process
  worker per core);
- ``one_by_one``: the same config with `solver.scenario_workers: 1` (a config that
  `extends` it, written to a temporary folder): the solves one after another in one process.
Each run is timed with /usr/bin/time (wall seconds, CPU seconds, peak RSS of the driver).
Prints every run with the load average at its start and the scenario solve lines, then the
medians and the ratio side_by_side / one_by_one.

    .venv/bin/python scripts/bench_run.py --repeats 3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float, float, str]:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name, *cmd],
                              cwd=cwd, capture_output=True, text=True)
        wall, user, sys_s, kb = tf.read().split()[-4:]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return float(wall), float(user) + float(sys_s), float(kb) / 1024, proc.stderr


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--config", default="configs/hangzhou.yaml")
    a = p.parse_args()
    exe = str(ROOT / ".venv" / "bin" / "netdesign")
    config = (ROOT / a.config).resolve()
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    serial = work / "one_by_one.yaml"
    serial.write_text(f"extends: {config}\nsolver:\n  scenario_workers: 1\n", encoding="utf-8")
    variants = {"side_by_side": config, "one_by_one": serial}
    print("warm-up run (fills the forecast cache if it is cold) ...", flush=True)
    _timed([exe, "run", str(config), "--out", str(work / "warm-up"), "-q"], ROOT)
    times: dict[str, list[float]] = {k: [] for k in variants}
    for r in range(a.repeats):
        order = list(variants) if r % 2 == 0 else list(variants)[::-1]
        for name in order:
            load = os.getloadavg()[0]
            wall, cpu, mb, err = _timed([exe, "run", str(variants[name]), "--out",
                                         str(work / f"{name}-{r}")], ROOT)
            times[name].append(wall)
            solves = re.findall(r"^ {2}(\S+): (\w+), gap ([\d.]+%), ([\d.]+) s$", err, re.M)
            print(f"run {r + 1} {name:12s}: {wall:6.1f} s wall, {cpu:6.1f} s CPU (driver + "
                  f"children), {mb:5.0f} MB peak (driver), load {load:.1f} at start; "
                  + ", ".join(f"{s} {st} {g} {t} s" for s, st, g, t in solves), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print("medians: " + ", ".join(f"{k} {v:.1f} s" for k, v in med.items()))
    print(f"ratio side_by_side / one_by_one: {med['side_by_side'] / med['one_by_one']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
