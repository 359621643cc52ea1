"""The figures written into texts: every ``{{ }}`` names a figure that exists, nothing else.

Texts without template syntax cost nothing here: Jinja is imported only when some text
of the agreement has ``{{``, ``{%`` or ``{#`` in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sla_docs.check.facts import Facts, dotted
from sla_docs.errors import Diagnostic, Position, line_col
from sla_docs.markdown import MAX_NESTING, nesting_depth, refused_images
from sla_docs.model.languages import LANGUAGES
from sla_docs.targets.formats import Plain


def figures_in_texts(facts: Facts) -> Iterator[Diagnostic]:
    """Each ``{{ }}`` in a text names a known figure, with a filter that can write it."""
    templated = [
        ((*path, lang), text)
        for path, value in facts.texts if isinstance(value, dict)
        for lang, text in value.items()
        if lang in LANGUAGES and isinstance(text, str) and "{" in text
    ]
    if not templated:
        return
    from sla_docs.targets import inject  # here: Jinja loads only for template syntax

    review = facts.data.get("review")
    dates = inject.agreement_dates(facts.data.get("effective_date"), review.get(
        "next_review") if isinstance(review, dict) else None)
    names = inject.context(facts.figures, dates) if facts.figures else None
    for path, text in templated:
        if not inject.is_templated(text):
            continue
        found = inject.problems(text, names)
        start = facts.source.positions.locate(path)
        for problem in found:
            diagnostic = facts.source.diagnostic(path, problem.code, problem.message,
                                                 hint=problem.hint)
            where = expression_position(facts.source.text, start, problem.expression or 0,
                                        problem.opener)
            yield dataclasses.replace(diagnostic, position=where) if where else diagnostic
        if not found and names is not None:
            try:  # the check above should leave nothing for this to find
                inject.render(text, names, Plain())
            except Exception as error:
                yield facts.error(path, "SLA227", f"`{dotted(path)}` cannot be written: {error}")


def images_in_texts(facts: Facts) -> Iterator[Diagnostic]:
    """An image in a text is embedded in it (``data:``); editions never fetch anything."""
    for path, value in facts.texts:
        if not isinstance(value, dict):
            continue
        for lang, text in value.items():
            if not (isinstance(text, str) and "![" in text):
                continue
            start = facts.source.positions.locate((*path, lang))
            for source in refused_images(text):
                shown = source if len(source) <= 60 else source[:57] + "…"
                diagnostic = facts.error((*path, lang), "SLA228", f"image `{shown}` would be "
                                         "fetched while the editions are rendered",
                                         hint="embed the picture as a data: URI "
                                         "(data:image/png;base64,…), or remove it")
                where = expression_position(facts.source.text, start, 0, source) if source else None
                yield dataclasses.replace(diagnostic, position=where) if where else diagnostic


def nesting_in_texts(facts: Facts) -> Iterator[Diagnostic]:
    """A text nests no deeper than any prose does, so every edition can be laid out."""
    for path, value in facts.texts:
        for lang, text in value.items() if isinstance(value, dict) else ():
            if isinstance(text, str) and (depth := nesting_depth(text)) > MAX_NESTING:
                yield facts.error((*path, lang), "SLA229", f"`{dotted((*path, lang))}` nests "
                                  f"lists, quotes or emphasis {depth} levels deep",
                                  hint=f"at most {MAX_NESTING}: flatten it")


def expression_position(text: str, start: Position, index: int,
                        opener: str = "{{") -> Position | None:
    """Where the ``index``-th ``opener`` after ``start`` is in the file's ``text``."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: start.line - 1]) + start.column - 1
    for _ in range(index + 1):
        offset = text.find(opener, offset)
        if offset < 0:
            return None
        offset += len(opener)
    return Position(*line_col(text, offset - len(opener)))
