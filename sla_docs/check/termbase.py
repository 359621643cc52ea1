"""The termbase an agreement is checked against: the package's default, extended by the
``terms.yaml`` beside the agreement.

The repository's file is read like an agreement (``source/load.py``, then the model
``model/termbase.Termbase``), so each of its problems is at its ``file:line:col``; it
is checked as a whole with the default, since a variant it adds may be the default's
term for something else (SLA312), and a concept it switches off must exist (SLA313).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sla_docs.assets import templates_dir
from sla_docs.check.phrases import PhraseIndex, phrase_key
from sla_docs.errors import Diagnostic, InvalidAgreement
from sla_docs.model.languages import LANGUAGES, Language
from sla_docs.model.parse import parse_document
from sla_docs.model.termbase import Termbase
from sla_docs.source.load import Source, YamlPath, load_file

DEFAULT_TERMBASE = ("terms", "terms.yaml")
"""Where the shipped termbase is, under the package's templates."""


@dataclass(frozen=True)
class Usage:
    """One concept in one language: the agreed term and the variants to avoid."""

    concept: str
    """The concept's id (``sql``)."""
    language: Language
    """The language of the entry."""
    term: str
    """The agreed term."""
    avoid: tuple[str, ...]
    """The variants to avoid."""
    origin: Source
    """The termbase file the entry is written in."""

    @property
    def path(self) -> YamlPath:
        """Where the entry is in :attr:`origin`."""
        return ("concepts", self.concept, self.language)


@dataclass(frozen=True)
class Terms:
    """A termbase, merged: every concept's entry in every language it has one in."""

    usages: tuple[Usage, ...]
    """The entries, concept by concept, in the order the files give them."""

    def in_language(self, language: str) -> list[Usage]:
        """The entries of one language."""
        return [usage for usage in self.usages if usage.language == language]

    @functools.cached_property
    def _keys(self) -> dict[str, tuple[str, ...]]:
        """Every term and variant's :func:`phrase_key`, worked out once."""
        return {phrase: phrase_key(phrase) for usage in self.usages
                for phrase in (usage.term, *usage.avoid)}

    def key(self, phrase: str) -> tuple[str, ...]:
        """The key of a term or a variant of this termbase."""
        return self._keys[phrase]

    @functools.cached_property
    def indexes(self) -> dict[str, PhraseIndex[Listed]]:
        """Per language, every agreed term and variant, to find them in texts (made once
        per termbase, however many agreements are checked against it)."""
        made: dict[str, PhraseIndex[Listed]] = {}
        for usage in self.usages:
            index = made.setdefault(usage.language, PhraseIndex())
            index.add(self.key(usage.term), Listed(usage, None))
            for variant in usage.avoid:
                index.add(self.key(variant), Listed(usage, variant))
        return made

    @functools.cached_property
    def _variant_words(self) -> dict[str, dict[str, list[frozenset[str]]]]:
        """Per language, by its first word, the words of each variant."""
        made: dict[str, dict[str, list[frozenset[str]]]] = {}
        for usage in self.usages:
            for variant in usage.avoid:
                words = [key for key in self.key(variant) if key[:1].isalnum() or key == "_"]
                by_first = made.setdefault(usage.language, {})
                by_first.setdefault(words[0] if words else "", []).append(frozenset(words))
        return made

    def may_use_variant(self, language: str, words: set[str]) -> bool:
        """Whether a text with these words (:func:`phrases.words_in`) can use a variant
        of ``language``: every word of one is in it."""
        by_first = self._variant_words.get(language, {})
        return any(needed <= words for first in words & by_first.keys()
                   for needed in by_first[first])


@dataclass(frozen=True)
class Listed:
    """What a phrase found in a text is: an agreed term, or a variant of one."""

    usage: Usage
    """The entry it belongs to."""
    variant: str | None
    """The variant as the termbase writes it; None for the agreed term."""


@dataclass(frozen=True)
class ReadTermbase:
    """A repository's termbase, read and checked."""

    terms: Terms
    """What agreements are checked against: the default alone when the file has errors."""
    source: Source | None
    """The file, parsed; None when it could not be read."""
    problems: list[Diagnostic]
    """Every error in it, at its place."""


