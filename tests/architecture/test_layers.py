"""The package's shape: modules import only their own layer or lower ones, and never in a cycle.

Layers, lowest first. A foundation module (errors, conventions, backlog) never imports a
feature; building blocks never import the flows or routes built from them; only commands and
the CLI sit on top. `simulate` and `lint` read YAML and must not depend on the renderer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "hera_pipelines"

# (package or module prefix under hera_pipelines, layer)
LAYERS: tuple[tuple[str, int], ...] = (
    ("errors", 0),
    ("textfile", 0),
    ("conventions", 1),
    ("backlog", 1),
    ("config", 2),
    ("render.yamlio", 2),
    ("render.set", 3),
    ("render.ownership", 2),
    ("render.limits", 3),
    ("workflows", 3),
    ("events", 3),
    ("resources", 3),
    ("templates", 4),
    ("sensors", 4),
    ("render", 5),
    ("simulate", 2),
    ("schemas", 2),
    ("lint", 5),
    ("commands", 6),
    ("cli", 7),
    ("__main__", 8),
    ("__init__", 0),
)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"] or ["__init__"]
    return ".".join(parts)


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None
    for prefix, layer in LAYERS:
        matches = module == prefix or module.startswith(prefix + ".")
        if matches and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    assert best is not None, f"module {module} has no layer: add it to LAYERS"
    return best[1]


def _imports() -> dict[str, set[str]]:
    """module → hera_pipelines modules it imports at run time (not under TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                node.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module.removeprefix("hera_pipelines").lstrip(".")
                if node.module.split(".")[0] != "hera_pipelines":
                    continue
                for alias in node.names:
                    sub = f"{base}.{alias.name}" if base else alias.name
                    found.add(sub if sub in modules else base)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("hera_pipelines."):
                        found.add(alias.name.removeprefix("hera_pipelines."))
        graph[name] = found
    return graph


GRAPH = _imports()


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_same_or_lower_layers(module: str) -> None:
    upward = [
        target
        for target in sorted(GRAPH[module])
        if target in GRAPH or any(m.startswith(target + ".") for m in GRAPH)
        if _layer(target) > _layer(module)
    ]
    assert not upward, f"{module} (layer {_layer(module)}) imports upwards: {upward}"


def test_no_import_cycles() -> None:
    graph = nx.DiGraph()
    for module, targets in GRAPH.items():
        for target in targets:
            if target in GRAPH:
                graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles


def test_simulate_never_imports_the_renderer() -> None:
    for module, targets in GRAPH.items():
        if module.startswith("simulate"):
            bad = [t for t in targets if not t.startswith(("simulate", "errors"))]
            assert not bad, f"{module} imports {bad}"
