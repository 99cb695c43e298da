"""The Australia Post CSAHLP benchmark (Ernst & Krishnamoorthy 1999) solved by the product's
model through scripts/ap_benchmark.py: published optima (not computed here) within 0.01 %."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AP = SHARED / "data" / "hub-location" / "AP"
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ap_benchmark.py"

pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not AP.is_dir(), reason="needs ../shared/data/hub-location/AP")]

# instance: (published objective, published hubs, 0-based)
PUBLISHED = {
    "10LL": (224_250.05, [2, 3, 6]),
    "10LT": (250_992.26, [0, 3, 4, 9]),
    "10TL": (263_399.94, [3, 4, 9]),
    "10TT": (263_399.94, [3, 4, 9]),
    "20LL": (234_690.96, [6, 13]),
    "20LT": (253_517.40, [9, 13]),
    "20TL": (271_128.18, [6, 18]),
    "20TT": (296_035.40, [0, 9, 18]),
}


def _script():
    spec = importlib.util.spec_from_file_location("ap_benchmark", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _files(name: str) -> tuple[Path, Path, Path]:
    n, x, y = name[:2], name[2], name[3]
    return AP / f"{n}.3", AP / f"Fcost{x}.{n}", AP / f"Cap{y}.{n}"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PUBLISHED))
def test_published_optimum(name: str) -> None:
    objective, hubs = PUBLISHED[name]
    out = _script().solve_ap(*_files(name), gap=1e-6)
    assert out["status"] == "optimal"
    assert out["formulation"] == "hubflow"
    assert out["objective"] == pytest.approx(objective, rel=1e-4)
    assert out["hubs"] == hubs


def test_path_formulation_agrees_on_10LT() -> None:
    """The path-based model (n^4 paths) reaches the same optimum as the aggregation."""
    out = _script().solve_ap(*_files("10LT"), gap=1e-6, formulation="path")
    assert out["formulation"] == "path"
    assert out["objective"] == pytest.approx(250_992.26, rel=1e-4)
    assert out["hubs"] == [0, 3, 4, 9]


def test_cli_prints_one_json_line() -> None:
    """Run as a program: stdout holds exactly one JSON line (HiGHS's C-level banner must not
    leak into it)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(SCRIPT), *map(str, _files("10TT")),
                           "--gap", "1e-6"], capture_output=True, text=True, timeout=600,
                          cwd=SCRIPT.parents[1])
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stdout
    out = json.loads(lines[0])
    assert {"objective", "hubs", "status", "gap", "seconds"} <= set(out)
    assert out["objective"] == pytest.approx(263_399.94, rel=1e-4)
    assert out["hubs"] == [3, 4, 9]


def test_uncapacitated_never_costs_more() -> None:
    """Dropping the capacities relaxes the problem: optimum <= the capacitated 10LT one."""
    mod = _script()
    free = mod.solve_ap(*_files("10LT"), uncapacitated=True, gap=1e-6)
    assert free["status"] == "optimal"
    assert free["objective"] <= 250_992.26 * (1 + 1e-6)
