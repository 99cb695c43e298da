"""Wall time of `make run` (the default study end to end): this checkout against a base commit.

Runs, in turn and `--repeats` times, on the same machine:
- ``base``: the study at `--base` (default 3323444, before the forecast cache and the
  vectorised Holt-Winters start), its code unpacked with `git archive` into a temporary folder
  and put first on PYTHONPATH of this checkout's virtualenv;
- ``first``: this checkout with an empty forecast cache (`NETDESIGN_CACHE` = a new folder);
- ``rerun``: this checkout again on the cache the ``first`` run filled.
Each is `netdesign run configs/hangzhou.yaml` (what `make run` runs), timed with
/usr/bin/time for wall seconds and peak RSS. Prints every run, the medians and the ratios of
medians against ``base``, with the load average at the start of each run.

    .venv/bin/python scripts/bench_forecast_run.py --repeats 1
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


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd], cwd=cwd,
                              env=env, capture_output=True, text=True)
        wall, kb = tf.read().split()[-2:]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return float(wall), float(kb) / 1024, proc.stderr


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", default="3323444")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--config", default="configs/hangzhou.yaml")
    a = p.parse_args()
    exe = str(ROOT / ".venv" / "bin" / "netdesign")
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    base_src = work / "base"
    base_src.mkdir()
    archive = subprocess.run(["git", "archive", a.base], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
    env0 = dict(os.environ)
    times: dict[str, list[float]] = {"base": [], "first": [], "rerun": []}
    for r in range(a.repeats):
        for variant in ("base", "first", "rerun"):
            env = dict(env0)
            cwd = ROOT
            if variant == "base":
                env["PYTHONPATH"] = str(base_src)
                cwd = base_src  # its own configs/ and data
            else:
                env["NETDESIGN_CACHE"] = str(work / f"cache{r}")
            load = os.getloadavg()[0]
            cmd = [exe, "run", a.config, "--out",
                   str(work / f"out-{variant}-{r}")]
            wall, mb, err = _timed(cmd, env, cwd)
            times[variant].append(wall)
            text = " ".join(err.split())  # rich wraps long lines
            bt = re.findall(r"backtest \(.*?coverage 80 % [\d.]+, 95 % [\d.]+|calibrated "
                            r"intervals .*?80 % [\d.]+, 95 % [\d.]+", text)
            print(f"run {r + 1} {variant:5s}: {wall:7.1f} s wall, {mb:6.0f} MB peak, "
                  f"load {load:.1f} at start", flush=True)
            for line in bt:
                print("    " + line.strip(), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print("medians: " + ", ".join(f"{k} {v:.1f} s" for k, v in med.items()))
    print(f"ratios to base: first {med['first'] / med['base']:.2f}, "
          f"rerun {med['rerun'] / med['base']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
