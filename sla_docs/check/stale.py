"""Stale translations: the texts whose source-language text changed since a revision while
a translation did not, or whose translation changed while the source did not.

Both versions are compared as loaded (:class:`~sla_docs.source.load.Source`), so a base
that no longer validates is still compared, and every finding has its place in the
current file. A text is found at the same place in both: under the same keys, and in a
list under the item with the same ``id`` (an entry of ``revisions:`` by its ``version``),
so an item inserted before it changes nothing; an item without one (a qualification
criterion, a cancellation condition), or whose id changed, is the item of the old list
that had one of its texts word for word. A text absent at the base is new, never stale;
so is a language the base did not have it in. Texts are compared as parsed, with runs
of white space counted as one: re-wrapping a folded YAML block, re-indenting it or
moving a line break is not a change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sla_docs.check.facts import dotted
from sla_docs.errors import Diagnostic, Position, Severity
from sla_docs.model.agreement import Agreement
from sla_docs.model.languages import LANGUAGES, Language, source_language
from sla_docs.model.walk import walk
from sla_docs.source.load import Source, YamlPath


@dataclass(frozen=True)
class StaleText:
    """A text whose languages no longer changed together since the base revision."""

    path: YamlPath
    """Where the text stands in the current file (``("follow_up", "notes")``,
    ``("goals", 2, "metric")``)."""
    source_language: Language
    """The language texts are translated from (the current file's)."""
    changed: tuple[Language, ...]
    """The languages whose text changed since the base, in the order of ``languages``."""
    not_updated: tuple[Language, ...]
    """The languages whose text did not (the source among them when only translations
    changed)."""
    position: Position
    """Where the changed language's key is in the current file: the source language's
    when it changed, else the first changed translation's (the line a pull request's
    diff shows)."""

    @property
    def source_changed(self) -> bool:
        """True when the source-language text changed and translations did not (SLA420);
        False when translations changed and the source did not (SLA421)."""
        return self.source_language in self.changed

    @property
    def to_review(self) -> tuple[Language, ...]:
        """The translations a translator should look at again: those not updated after
        the source changed, or those changed while the source did not."""
        return self.not_updated if self.source_changed else self.changed


def stale_translations(current: Source, base: Source) -> tuple[StaleText, ...]:
    """Every text of ``current`` whose source-language text and translations did not
    change together since ``base`` (the same file at an earlier revision), in file order.

    The source language and the languages compared are ``current``'s (a language the
    base's text lacks is new, not stale). Neither file need be valid: what cannot be
    compared (a text that became a list, a file without languages) is skipped.
    """
    source = source_language(current.data.get("source_language"),
                             current.data.get("languages"))
    if source is None:
        return ()
    declared = _declared(current.data.get("languages"))
    found: list[StaleText] = []
    for path, after, before, _ in _counterparts(current, base):
        if isinstance(before, dict):
            stale = _compare(before, after, source, declared)
            if stale is not None:  # at the line that changed: a pull request's diff has it
                changed = stale[0]
                language = source if source in changed else changed[0]
                found.append(StaleText(path, source, *stale, current.positions.locate(
                    (*path, language), at_key=True)))
    return tuple(sorted(found, key=lambda text: text.position))


def incomparable_texts(current: Source, base: Source) -> list[tuple[YamlPath, Position]]:
    """The texts of ``current`` that :func:`stale_translations` skips because ``base``
    has something else in their place: a list, a plain string, or a source-language text
    that is not a string. Each with where that stands in ``base``, in file order."""
    source = source_language(current.data.get("source_language"),
                             current.data.get("languages"))
    if source is None:
        return []
    found = []
    for path, _, before, base_path in _counterparts(current, base):
        if before is None or (isinstance(before, dict)
                              and isinstance(before.get(source), str | None)):
            continue  # new since the base, or comparable
        at = (*base_path, source) if isinstance(before, dict) else base_path
        found.append((path, base.positions.locate(at)))
    return found


def _counterparts(current: Source, base: Source
                  ) -> Iterator[tuple[YamlPath, dict[Any, Any], Any, YamlPath]]:
    """Each text of ``current`` written per language: its path, its value, the value at
    its place in ``base`` (None when it has none) and that place's path."""
    matcher = _Matcher()
    for visit in walk(Agreement, current.data):
        if visit.marker is not None or not isinstance(visit.value, dict):
            continue
        before, base_path = matcher.counterpart(current.data, base.data, visit.path)
        yield visit.path, visit.value, before, base_path


def stale_diagnostics(current: Source, base: Source, revision: str) -> list[Diagnostic]:
    """A warning for each stale text (SLA420, SLA421), at its place in ``current``."""
    found = []
    for text in stale_translations(current, base):
        where = f"`{dotted(text.path)}`"
        changed = ", ".join(text.changed)
        if text.source_changed:
            found.append(_warning(current, text, "SLA420",
                                  f"{where}: {changed} changed since {revision}; "
                                  f"{', '.join(text.not_updated)} not updated",
                                  f"translate the new {text.source_language} text, or "
                                  "check that each translation still says the same"))
        else:
            found.append(_warning(current, text, "SLA421",
                                  f"{where}: {changed} changed since {revision} while the "
                                  f"source text ({text.source_language}) did not",
                                  f"check that the {text.source_language} text says what "
                                  f"the new {changed} text says, and change it if not"))
    return found


def _warning(current: Source, text: StaleText, code: str, message: str,
             hint: str) -> Diagnostic:
    return Diagnostic(current.path, text.position, Severity.WARNING, code, message,
                      hint=hint, yaml_path=text.path)


def _declared(languages: object) -> tuple[Language, ...]:
    """The languages compared: those ``languages`` declares, or every one when it is not
    a list (the model reports that)."""
    if not isinstance(languages, list):
        return LANGUAGES
    return tuple(lang for lang in LANGUAGES if lang in languages)


def _compare(before: dict[Any, Any], after: dict[Any, Any], source: Language,
             declared: tuple[Language, ...]
             ) -> tuple[tuple[Language, ...], tuple[Language, ...]] | None:
    """The languages changed and not, when they did not change together; else None."""
    both = [lang for lang in declared
            if isinstance(before.get(lang), str) and isinstance(after.get(lang), str)]
    if source not in both:  # nothing to translate from at one end: the text is new
        return None
    changed = tuple(lang for lang in both if _words(before[lang]) != _words(after[lang]))
    kept = tuple(lang for lang in both if lang not in changed)
    if not changed or not kept:  # all changed together, or none did
        return None
    return changed, kept


def _words(text: str) -> str:
    """A text as compared: runs of white space as one space, none at the ends."""
    return " ".join(text.split())


class _Matcher:
    """Finds, for a place in the current document, the same place in the base, matching
    list items by what names them; each list's matching is worked out once."""

    def __init__(self) -> None:
        self._lists: dict[YamlPath, dict[int, int]] = {}

    def counterpart(self, current: Any, base: Any, path: YamlPath) -> tuple[Any, YamlPath]:
        """The value at ``path``'s place in ``base`` (None when it has none), and the
        path of that place in ``base``."""
        at: list[str | int] = []
        for depth, step in enumerate(path):
            if isinstance(step, str):
                if not isinstance(current, dict) or not isinstance(base, dict) \
                        or step not in base:
                    return None, tuple(at)
                current, base = current.get(step), base[step]
                at.append(step)
                continue
            if not isinstance(current, list) or not isinstance(base, list):
                return None, tuple(at)
            where = path[:depth]
            if where not in self._lists:
                self._lists[where] = _match_items(current, base)
            index = self._lists[where].get(step)
            if index is None:
                return None, tuple(at)
            current, base = current[step], base[index]
            at.append(index)
        return base, tuple(at)


def _match_items(current: list[Any], base: list[Any]) -> dict[int, int]:
    """Each current item's index in ``base``: the item with its name (``id``, or
    ``version``); else an unmatched one that has one of its texts word for word, at the
    same index when that one does."""
    named: dict[tuple[str, str], int] = {}
    for index, item in enumerate(base):
        name = _name(item)
        if name is not None:
            named.setdefault(name, index)
    matched: dict[int, int] = {}
    for index, item in enumerate(current):
        name = _name(item)
        if name is not None and name in named:
            matched[index] = named.pop(name)  # a name twice (SLA207) matches once
    taken = set(matched.values())
    base_texts = [set(_texts(item)) if i not in taken else set() for i, item in enumerate(base)]
    holding: dict[tuple[YamlPath, str], deque[int]] = {}  # a text → the base items with it
    for index, texts in enumerate(base_texts):
        for text in texts:
            holding.setdefault(text, deque()).append(index)
    for index, item in enumerate(current):
        if index in matched:
            continue
        own = set(_texts(item))
        if index < len(base) and index not in taken and own & base_texts[index]:
            chosen: int | None = index
        else:
            chosen = min((_first_free(holding[text], taken) for text in own if text in holding),
                         key=lambda found: len(base) if found is None else found, default=None)
        if chosen is not None:
            matched[index] = chosen
            taken.add(chosen)
    return matched


def _first_free(indices: deque[int], taken: set[int]) -> int | None:
    """The first of ``indices`` not taken; those taken are dropped on the way, so a long
    list of items with one text is walked once, not once per item."""
    while indices and indices[0] in taken:
        indices.popleft()
    return indices[0] if indices else None


def _name(item: Any) -> tuple[str, str] | None:
    """What names a list item: its ``id``, or (an entry of ``revisions:``) its version."""
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("id"), str):
        return ("id", item["id"])
    if "version" in item and item["version"] is not None:
        return ("version", str(item["version"]))
    return None


def _texts(value: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, str]]:
    """Every text in a language inside ``value``, with where it stands in it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and key in LANGUAGES:
                yield (*path, key), _words(item)
            else:
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
