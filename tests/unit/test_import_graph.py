"""No import cycles between the modules of ``shopsync``, ``shopsync_glue`` and the rest.

Every import counts, wherever it stands: at module level, inside a function, or under
``if TYPE_CHECKING:``. Hiding a cycle there still couples the two modules both ways. An import
names the deepest module it reaches: ``from shopsync.shopify import CostBucket`` is an edge to
``shopsync.shopify``, ``from . import config`` one to the ``config`` submodule. Parent packages
that Python initialises on the way are not edges. A cycle is broken with a module both sides
import (one that imports neither) or by passing what one side needs as an argument.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

#: Top-level package name -> its directory.
PACKAGES: dict[str, Path] = {
    "shopsync": REPO_ROOT / "services" / "shopsync",
    "shopsync_simulator": REPO_ROOT / "services" / "shopsync_simulator",
    "shopsync_glue": REPO_ROOT / "glue" / "shopsync_glue",
    "shopsync_chaos": REPO_ROOT / "services" / "shopsync_chaos",
}

Graph = dict[str, set[str]]


def find_modules(packages: Mapping[str, Path]) -> dict[str, Path]:
    """Dotted module name -> source file, for every ``.py`` file under the packages."""
    modules: dict[str, Path] = {}
    for name, root in packages.items():
        for path in sorted(root.rglob("*.py")):
            parts = [name, *path.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _deepest_module(name: str, modules: Mapping[str, Path]) -> str | None:
    """``name`` itself if it is a module, else the module it lies in (``pkg.mod.attr`` ->
    ``pkg.mod``); None for names outside the packages."""
    while name not in modules:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Absolute dotted names an import statement refers to (modules or attributes of them)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [base if alias.name == "*" else f"{base}.{alias.name}" for alias in node.names]


def import_graph(modules: Mapping[str, Path]) -> Graph:
    """Module -> the modules (of ``modules``) it imports anywhere in its source."""
    graph: Graph = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported_names(node, module, is_package):
                    target = _deepest_module(name, modules)
                    if target is not None and target != module:
                        targets.add(target)
        graph[module] = targets
    return graph


def strongly_connected_components(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit); each component sorted."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    for root in sorted(graph):
        if root in index:
            continue
        index[root] = lowlink[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            else:  # every successor done: close ``node``
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
                if lowlink[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def import_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other (components of more than one module),
    smallest first."""
    cycles = [c for c in strongly_connected_components(graph) if len(c) > 1]
    return sorted(cycles, key=lambda c: (len(c), c))


@pytest.fixture(scope="module")
def package_graph() -> Graph:
    return import_graph(find_modules(PACKAGES))


def test_the_packages_have_no_import_cycles(package_graph: Graph) -> None:
    cycles = import_cycles(package_graph)
    listing = "\n".join(f"  {', '.join(cycle)}" for cycle in cycles)
    assert not cycles, (
        "modules that import each other, directly or through others "
        f"(break each cycle with a leaf module or an argument):\n{listing}"
    )


def test_the_graph_covers_both_packages(package_graph: Graph) -> None:
    """Guards the test above against passing on an empty graph (moved directories)."""
    assert "shopsync.extract.session" in package_graph["shopsync.extract.service"]
    assert "shopsync.lake.manifest" in package_graph["shopsync_glue.job"]


def test_only_the_cli_starts_the_simulator(package_graph: Graph) -> None:
    """The simulator is a test and demo tool: product code never imports it; the CLI's
    ``sync``, ``demo`` and ``simulator`` commands are where it is started (and the chaos
    suite, itself a test tool, which nothing of the product imports)."""
    importers = sorted(
        module
        for module, targets in package_graph.items()
        if not module.startswith(("shopsync_simulator", "shopsync_chaos"))
        and any(t.startswith("shopsync_simulator") for t in targets)
    )
    assert not [
        module
        for module, targets in package_graph.items()
        if not module.startswith("shopsync_chaos")
        and any(t.startswith("shopsync_chaos") for t in targets)
    ]
    assert importers == ["shopsync.cli.demo", "shopsync.cli.simulator", "shopsync.cli.sync"]


def _cycles_in(packages: Mapping[str, Path]) -> list[list[str]]:
    return import_cycles(import_graph(find_modules(packages)))


def _write_package(root: Path, files: Mapping[str, str]) -> None:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    "back_edge",
    [
        "import pkg.a",
        "from pkg.a import THING",
        "from . import a",
        "from .a import THING",
        "from pkg import a as alias",
        "def late() -> None:\n    from pkg.a import THING",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import THING",
    ],
    ids=["import", "from", "relative-submodule", "relative", "from-package", "function", "typing"],
)
def test_the_detector_finds_a_cycle_however_it_is_imported(tmp_path: Path, back_edge: str) -> None:
    _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "",
            "a.py": "from pkg.sub import b\nTHING = 1\n",
            "sub/__init__.py": "",
            "sub/b.py": "from ..c import helper\n",
            "c.py": back_edge + "\ndef helper() -> None: ...\n",
            "leaf.py": "import os\nfrom pkg import a\n",
        },
    )
    assert _cycles_in({"pkg": tmp_path / "pkg"}) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_the_detector_reports_each_cycle_on_its_own(tmp_path: Path) -> None:
    _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "from . import one\n",
            "one.py": "from . import two\n",
            "two.py": "from . import one, three\n",
            "three.py": "from .four import x\n",
            "four.py": "from .three import y\n",
        },
    )
    assert _cycles_in({"pkg": tmp_path / "pkg"}) == [
        ["pkg.four", "pkg.three"],
        ["pkg.one", "pkg.two"],
    ]


def test_a_chain_and_outside_imports_are_no_cycle(tmp_path: Path) -> None:
    _write_package(
        tmp_path / "pkg",
        {
            "__init__.py": "from .a import run\n",
            "a.py": "from . import b\ndef run() -> None: ...\n",
            "b.py": "import json\nfrom .c import C\n",
            "c.py": "import os.path\nfrom shopsync import settings\nC = 1\n",
        },
    )
    assert _cycles_in({"pkg": tmp_path / "pkg"}) == []
