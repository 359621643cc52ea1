"""What changed between two versions of an agreement, in the agreement's own terms.

Two kinds of line: a field of the source that changed (labelled by its section's
heading in the reader's language, then its keys), and a target that moved as a
consequence (labelled as the appendix labels it, written for the locale): "Sales
quota: 5.000 € → 6.000 €" and "Leads Marketing generates: 100 → 120". Lists whose items
have ids are compared item by item, so a reordered list is "order changed", not "everything
changed"; a section that disappears under one key and appears under another is one
removal and one addition, each named.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from babel import Locale
from babel.lists import format_list

from sla_docs.check.stale import StaleText
from sla_docs.editions.i18n import edition_locale, translator
from sla_docs.editions.render import SECTIONS
from sla_docs.exact_json import dumps
from sla_docs.markdown import escape_text
from sla_docs.message_ids import N_, per_id
from sla_docs.model.agreement import Agreement
from sla_docs.targets.compute import WORKING_DAY, agreement_targets
from sla_docs.targets.formats import Localized
from sla_docs.typography import typeset

ChangeFormat = Literal["text", "markdown", "json"]
Kind = Literal["changed", "added", "removed", "reordered"]
SEPARATOR = " \u203a "
"""Between a section's heading and the keys below it: a single right angle quote."""
KEY_LABELS = {"id": N_("Agreement"), "title": N_("Title"), "version": N_("Version"),
              "effective_date": N_("Effective date"), "review": N_("Next review"),
              "languages": N_("Language"), "source_language": N_("Source language"),
              "prevailing_language": N_("Prevailing language"),
              "signatories": N_("Signatures"), "name": N_("Name"),
              "inputs": N_("Inputs"), **{key: title for key, title in SECTIONS if title}}
"""English labels of the top-level keys; the catalogs translate them."""
SHOWN_AS_TARGETS = {("follow_up", "first_contact_within"), ("follow_up", "attempts"),
                    ("follow_up", "over_days")}
"""Fields that are figures of the targets too (with ``inputs``): listed there, once."""
LONGEST = 160
"""Longer values are cut, with an ellipsis: the change list is a summary."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions."""

    where: str
    """The section's heading and the keys below it (``Sales follow-up / attempts``)."""
    kind: Kind
    """Changed, added, removed, or the same items in another order."""
    old: str
    """The value before, written for the reader's locale ('' when added)."""
    new: str
    """The value after ('' when removed)."""
    path: tuple[str | int, ...]
    """The YAML path, for machines; empty for a target."""
    target: bool = False
    """Whether this is a computed target (or one of its inputs) rather than a field."""


def changes(old: Agreement, new: Agreement, old_data: dict[str, Any],
            new_data: dict[str, Any], language: str) -> list[Change]:
    """Every field that changed, then every target that moved, for ``language``."""
    words = _Words(new, language)
    fields = [change for change in _walk(old_data, new_data, (), words)
              if change.path[:1] != ("inputs",) and change.path[:2] not in SHOWN_AS_TARGETS]
    return fields + _target_changes(old, new, words)


class _Words:
    """Labels and values written for one reader."""

    def __init__(self, agreement: Agreement, language: str) -> None:
        self.language = language
        self.gettext = translator(language)
        self.write = Localized(edition_locale(agreement, language), agreement.currency)

    def where(self, path: tuple[str | int, ...]) -> str:
        head = str(path[0])
        parts = [self.gettext(KEY_LABELS.get(head, head.replace("_", " ")))]
        parts += [str(key).replace("_", " ") if isinstance(key, str) else f"#{key + 1}"
                  for key in path[1:]]
        return SEPARATOR.join(parts)

    def value(self, value: Any, *, cut: bool = True) -> str:
        if isinstance(value, dict) and self.language in value and all(
                isinstance(v, str) for v in value.values()):
            value = value[self.language]  # a text in each language: the reader's
        if isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, (Decimal, int)):
            text = self.write(value, "count")
        elif isinstance(value, dt.date):
            text = self.write(value, "count")  # a date is written as a date
        elif isinstance(value, (dict, list)):
            # text for people, as the source holds it: numbers exact, as written
            text = json.dumps(value, ensure_ascii=False, default=str)
        else:
            text = " ".join(str(value).split())
        return text if len(text) <= LONGEST or not cut else text[:LONGEST - 1] + "…"


