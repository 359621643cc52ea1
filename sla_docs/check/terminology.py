"""One concept, one word per contract: the terminology warnings.

- SLA310: a text uses a variant the termbase says to avoid in its language
  (``check/termbase.py``), once per use, at the variant's own line and column, naming
  the agreed term. A variant found inside an agreed term of the same language (of any
  concept) is that term, not the variant; of two variants found one inside the other,
  the longer is the use.
- SLA311: a term the agreement defines (``definitions.terms.*.term``), written
  another way in a text of the same language: ``Sales-qualified lead`` defined,
  ``sales qualified lead`` or ``salesqualified leads`` written. Case is not compared (a
  sentence starts with a capital); the words' separators are.

Figures (``{{ targets.leads }}``) are not words of the text and are not read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sla_docs.check.facts import Facts, dotted, get
from sla_docs.check.phrases import SPACE, Found, Token, phrase_key, shown, tokens, words_in
from sla_docs.check.termbase import Listed, Terms, default_terms
from sla_docs.errors import Diagnostic
from sla_docs.model.languages import LANGUAGES
from sla_docs.model.termbase import MAX_PHRASE
from sla_docs.source.load import YamlPath
from sla_docs.source.scalars import Lines, scalar_offsets

_PARENTHESES = re.compile(r"\(([^()]*)\)")
_NOT_EXACT = ("the column is the text's start: its YAML could not be read back "
              "character by character")


@dataclass(frozen=True)
class _Form:
    """One way a defined term is written, to be found however it is spaced."""

    shape: tuple[str, ...]
    """Its tokens, each word as ``w``: how it is spaced and hyphenated."""
    written: str
    """As the definition writes it."""
    definition: YamlPath
    """Where the definition is."""


@dataclass
class _Forms:
    """The defined terms of one language, by what their words spell joined together
    (``salesqualifiedlead``), so that any writing of them, spaced, hyphenated or joined,
    is looked up in one step from each word of a text."""

    spelled: dict[str, list[_Form]] = field(default_factory=dict)
    """Each term's words' keys joined, with the ways it is written."""
    firsts: set[str] = field(default_factory=set)
    """Each term's first word: a text without a word starting so has none of them."""
    starts: set[str] = field(default_factory=set)
    """Each term's first words joined (``sales``, ``salesqualified``): reading a text
    goes on only while what it spells is one of these."""

    def may_be_in(self, words: set[str]) -> bool:
        """Whether a text with these words (:func:`phrases.words_in`) may hold a term."""
        lengths = {len(first) for first in self.firsts}
        return any(word[:length] in self.firsts for word in words for length in lengths)

    def otherwise(self, text_tokens: list[Token]) -> Iterator[tuple[int, int, _Form]]:
        """Where a defined term is spelled with other separators than its definition's
        (a plural ``s`` or ``es`` on its last word allowed): words one space or hyphen
        apart, read from each word while they spell the start of a term."""
        for first, token in enumerate(text_tokens):
            if not token.word:
                continue
            spelled, at = "", first
            while at < len(text_tokens) and text_tokens[at].word:
                spelled += text_tokens[at].key
                for letters in {spelled, spelled.removesuffix("s"), spelled.removesuffix("es")}:
                    for form in self.spelled.get(letters, ()):
                        if _shape(text_tokens[first:at + 1]) != form.shape:
                            yield first, at + 1, form
                if (spelled not in self.starts or at + 2 >= len(text_tokens)
                        or text_tokens[at + 1].key not in (SPACE, "-")):
                    break
                at += 2


@dataclass
class _Text:
    """One text of the agreement in one language, and where its characters are."""

    path: YamlPath
    """The text's path, its language last."""
    value: str
    """The text as loaded."""
    tokens: list[Token]
    """Its tokens, figures left out."""
    offsets: list[int] | None = None
    """Where each character of :attr:`value` is in the file, once read back (None when
    it cannot be)."""
    read_back: bool = False
    """Whether :attr:`offsets` has been worked out."""


def terms_in_texts(facts: Facts) -> Iterator[Diagnostic]:
    """Each use of a variant to avoid (SLA310), and each defined term written another
    way than its definition (SLA311), at its own place in the file."""
    terms = facts.terms if facts.terms is not None else default_terms()
    lines = Lines(facts.source.text)
    for language in LANGUAGES:
        forms = _forms(facts, language)
        for text in _texts(facts, language, terms, forms):
            covered = [False] * len(text.tokens)
            for found, listed in _avoided(terms, language, text):
                covered[found.first:found.last] = [True] * (found.last - found.first)
                yield _at(facts, lines, text, found.first, _variant_warning(text, found, listed))
            for first, last, form in forms.otherwise(text.tokens):
                if not any(covered[first:last]):  # that use has its warning already
                    yield _at(facts, lines, text, first,
                              _two_ways_warning(facts, text, first, last, form))


