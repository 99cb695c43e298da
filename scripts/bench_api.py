"""Benchmark: what the scripting API costs a batch user, on the tiny test study.

    .venv/bin/python scripts/bench_api.py [--repeat 3]

Measures, each in a fresh Python process, median of `--repeat` runs:
- `import netdesign` (the lazy facade) against importing the stages it hides;
- `Study.load` of the tiny study;
- the first `study.forecast()` against a second one on an overridden study (in-memory cache);
- one `study.solve(year=2030)`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"

CHILD = r"""
import json, sys, time
t = time.perf_counter(); import netdesign as nd; t_import = time.perf_counter() - t
t = time.perf_counter(); import netdesign.study; t_stages = time.perf_counter() - t
t = time.perf_counter(); study = nd.Study.load(sys.argv[1]); t_load = time.perf_counter() - t
t = time.perf_counter(); study.forecast(); t_fc1 = time.perf_counter() - t
other = study.with_overrides({"service.late_penalty_cny_per_parcel": 10})
t = time.perf_counter(); other.forecast(); t_fc2 = time.perf_counter() - t
t = time.perf_counter(); other.solve(year=2030); t_solve = time.perf_counter() - t
print(json.dumps({"import netdesign": t_import, "import the stages (netdesign.study)": t_stages,
                  "Study.load (tiny)": t_load, "first forecast (tiny, 10 corridors)": t_fc1,
                  "forecast after with_overrides (cached)": t_fc2,
                  "solve one scenario (tiny)": t_solve}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", CHILD, str(TINY)], capture_output=True,
                             text=True, check=True, env={"OMP_NUM_THREADS": "1",
                                                         "PATH": "/usr/bin:/bin"})
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"median of {args.repeat} runs (s):")
    for key in runs[0]:
        print(f"  {key:45s} {statistics.median(r[key] for r in runs):9.3f}")


if __name__ == "__main__":
    main()