def _walk(old: Any, new: Any, path: tuple[str | int, ...], words: _Words) -> Iterator[Change]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and not _is_text(old, new):
        yield from _walk_keyed(old, new, path, words)
        return
    if isinstance(old, list) and isinstance(new, list) and _ids(old) and _ids(new):
        yield from _walk_items(old, new, path, words)
        return
    if isinstance(old, dict) and isinstance(new, dict) and old.get(words.language) == \
            new.get(words.language):  # a text changed in other languages only: say which
        other = sorted(k for k in {*old, *new} if old.get(k) != new.get(k))
        yield Change(f"{words.where(path)} [{', '.join(other)}]", "changed",
                     *_around_difference(str(old.get(other[0], "")),
                                         str(new.get(other[0], ""))), path)
        return
    yield Change(words.where(path), "changed", *_around_difference(
        words.value(old, cut=False), words.value(new, cut=False)), path)


def _around_difference(old: str, new: str) -> tuple[str, str]:
    """Two long texts cut to the stretch where they start to differ, so the change shows."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if max(len(old), len(new)) <= LONGEST:
        return old, new
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                min(len(old), len(new)))
    start = old.rfind(" ", 0, max(0, same - LONGEST // 4)) + 1

    def cut(text: str) -> str:
        part = text[start:start + LONGEST]
        return ("…" if start else "") + part + ("…" if start + LONGEST < len(text) else "")

    return cut(old), cut(new)


def _walk_items(old: list[Any], new: list[Any], path: tuple[str | int, ...],
                words: _Words) -> Iterator[Change]:
    """Items matched by id: what was added, removed, changed, and whether the order moved."""
    before, after = {_key(item): item for item in old}, {_key(item): item for item in new}
    yield from _walk_keyed(before, after, path, words)
    kept_before = [k for k in before if k in after]
    kept_after = [k for k in after if k in before]
    if kept_before != kept_after:
        yield Change(words.where(path), "reordered", ", ".join(kept_before),
                     ", ".join(kept_after), path)


def _walk_keyed(before: dict[Any, Any], after: dict[Any, Any], path: tuple[str | int, ...],
                words: _Words) -> Iterator[Change]:
    """Entries matched by key (a mapping's, or an item's id): removed, added, or walked into."""
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            yield Change(words.where((*path, key)), "removed", words.value(before[key]), "",
                         (*path, key))
        elif key not in before:
            yield Change(words.where((*path, key)), "added", "", words.value(after[key]),
                         (*path, key))
        else:
            yield from _walk(before[key], after[key], (*path, key), words)


def _key(item: dict[str, Any]) -> Any:
    """What names an item of a list: its id, or (an entry of ``revisions:``) its version."""
    return item["id"] if "id" in item else str(item.get("version"))


def _ids(items: list[Any]) -> bool:
    keys = [_key(item) for item in items if isinstance(item, dict)]
    return len(keys) == len(items) and None not in keys and len(set(keys)) == len(keys)


def _is_text(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """A translated text (``{en: …, it: …}``) is one value, not a section."""
    return all(isinstance(v, str) and len(k) == 2 for k, v in [*old.items(), *new.items()])


def _target_changes(old: Agreement, new: Agreement, words: _Words) -> list[Change]:
    before, after = agreement_targets(old).figures, agreement_targets(new).figures
    found = []
    for name, figure in after.items():
        previous = before.get(name)
        if previous is not None and previous.value == figure.value:
            continue
        label = figure.says(gettext=words.gettext)
        if figure.per == WORKING_DAY:  # the same figure is given per month too
            label += f", {words.gettext(per_id(WORKING_DAY))}"
        old_text = words.write(previous.value, previous.kind) if previous else ""
        found.append(Change(label, "changed" if previous else "added", old_text,
                            words.write(figure.value, figure.kind), (), target=True))
    found += [Change(f.says(gettext=words.gettext), "removed",
                     words.write(f.value, f.kind), "", (), target=True)
              for name, f in before.items() if name not in after]
    return found


def format_changes(found: list[Change], output: ChangeFormat, language: str,
                   title: str, stale: Sequence[Stale] = ()) -> str:
    """The change list as plain lines, a pull-request comment, or JSON; the stale
    translations (:func:`stale_lines`) under a heading of their own."""
    if output == "json":
        return dumps({"title": title, "changes": [asdict(c) for c in found],
                      "stale_translations": [asdict(text) for text, _ in stale]}) + "\n"
    _ = translator(language)

    def colon(label: str) -> str:
        """``label:`` with the language's spacing (French: a no-break space before it)."""
        return typeset(f"{label}:", language)

    if not found:
        return f"{colon(title)} {_('no change')}\n"
    stale_heading = _("Stale translations")
    if output == "text":
        return "\n".join([title, *(f"{colon(c.where)} {_arrow(c, _)}" for c in found),
                          *([colon(stale_heading)] if stale else []),
                          *(f"{colon(where)} {said}" for (_text, (where, said)) in stale)]) + "\n"
    lines = [f"### {escape_text(title)}", ""]
    for heading, group in ((_("Fields"), [c for c in found if not c.target]),
                           (_("Targets"), [c for c in found if c.target])):
        if group:
            lines += [f"**{heading}**", "", f"| {_('What changed')} | {_('Before')} | "
                      f"{_('After')} |", "|---|---|---|"]
            lines += [f"| {escape_text(c.where)} | {escape_text(c.old) or '—'} | "
                      f"{escape_text(c.new) or '—'} |" for c in group]
            lines.append("")
    if stale:
        lines += [f"**{stale_heading}**", ""]
        lines += [f"- {escape_text(colon(where))} {escape_text(said)}"
                  for _t, (where, said) in stale]
    return "\n".join(lines).rstrip() + "\n"


