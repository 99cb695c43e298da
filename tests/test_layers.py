"""Layer contract: the package's import graph follows the pipeline's order and has no cycle.

Order (a module may import only from its own package or a lower layer):

    errors -> base (atomic, vocabulary, progress, textfiles) -> config -> data -> forecast
    -> scenario -> optimise -> results -> pipeline -> plan -> study
    -> sweep | report | refresh (independent of one another)
    -> evaluate (a fixed design under demand draws and outages; runs on the sweep's Dask
       machinery) -> cli, docs_reference
    -> the `netdesign` package itself (lazy facade)

Every import is counted: module level, inside functions, and under ``if TYPE_CHECKING`` (a
type-only import is still a dependency a reader has to follow). Importing a submodule also
executes its parent packages' ``__init__``, so those edges are added too (except the root
package's: its public names are imported lazily, see `netdesign/__init__.py`).

`python tests/test_layers.py` prints the layer graph, every violation and every cycle.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "netdesign"

#: Layers from the bottom up; each entry: the module prefixes in it. Modules of one layer but
#: different prefixes must not import each other (sweep, report and refresh are independent).
LAYERS: list[tuple[str, ...]] = [
    ("netdesign.errors",),
    ("netdesign.atomic", "netdesign.vocabulary", "netdesign.progress", "netdesign.textfiles"),
    ("netdesign.config",),
    ("netdesign.data",),
    ("netdesign.forecast",),
    ("netdesign.scenario",),
    ("netdesign.optimise",),
    ("netdesign.results",),
    ("netdesign.pipeline",),
    ("netdesign.plan",),
    ("netdesign.study",),
    ("netdesign.sweep", "netdesign.report", "netdesign.refresh"),
    ("netdesign.evaluate",),
    ("netdesign.cli", "netdesign.docs_reference"),
    ("netdesign",),
]

#: Names a lower module may import from the root package (defined there, no import behind).
ROOT_CONSTANTS = {"__version__"}

#: Known cycles not ours to fix, each a frozenset of modules, with who fixes it. The list may
#: only shrink: a cycle not listed fails, and a listed cycle that is gone fails too (delete it).
ALLOWED_CYCLES: dict[frozenset[str], str] = {
    # empty since the optimiser restructure (issue 20, h20m): `Built` in its own module and
    # diagnosis given a re-solve callback removed the last two cycles (build <-> hubflow,
    # api <-> diagnose)
}


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else None


def import_edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the package modules it imports (anywhere in the file), plus parent packages."""
    edges: dict[str, set[str]] = defaultdict(set)
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        here = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
                subs = [f"{base}.{a.name}" for a in node.names]
                targets = [s for s in subs if s in modules]
                names = {a.name for a in node.names if f"{base}.{a.name}" not in modules}
                if names and not (base == "netdesign" and names <= ROOT_CONSTANTS):
                    targets.append(base)
            for target in targets:
                if not target.startswith("netdesign"):
                    continue
                resolved = _resolve(target, modules)
                if resolved is None or resolved == mod:
                    continue
                edges[mod].add(resolved)
                parts = resolved.split(".")
                for i in range(2, len(parts)):  # parent packages, root excluded
                    parent = ".".join(parts[:i])
                    if parent in modules and parent != mod and not mod.startswith(parent + "."):
                        edges[mod].add(parent)
    return edges


def layer_of(mod: str) -> tuple[int, str]:
    """(layer index, prefix) of a module; the longest matching prefix wins."""
    best: tuple[int, str] | None = None
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (mod == p or mod.startswith(p + ".")) and (best is None or len(p) > len(best[1])):
                best = (i, p)
    if best is None:
        raise KeyError(mod)
    return best


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go up a layer or sideways between independent packages of one layer."""
    out = []
    for a in sorted(edges):
        la, pa = layer_of(a)
        for b in sorted(edges[a]):
            lb, pb = layer_of(b)
            if lb > la or (lb == la and pa != pb):
                out.append(f"{a} imports {b} ({pb} is not below {pa})")
    return out


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(frozenset(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


# ---------------------------------------------------------------------------------------------
@functools.cache
def _package_graph() -> dict[str, set[str]]:
    return import_edges(module_files())


def test_every_module_has_a_layer():
    unplaced = [m for m in module_files() if _try_layer(m) is None]
    assert not unplaced, f"add these modules to LAYERS in tests/test_layers.py: {unplaced}"


def _try_layer(mod: str):
    try:
        return layer_of(mod)
    except KeyError:
        return None


def test_imports_follow_the_pipeline_order():
    bad = violations(_package_graph())
    assert not bad, "layer violations:\n" + "\n".join(bad)


def test_no_import_cycles_beyond_the_documented_ones():
    found = set(cycles(_package_graph()))
    new = [sorted(c) for c in found if c not in ALLOWED_CYCLES]
    gone = [sorted(c) for c in ALLOWED_CYCLES if c not in found]
    assert not new, f"import cycles: {new}"
    assert not gone, f"these cycles are fixed; delete them from ALLOWED_CYCLES: {gone}"


def test_root_package_imports_lazily():
    """`import netdesign` must stay fast: no module-level import of a netdesign module."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    eager = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
             and any((getattr(n, "module", None) or a.name).startswith("netdesign")
                     for a in n.names)]
    assert not eager, eager


def test_the_scan_sees_each_kind_of_import(tmp_path):
    """The scanner finds module-level, function-level, relative and TYPE_CHECKING imports, an
    upward import is a violation and a two-module loop is a cycle (so the tests above can fail).
    """
    pkg = tmp_path / "netdesign"
    (pkg / "config").mkdir(parents=True)
    (pkg / "data").mkdir()
    (pkg / "__init__.py").write_text("__version__ = '0'\n")
    (pkg / "config" / "__init__.py").write_text("")
    (pkg / "data" / "__init__.py").write_text("")
    (pkg / "config" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from netdesign.data import b\n")
    (pkg / "config" / "c.py").write_text("def f():\n    from . import a\n")
    (pkg / "data" / "b.py").write_text("from netdesign.config.a import x\n"
                                       "from netdesign import __version__\n")
    mods = module_files(pkg)
    edges = import_edges(mods)
    assert edges["netdesign.config.a"] == {"netdesign.data.b", "netdesign.data"}
    assert edges["netdesign.config.c"] == {"netdesign.config.a"}
    assert edges["netdesign.data.b"] == {"netdesign.config.a", "netdesign.config"}
    assert violations(edges) == [
        "netdesign.config.a imports netdesign.data (netdesign.data is not below netdesign.config)",
        "netdesign.config.a imports netdesign.data.b (netdesign.data is not below "
        "netdesign.config)"]
    assert cycles(edges) == [frozenset({"netdesign.config.a", "netdesign.data.b"})]


if __name__ == "__main__":
    graph = import_edges(module_files())
    layer_graph: dict[str, set[str]] = defaultdict(set)
    for a, bs in graph.items():
        for b in bs:
            if layer_of(a)[1] != layer_of(b)[1]:
                layer_graph[layer_of(a)[1]].add(layer_of(b)[1])
    for k in sorted(layer_graph):
        print(f"{k} -> {', '.join(sorted(layer_graph[k]))}")
    print("\nviolations:", *violations(graph) or ["none"], sep="\n  ")
    print("\ncycles:", *[", ".join(sorted(c)) for c in cycles(graph)] or ["none"], sep="\n  ")
    sys.exit(0)
