"""The prose texts a translator works on, and the figures in them they must keep.

The texts are those the model declares as :class:`~sla_docs.model.types.Text`, found by
the same walk the checks use (:func:`sla_docs.model.walk.walk`), so a text added to the
model is exported without a change here. A text is named by its YAML path written as
the checks write it (``goals[0].metric``): the PO file's ``msgctxt`` and the XLIFF
unit's ``id``, so two equal English texts at two places stay two entries.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sla_docs.check.facts import dotted
from sla_docs.model.agreement import Agreement
from sla_docs.model.walk import walk
from sla_docs.source.load import Source, YamlPath

_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
"""Anything Jinja would read in a text: a figure (``{{ targets.leads }}``), and the
statements and comments validation refuses, so that a translation cannot add one."""


@dataclass(frozen=True)
class ProseText:
    """One prose text of an agreement, in the source language and in one translation."""

    path: YamlPath
    """Where the text stands (its mapping of languages), e.g. ``("goals", 0, "metric")``."""
    context: str
    """The path as a reader writes it, ``goals[0].metric``: the entry's name in the files."""
    source: str
    """The text in the source language."""
    translation: str
    """The text in the language translated into."""
    line: int
    """The line of the translation in the YAML file."""
    source_line: int
    """The line of the source-language text in the YAML file."""


def prose_texts(source: Source, agreement: Agreement, language: str) -> list[ProseText]:
    """Every prose text of a valid agreement, in file order, with its ``language`` text."""
    source_language = agreement.original_language
    found: list[ProseText] = []
    for visit in walk(Agreement, source.data):
        if visit.marker is not None or not isinstance(visit.value, dict):
            continue
        original, translation = visit.value.get(source_language), visit.value.get(language)
        if isinstance(original, str) and isinstance(translation, str):
            line = source.positions.locate((*visit.path, language)).line
            source_line = source.positions.locate((*visit.path, source_language)).line
            found.append(ProseText(visit.path, dotted(visit.path), original, translation,
                                   line, source_line))
    return found


def placeholders(text: str) -> list[str]:
    """The figures (and any other Jinja syntax) in ``text``, in order."""
    return _PLACEHOLDER.findall(text)


def placeholder_difference(source: str, translation: str) -> str | None:
    """What a translation does to the source's placeholders, in words; None when it keeps
    each one exactly as written, as many times (in any order: languages order words
    differently)."""
    wanted, written = Counter(placeholders(source)), Counter(placeholders(translation))
    if wanted == written:
        return None
    missing = list((wanted - written).elements())
    extra = list((written - wanted).elements())
    parts = ([f"missing {', '.join(f'`{p}`' for p in missing)}"] if missing else []) + \
        ([f"not in the source {', '.join(f'`{p}`' for p in extra)}"] if extra else [])
    return "; ".join(parts)
