"""Time the Excel export and the HTML report of a results file; sizes of what they write.

usage: python scripts/bench_report.py RESULTS [--repeat 3]

Prints the median wall time (and CPU time) over `--repeat` runs of
- `write_excel` with the default annual forecast sheet and with `forecast="monthly"`,
- `render_report` (zh), plus the file sizes and the basemap's size,
measured side by side in one process (the machine is shared: compare ratios, not absolutes).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from netdesign.report.export import write_excel
from netdesign.report.html import render_report
from netdesign.report.load import open_results


def _time(fn, repeat: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ds = open_results(args.results)
    tmp = Path(tempfile.mkdtemp(prefix="bench_report_"))
    print(f"{args.results}: {ds.sizes['scenario']} scenarios, {ds.sizes['corridor']} "
          f"corridors, {ds.sizes['link']} links; median of {args.repeat}")
    for name, kw in (("export annual (default)", {}), ("export monthly", {"forecast":
                                                                          "monthly"})):
        path = tmp / f"{name.split()[1]}.xlsx"
        wall, cpu, _ = _time(lambda p=path, kw=kw: write_excel(ds, p, lang="zh", **kw),
                             args.repeat)
        print(f"{name:26s} {wall:6.1f} s wall {cpu:6.1f} s CPU  "
              f"{path.stat().st_size / 1e6:5.1f} MB")
    wall, cpu, page = _time(lambda: render_report(ds, "zh"), args.repeat)
    size = len(page.encode("utf-8"))
    basemap = Path(__file__).resolve().parents[1] / "netdesign/report/basemap/basemap.json"
    print(f"{'report (zh)':26s} {wall:6.1f} s wall {cpu:6.1f} s CPU  {size / 1e6:5.1f} MB "
          f"(basemap {basemap.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