def _texts(facts: Facts, language: str, terms: Terms, forms: _Forms) -> Iterator[_Text]:
    """The texts of ``language`` that may use a variant or spell a defined term (most
    texts are passed over on a glance at their words)."""
    for path, value in facts.texts:
        written = value.get(language) if isinstance(value, dict) else None
        if not isinstance(written, str):
            continue
        prose = _without_figures(written)
        words = words_in(prose)
        if terms.may_use_variant(language, words) or forms.may_be_in(words):
            yield _Text((*path, language), written, tokens(prose))


def _without_figures(text: str) -> str:
    """``text`` with each ``{{ … }}`` blanked out, every other character where it was.
    A plain scan: an unclosed ``{{`` blanks nothing, and no pattern backtracks."""
    parts, at = [], 0
    while (start := text.find("{{", at)) >= 0 and (end := text.find("}}", start + 2)) >= 0:
        parts += [text[at:start], " " * (end + 2 - start)]
        at = end + 2
    parts.append(text[at:])
    return "".join(parts)


def _avoided(terms: Terms, language: str, text: _Text) -> Iterator[tuple[Found[Listed], Listed]]:
    """The uses of variants in a text: not inside an agreed term, the outermost of
    variants found one inside another. One sweep in the order the phrases start (each
    span is inside another iff it ends before the furthest end of those started at or
    before it), so a text full of uses costs no more than the uses."""
    index = terms.indexes.get(language)
    if index is None:
        return
    agreed_reach, variant_reach = 0, 0
    for candidate in sorted(index.find(text.tokens), key=lambda f: (f.first, -f.last)):
        variant = next((p for p in candidate.payloads if p.variant is not None), None)
        if any(listed.variant is None for listed in candidate.payloads):
            agreed_reach = max(agreed_reach, candidate.last)
        if variant is None or candidate.last <= agreed_reach:
            continue
        if candidate.last > variant_reach:
            yield candidate, variant
        variant_reach = max(variant_reach, candidate.last)


def _variant_warning(text: _Text, found: Found[Listed], listed: Listed) -> tuple[str, str, str]:
    written = shown(_span(text, found.first, found.last))
    term = listed.usage.term
    return ("SLA310", f"`{dotted(text.path[:-1])}` ({text.path[-1]}): «{written}» — the "
            f"agreed term is «{term}»", f"the termbase's concept `{listed.usage.concept}`")


def _span(text: _Text, first: int, last: int) -> str:
    return text.value[text.tokens[first].start:text.tokens[last - 1].end]


def _forms(facts: Facts, language: str) -> _Forms:
    """Each defined term of ``language`` (and each part of it in brackets, ``SQL`` in
    ``Sales-qualified lead (SQL)``) of two words or more."""
    forms = _Forms()
    defined = get(facts.data, "definitions", "terms")
    for term_id, term in defined.items() if isinstance(defined, dict) else ():
        written: Any = get(term, "term", language)
        if not isinstance(written, str) or len(written) > MAX_PHRASE:
            continue
        for part in [*_PARENTHESES.findall(written), _PARENTHESES.sub(" ", written)]:
            keys = phrase_key(part)
            words = [key for key in keys if _is_word(key)]
            if len(words) < 2:
                continue
            shape = tuple("w" if _is_word(key) else key for key in keys)
            where = ("definitions", "terms", term_id, "term", language)
            forms.spelled.setdefault("".join(words), []).append(
                _Form(shape, part.strip(), where))
            forms.firsts.add(words[0])
            forms.starts.update("".join(words[:end]) for end in range(1, len(words)))
    return forms


def _is_word(key: str) -> bool:
    return key[:1].isalnum() or key[:1] == "_"


def _shape(found: list[Token]) -> tuple[str, ...]:
    return tuple("w" if token.word else token.key for token in found)


def _two_ways_warning(facts: Facts, text: _Text, first: int, last: int,
                      form: _Form) -> tuple[str, str, str]:
    written = shown(_span(text, first, last))
    return ("SLA311", f"`{dotted(text.path[:-1])}` ({text.path[-1]}): «{written}» is "
            f"written «{form.written}» in `{dotted(form.definition[:-1])}`",
            "write a defined term one way throughout")


def _at(facts: Facts, lines: Lines, text: _Text, first: int,
        finding: tuple[str, str, str]) -> Diagnostic:
    """A warning at the first character of token ``first`` of ``text`` in the file."""
    code, message, hint = finding
    if not text.read_back:
        start = facts.source.positions.locate(text.path)
        text.offsets, text.read_back = scalar_offsets(lines, start, text.value), True
    if text.offsets is None:
        return facts.warning(text.path, code, message, f"{hint}; {_NOT_EXACT}")
    where = lines.position(text.offsets[text.tokens[first].start])
    return dataclasses.replace(facts.warning(text.path, code, message, hint), position=where)
