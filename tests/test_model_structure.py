"""Structure of `netdesign.optimise` (issue 20): imports run one way inside the package and
never up to the pipeline's later stages; Pyomo only in the export module."""

from __future__ import annotations

import ast
from pathlib import Path

OPTIMISE = Path(__file__).resolve().parents[1] / "netdesign" / "optimise"
LATER_STAGES = ("netdesign.pipeline", "netdesign.results", "netdesign.sweep",
                "netdesign.report", "netdesign.refresh", "netdesign.cli")


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _graph() -> dict[str, set[str]]:
    mods = {f"netdesign.optimise.{p.stem}": _imports(p) for p in OPTIMISE.glob("*.py")
            if p.stem != "__init__"}
    return {m: {d for d in deps if d in mods} for m, deps in mods.items()}


def test_no_import_cycle_inside_optimise() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph[m]):
            assert state.get(d) != 1, "import cycle: " + " -> ".join([*path, m, d])
            if d not in state:
                visit(d, [*path, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert "netdesign.optimise.api" in graph  # the scan saw the package


def test_optimise_does_not_import_later_stages() -> None:
    bad = {p.name: sorted(d for d in _imports(p) if d.startswith(LATER_STAGES))
           for p in OPTIMISE.glob("*.py")}
    assert not {k: v for k, v in bad.items() if v}


def test_pyomo_only_in_the_export() -> None:
    users = sorted(p.name for p in OPTIMISE.glob("*.py")
                   if any(d == "pyomo" or d.startswith("pyomo.") for d in _imports(p)))
    assert users == ["pyomo_export.py"]
