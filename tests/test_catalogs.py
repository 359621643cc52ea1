"""The gettext catalogs: every message id the code and the templates use is in the
template, and every language translates every one of them, not fuzzy, with the same
``{slots}``.

The ids used are not listed by hand: Babel's extraction (``babel.messages.extract``,
the machinery of ``pybabel extract``) finds them, with a method map kept here: Jinja's
own extractor for the templates, and for the Python code an extraction method that
reads the syntax tree (see :func:`python_calls`). The catalogs are read the one way the
editions read them, :func:`~sla_docs.editions.i18n.read_catalog`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from sla_docs.assets import templates_dir
from sla_docs.editions.i18n import read_catalog
from sla_docs.editions.words import model_words
from sla_docs.model.languages import LANGUAGES
from tests.conftest import ROOT

TRANSLATED = [language for language in LANGUAGES if language != "en"]
SLOT = re.compile(r"\{\w+\}")


def python_calls(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                 options: Mapping[str, Any]) -> Iterator[tuple[int, str, tuple[str | None, ...],
                                                                list[str]]]:
    """Babel's extraction method for Python, reading the syntax tree, not the tokens.

    Babel's own ``python`` method reads tokens: before Python 3.12 an f-string is one
    token, so a ``_("…")`` inside one goes unseen, and the literal head of a dynamic
    ``_("per " + period)`` is taken for a message. The tree has every call, wherever it
    sits: each call of a keyword (``_``, ``N_``, ``gettext``…, also as a method) yields
    its arguments, a literal string or ``None``, and Babel's keyword specs pick the
    message as they do for its own methods (a call with no literal message is a lookup
    of an id marked where it is defined, and yields none).
    """
    for node in ast.walk(ast.parse(fileobj.read())):
        if not isinstance(node, ast.Call):
            continue
        name = (node.func.id if isinstance(node.func, ast.Name) else
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
        if name in keywords:
            yield node.lineno, name, tuple(
                argument.value if isinstance(argument, ast.Constant)
                and isinstance(argument.value, str) else None for argument in node.args), []


METHODS = {
    ROOT / "sla_docs": [("**.py", python_calls)],
    templates_dir(): [("edition/**.j2", "jinja2.ext:babel_extract"),
                      ("report/**.j2", "jinja2.ext:babel_extract")],
}
"""Where the message ids are, and how Babel extracts them: the method map of each folder."""
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n"}}


@cache
def used_messages() -> dict[str, list[str]]:
    """Every message id the Python side and the templates ask the catalogs for, with
    where (``file:line``); the model's fixed words from its types."""
    found: dict[str, list[str]] = {}
    for folder, method_map in METHODS.items():
        for filename, line, message, _, _ in extract_from_dir(
                folder, method_map=method_map,  # type: ignore[arg-type]
                options_map=OPTIONS, keywords=DEFAULT_KEYWORDS):
            found.setdefault(str(message), []).append(f"{filename}:{line}")
    # values of the model's Literal types cannot be marked N_() where they are defined,
    # so their ids come from the types themselves
    for word in model_words():
        found.setdefault(word, []).append("sla_docs/model/types.py")
    return found


def template_ids() -> list[str]:
    return [str(m.id) for m in read_catalog(None) if m.id]


def test_the_extraction_finds_the_code_and_the_templates() -> None:
    """A guard on the method map: each kind of source yields the ids it is known to hold."""
    used = used_messages()
    for message, where in (("Purpose and scope", "render.py"), ("leads", "words.py"),
                           ("Page {page} of {pages}", "words.py"),
                           ("no change", "changes.py"), ("row {row}", "report.py"),
                           ("Goal line", "charts.py"), ("Inputs", "agreement.md.j2"),
                           ("Leads Sales follows up", "compute.py"),
                           ("handed off twice", "tally.py"),
                           ("Service level report", "report.html.j2")):
        assert any(Path(place).name.startswith(where) for place in used.get(message, [])), (
            message, where)


def test_every_message_used_is_in_the_template() -> None:
    missing = {message: where for message, where in used_messages().items()
               if message not in set(template_ids())}
    assert missing == {}


def test_the_template_holds_no_message_nobody_uses() -> None:
    """A word the code stopped using leaves the catalogs with it, so every entry a
    translator is asked to keep is one a reader can see."""
    assert sorted(set(template_ids()) - set(used_messages())) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_not_fuzzy_with_its_slots(language: str) -> None:
    catalog = {str(m.id): m for m in read_catalog(language) if m.id}
    for message in sorted(set(template_ids()) | set(used_messages())):
        entry = catalog.get(message)
        assert entry is not None and entry.string, (language, message)
        assert not entry.fuzzy, (language, message)
        assert sorted(SLOT.findall(str(entry.string))) == sorted(SLOT.findall(message)), (
            language, message)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_catalog_holds_a_message_the_template_does_not(language: str) -> None:
    stray = {str(m.id) for m in read_catalog(language) if m.id} - set(template_ids())
    assert sorted(stray) == []
