"""The house rules, read from the source: three layers with arrows only downward, no import
cycles, short functions, and a repository that only points at itself.

Layers (``docs/architecture.md``): the engine (``sim.model``, ``sim.config`` and the
support modules ``sim.rng``, ``sim.metrics``, ``sim.units``) ← the analysis
(``sim.analysis``) ← the application (``sim.app``) ← the command entry points at the top
of the package (``sim.__main__``, ``sim.collect``, ``sim.report``). A module may import
its own layer and the layers below it, never one above.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "sim"
ENGINE_SUPPORT = {"sim.rng", "sim.metrics", "sim.units"}
RANKS = {"engine": 0, "analysis": 1, "app": 2, "entry": 3}
# Third-party packages a layer must not use: the engine is a pure function of its config.
FORBIDDEN = {
    "engine": {"hydra", "omegaconf", "matplotlib", "tqdm", "optuna", "markdown", "pandas"},
    "analysis": {"hydra", "omegaconf", "tqdm"},
}
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    if module.startswith(("sim.model", "sim.config")) or module in ENGINE_SUPPORT:
        return "engine"
    if module.startswith("sim.analysis"):
        return "analysis"
    if module.startswith("sim.app"):
        return "app"
    return "entry"  # sim, sim.__main__, and the command shims


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Is ``node`` inside an ``if TYPE_CHECKING:`` block (an import for annotations only)?"""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, for typing only) for every import in a file."""
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            found.append((name, node.lineno, _type_checking_only(node, parents)))
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))
GRAPH = {module_name(p): imports(p) for p in SOURCES}


def test_the_package_has_the_three_layers():
    layers = {layer(m) for m in GRAPH}
    assert layers == set(RANKS)
    assert {m for m in GRAPH if layer(m) == "entry"} == {
        "sim",
        "sim.__main__",
        "sim.collect",
        "sim.report",
        "sim.staffing",
        "sim.fit",
    }


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_only_downward(module: str):
    rank = RANKS[layer(module)]
    upward = [
        f"{module}:{line} imports {name} ({layer(name)})"
        for name, line, _ in GRAPH[module]
        if name.startswith("sim.") and RANKS[layer(name)] > rank
    ]
    forbidden = [
        f"{module}:{line} imports {name}"
        for name, line, _ in GRAPH[module]
        if name.split(".")[0] in FORBIDDEN.get(layer(module), set())
    ]
    assert not upward + forbidden


def _target(name: str) -> str | None:
    """The module an import of ``name`` loads (``sim.config.X`` may name a package)."""
    while name and name not in GRAPH:
        name = name.rpartition(".")[0]
    return name or None


def test_no_import_cycles():
    """Not even through imports for annotations only: a circle of types is a circle of
    concepts (the pool knows its agents; agents know only a ``Team``)."""
    edges = {
        module: {
            target
            for name, _, _ in found
            if name.startswith("sim")
            if (target := _target(name)) is not None and target != module
        }
        for module, found in GRAPH.items()
    }
    # A package's __init__ re-exporting its modules is not a cycle with them.
    for module in edges:
        edges[module] = {t for t in edges[module] if not module.startswith(f"{t}.")}
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles


def test_no_function_is_longer_than_sixty_lines():
    long = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} {lines}")
    assert not long


OUTSIDE = re.compile(r"\.\./shared|DESIGN|REFERENCES\.md|\bissue [0-9]|\bseeds? 00[0-9]")


def test_the_repository_only_points_at_itself():
    """Code, docs and README cite ``docs/…``, scenarios and published sources; a reader of
    the repository has nothing outside it."""
    files = [*SOURCES, *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not hits


MAX_ANALYSIS_MODULES = 8


def test_the_analysis_layer_is_folders_named_by_concept():
    """Beside its subpackages the analysis layer keeps a handful of modules (theory, the
    reference profile, the metric registry): a newcomer sees its concepts in one ``ls``."""
    top = sorted(p.name for p in (PACKAGE / "analysis").glob("*.py"))
    packages = sorted(p.parent.name for p in (PACKAGE / "analysis").glob("*/__init__.py"))
    assert len(top) <= MAX_ANALYSIS_MODULES, top
    assert {"statistics", "planning", "uncertainty", "reporting", "fitting", "plots"} <= set(
        packages
    )


def test_private_apis_stay_behind_one_door():
    """Hydra's ``_internal`` in one module (``sim/app/hydra_internals.py``, with its own
    test); no SimPy event's private ``_value`` anywhere."""
    internal = sorted(
        {module for module, found in GRAPH.items() for name, _, _ in found if "._internal" in name}
    )
    assert internal == ["sim.app.hydra_internals"]
    private_value = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "._value" in line
    ]
    assert not private_value