STALE_SOURCE = N_("text changed in {changed}; not updated in {stale}")
"""A text whose source changed and some translations did not."""
STALE_TRANSLATION = N_("text changed only in {changed}, not in the source language ({source})")
"""A text whose translations changed and whose source did not."""
Stale = tuple[StaleText, tuple[str, str]]
"""A stale text, with where it is and what happened, written for the reader."""


def stale_lines(found: Sequence[StaleText], agreement: Agreement,
                language: str) -> list[Stale]:
    """Each stale text, labelled as the change list labels fields, and what changed in
    which languages, their names written in ``language`` (``changed in English but not
    in Italian and French``)."""
    words = _Words(agreement, language)
    locale = Locale.parse(edition_locale(agreement, language))

    def names(languages: Sequence[str]) -> str:
        return format_list([locale.languages.get(lang, lang) for lang in languages],
                           locale=locale)

    written: list[Stale] = []
    for text in found:
        if text.source_changed:
            said = words.gettext(STALE_SOURCE).format(changed=names(text.changed),
                                                      stale=names(text.not_updated))
        else:
            said = words.gettext(STALE_TRANSLATION).format(
                changed=names(text.changed), source=names([text.source_language]))
        written.append((text, (words.where(text.path), typeset(said, language))))
    return written


def _arrow(change: Change, _: Callable[[str], str]) -> str:
    if change.kind == "added":
        return f"({_('added')}) {change.new}"
    if change.kind == "removed":
        return f"({_('removed')}) {change.old}"
    if change.kind == "reordered":
        return f"({_('order changed')}) {change.old} → {change.new}"
    return f"{change.old} → {change.new}"
