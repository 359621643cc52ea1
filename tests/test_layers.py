"""The package's layers: each capability imports only from the layers below it, no cycle.

Every import counts, at the top of a module, inside a function or under
``TYPE_CHECKING``: a cycle that only works because an import sits in a function is still
a cycle, and one top-level import away from a command that no longer starts.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "sla_docs"
LEAVES = frozenset({"sla_docs", "errors", "assets", "files", "markdown", "durations",
                    "exact_json", "message_ids", "library_internals", "typography",
                    "input_files"})
"""The leaf helpers, which know nothing of agreements; they may use each other."""
LAYERS: tuple[frozenset[str], ...] = (
    LEAVES,
    frozenset({"source"}),
    frozenset({"model"}),
    frozenset({"targets"}),
    frozenset({"check"}),
    frozenset({"editions"}),
    frozenset({"revisions", "signing", "reports", "init", "translations"}),
    frozenset({"cli_translations"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)
"""Lowest first. A module may import its own capability and any capability of a lower
layer; capabilities of one layer (``signing`` and ``reports``) never import each other.
The first layer is the leaf helpers."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def capability(module: str) -> str:
    """``sla_docs.editions.render`` → ``editions``; ``sla_docs`` → ``sla_docs``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer(module: str) -> int:
    name = capability(module)
    return next(index for index, names in enumerate(LAYERS) if name in names)


def imports(module: str) -> Iterator[tuple[int, str]]:
    """Each project module ``module`` imports, with the line, wherever the import is."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sla_docs":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "sla_docs":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield node.lineno, submodule if submodule in MODULES else node.module


GRAPH = {module: {target for _, target in imports(module)} - {module} for module in MODULES}


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in MODULES if not any(capability(m) in names for names in LAYERS))
    assert unplaced == []


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import of ``graph`` that goes up a layer, or across to a sibling capability."""
    return [f"{module} imports {target}" for module in sorted(graph)
            for target in sorted(graph[module])
            if capability(target) != capability(module) and layer(target) >= layer(module)
            and not {capability(target), capability(module)} <= LEAVES]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: any with two modules or more is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_imports_go_down_the_layers() -> None:
    assert violations(GRAPH) == []


def test_no_import_cycle() -> None:
    assert cycles(GRAPH) == []


def test_no_relative_import() -> None:
    """Every import names its module in full, so the checks above see all of them."""
    relative = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in MODULES.values()
                for node in ast.walk(ast.parse(path.read_text("utf-8")))
                if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert relative == []


def test_packages_import_nothing_on_import() -> None:
    """A package's ``__init__`` only documents it, so importing one module of a package
    never drags in its siblings (nor a cycle through them)."""
    busy = [module for module, path in MODULES.items()
            if path.name == "__init__.py" and module != "sla_docs" and GRAPH[module]]
    assert busy == []


def test_the_checks_see_a_cycle_and_an_upward_import() -> None:
    """The tests above can fail: one import added from source to check is both."""
    broken = {module: set(targets) for module, targets in GRAPH.items()}
    broken["sla_docs.source.load"].add("sla_docs.check.validate")
    assert violations(broken) == ["sla_docs.source.load imports sla_docs.check.validate"]
    assert any("sla_docs.source.load" in cycle for cycle in cycles(broken))
    sideways = {module: set(targets) for module, targets in GRAPH.items()}
    sideways["sla_docs.reports.report"].add("sla_docs.signing.sign")
    assert violations(sideways) == ["sla_docs.reports.report imports sla_docs.signing.sign"]


def unexplained_late_imports(path: Path) -> list[str]:
    """Imports inside functions with no comment saying why: on the line, or on the line
    just above the block of imports it belongs to."""
    lines = path.read_text("utf-8").splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            row = node.lineno - 1
            while row > 0 and lines[row - 1].lstrip().startswith(("import ", "from ")):
                row -= 1  # the first import of the block
            above = lines[row - 1].strip() if row > 0 else ""
            if "#" not in lines[node.end_lineno - 1 if node.end_lineno else row] \
                    and not above.startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_an_import_inside_a_function_says_why() -> None:
    """Late imports are for start-up time (a command loads only what it uses); each says
    what it spares, so one that spares nothing is seen and moved to the top."""
    found = [where for path in sorted(MODULES.values()) for where in
             unexplained_late_imports(path)]
    assert found == []