@functools.cache
def default_terms() -> Terms:
    """The package's own termbase (read once per process)."""
    source = load_file(templates_dir().joinpath(*DEFAULT_TERMBASE), what="a termbase")
    model, errors = parse_document(source, Termbase)
    if model is None or errors:  # the tests keep the shipped file valid
        raise InvalidAgreement(errors)
    return Terms(tuple(_usages(model, source)))


def read_termbase(path: Path) -> ReadTermbase:
    """A repository's ``terms.yaml`` merged over the default, with every problem in it."""
    default = default_terms()
    try:
        source = load_file(path, what="a termbase")
    except InvalidAgreement as invalid:
        return ReadTermbase(default, None, invalid.diagnostics)
    model, errors = parse_document(source, Termbase)
    if model is None:
        return ReadTermbase(default, source, errors)
    errors = list(_unknown_switches(model, source, default))
    merged = _merged(default, model, source)
    errors.extend(contradictions(merged, source))
    return ReadTermbase(default if errors else merged, source, errors)


def _usages(model: Termbase, source: Source) -> Iterator[Usage]:
    for concept, entries in model.concepts.items():
        if entries.off:
            continue
        for language in LANGUAGES:
            entry = getattr(entries, language)
            if entry is not None:
                yield Usage(concept, language, entry.term, tuple(entry.avoid), source)


def _merged(default: Terms, model: Termbase, source: Source) -> Terms:
    """The default with the file's concepts added, its languages replaced, and the
    concepts it switches off left out."""
    off = {concept for concept, entries in model.concepts.items() if entries.off}
    added = {(usage.concept, usage.language): usage for usage in _usages(model, source)}
    kept = [usage for usage in default.usages if usage.concept not in off
            and (usage.concept, usage.language) not in added]
    return Terms((*kept, *added.values()))


def _unknown_switches(model: Termbase, source: Source, default: Terms) -> Iterator[Diagnostic]:
    known = list(dict.fromkeys(usage.concept for usage in default.usages))
    for concept, entries in model.concepts.items():
        if entries.off and concept not in known:
            close = difflib.get_close_matches(concept, known, n=1, cutoff=0.6)
            yield source.diagnostic(
                ("concepts", concept), "SLA313",
                f"`{concept}` is switched off, but the default termbase has no such concept",
                hint=f"did you mean `{close[0]}`?" if close else
                f"the default's concepts: {', '.join(known)}", at_key=True)


def contradictions(terms: Terms, source: Source) -> Iterator[Diagnostic]:
    """A variant that is an agreed term in its language, or that two entries (or one,
    twice) list: which would the writer be told to use? Reported where ``source`` (the
    repository's file) writes it; the default is kept free of them by its tests."""
    for language in LANGUAGES:
        usages = terms.in_language(language)
        agreed = {terms.key(usage.term): usage for usage in usages}
        listed: dict[tuple[str, ...], Usage] = {}
        for usage in usages:
            for index, variant in enumerate(usage.avoid):
                key = terms.key(variant)
                term = agreed.get(key)
                if term is not None and source in (usage.origin, term.origin):
                    yield _avoided_term(usage, index, term, source)
                elif key in listed and usage.origin is source:
                    yield source.diagnostic(
                        (*usage.path, "avoid", index), "SLA312",
                        f"«{variant}» is listed twice in {language}: in "
                        f"`{listed[key].concept}` and in `{usage.concept}`",
                        hint="list a variant once")
                listed.setdefault(key, usage)


def _avoided_term(usage: Usage, index: int, term: Usage, source: Source) -> Diagnostic:
    """A variant to avoid that is an agreed term: at the repository's side of the two."""
    variant = usage.avoid[index]
    if usage.origin is source:
        return source.diagnostic(
            (*usage.path, "avoid", index), "SLA312",
            f"«{variant}» is to be avoided in `{usage.concept}` ({usage.language}), but it "
            f"is the agreed term of `{term.concept}`",
            hint="a variant to avoid is never an agreed term")
    return source.diagnostic(
        (*term.path, "term"), "SLA312",
        f"«{term.term}» is the agreed term of `{term.concept}` ({term.language}), but the "
        f"default termbase lists it as a variant to avoid in `{usage.concept}`",
        hint=f"replace `{usage.concept}`'s {usage.language} entry, or switch it off")
