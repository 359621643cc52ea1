"""Only sla_docs/library_internals.py reaches into other libraries' internals.

The scan is by name, not by type: Python's AST does not say whose object ``x`` is in
``x._y``. So an attribute whose name starts with one underscore counts as the project's
own only when the project itself defines that name (a function, class or global of a
module, a class attribute, or an attribute set on ``self``/``cls``); anything else is
a library's private name. The names the adapter is known to touch are never the
project's own, not even on ``self`` (a subclass of ``ProcessPoolExecutor`` reading
``self._processes`` still reaches into the library). Importing a private name, or from
a private module, of a library counts too. What the scan cannot see: a library's
private name that happens to equal one the project defines, and undocumented but
public-looking attributes (``box.children``): those are kept to the adapter by review,
and the adapter's own tests below check them against the installed libraries.
"""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

from sla_docs import library_internals
from tests.conftest import ROOT

PACKAGE = ROOT / "sla_docs"
ADAPTER = PACKAGE / "library_internals.py"
KNOWN = frozenset({"_page_box", "_processes", "_call_queue", "_reader"})
"""The libraries' private names the adapter touches: nowhere else, not even on self."""
ACCESSORS = frozenset({"getattr", "setattr", "hasattr", "delattr"})
REACHED_INTO = ("weasyprint", "pydyf", "pyhanko", "ruamel.yaml")
"""The libraries whose internals the adapter touches, or whose 0.x API beyond the
documented surface we use (pyHanko's validation, ruamel's node tree): capped in
pyproject.toml."""


def private(name: str) -> bool:
    """``_x`` and ``__x``, but not ``__init__``: dunders are Python's, not private."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(paths: list[Path]) -> frozenset[str]:
    """Every private name the project defines, so that using it is not reaching in."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                    and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                names.add(node.attr)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
    return frozenset(name for name in names if private(name)) - KNOWN


def private_accesses(source: str, own: frozenset[str]) -> list[str]:
    """Each reach into a library's private names in ``source``, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ACCESSORS and len(node.args) > 1 \
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            name = node.args[1].value
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] != "sla_docs":
            parts = [*node.module.split("."), *(alias.name for alias in node.names)]
            name = next((part for part in parts if private(part) and part != "__future__"),
                        None)
        elif isinstance(node, ast.Import):
            parts = [part for alias in node.names for part in alias.name.split(".")]
            name = next((part for part in parts if private(part)), None)
        if name is not None and private(name) and (name in KNOWN or name not in own):
            found.append(f"{getattr(node, 'lineno', '?')}: {name}")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))
OWN = own_private_names(MODULES)


def test_only_the_adapter_touches_library_internals() -> None:
    found = {path.relative_to(ROOT).as_posix(): accesses for path in MODULES
             if path != ADAPTER
             and (accesses := private_accesses(path.read_text("utf-8"), OWN))}
    assert found == {}, "go through sla_docs/library_internals.py"


def test_the_adapter_touches_exactly_the_known_names() -> None:
    """The scan finds them in real code, and KNOWN names nothing the adapter dropped."""
    found = private_accesses(ADAPTER.read_text("utf-8"), OWN)
    assert sorted({access.split(": ")[1] for access in found}) == sorted(KNOWN)


def test_the_scan_sees_each_way_of_reaching_in() -> None:
    """The test above can fail: each of these lines, in any other module, would fail it."""
    reaching = {
        "page._page_box": "_page_box",
        "pdf._objects.append(x)": "_objects",
        "for p in getattr(pool, '_processes', {}).values(): pass": "_processes",
        "self._processes.clear()": "_processes",  # a subclass of the library's class
        "self._allowed_protocols = None": "_allowed_protocols",  # not the project's own
        "from weasyprint.layout import _internal": "_internal",
        "from pyhanko.pdf_utils._saslprep import x": "_saslprep",
        "import pydyf._core": "_core",
    }
    for line, name in reaching.items():
        assert [access.split(": ")[1] for access in private_accesses(line, OWN)] == [name], line
    own_use = ("self._pool.shutdown()\nself._printed = []\n_figure(1, 2)\n"
               "module._shipped_fonts()\nobj.__class__\nfrom __future__ import annotations")
    assert private_accesses(own_use, OWN) == []


def test_the_libraries_reached_into_are_capped_and_installed_within_the_caps() -> None:
    declared = {Requirement(text).name.lower(): Requirement(text) for text in tomllib.loads(
        (ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]}
    for name in REACHED_INTO:
        requirement = declared[name]
        assert any(spec.operator == "<" for spec in requirement.specifier), name
        assert requirement.specifier.contains(version(name)), (name, version(name))


def test_pydyf_pages_are_found_in_its_page_array() -> None:
    import pydyf

    pdf = pydyf.PDF()
    pages = [pydyf.Dictionary({"Type": "/Page"}) for _ in range(3)]
    for page in pages:
        pdf.add_page(page)
    assert [id(page) for page in library_internals.page_dictionaries(pdf)] == \
        [id(page) for page in pages]
    assert library_internals.catalog(pdf)["Type"] == "/Catalog"


def test_weasyprint_boxes_give_an_elements_border_box() -> None:
    from weasyprint import HTML

    document = HTML(string='<p>Agreement</p><div id="block"><p class="line" style="margin: 0; '
                           'width: 90px; height: 20px; border: 5px solid"></p></div>').render()
    page = document.pages[0]
    block = next(box for box in library_internals.boxes(library_internals.page_box(page))
                 if library_internals.element_attribute(box, "id") == "block")
    line = next(box for box in library_internals.boxes(block)
                if library_internals.element_attribute(box, "class") == "line")
    left, top = page.anchors["block"][:2]  # public: where the block starts, in CSS pixels
    assert library_internals.border_box(line) == (left, top, 100, 30)  # borders included
