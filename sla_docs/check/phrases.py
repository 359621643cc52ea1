"""Finding phrases in texts, word by word: the matching under the terminology check.

A text is cut into tokens: a word (letters, digits and their combining accents, in any
script), a run of white space (a line break too), or one other character. Two phrases
are the same when their tokens are, ignoring case (``str.casefold`` after NFC, so a
decomposed ``é`` is an ``é``), with every apostrophe (``'``, U+2019, U+2018, U+02BC) one
apostrophe and every hyphen (``-``, U+2010, U+2011) one hyphen. A phrase therefore only
ever matches whole words: ``lead`` is not found in ``leads`` nor ``misleading``.

Every phrase to look for goes into one :class:`PhraseIndex`, a trie of tokens, and a
text is read once: from each word, the trie is followed as far as the text agrees with
it. No regular expression is built from a phrase, so nothing in one can be special,
and the work per word is bounded by the longest phrase
(:data:`sla_docs.model.termbase.MAX_PHRASE` characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

P = TypeVar("P")

_WORD = r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+"
_WORDS = re.compile(_WORD)
_TOKEN = re.compile(rf"(?P<word>{_WORD})|(?P<space>\s+)|(?P<other>.)", re.DOTALL)
_SAME = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-",
                       "\u2011": "-"})
SPACE = " "
"""The key of every run of white space."""


class Token(NamedTuple):
    """One token of a text (a named tuple: a text has thousands, made quickly)."""

    start: int
    """Offset of its first character in the text."""
    end: int
    """Offset just after its last character."""
    key: str
    """What it is compared by: folded case, one apostrophe, one hyphen, one space."""
    word: bool
    """Whether it is a word (else white space or one other character)."""


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, in order."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind, written = match.lastgroup, match.group()
        if kind == "word":
            key = (written if written.isascii()
                   else unicodedata.normalize("NFC", written)).casefold()
        elif kind == "space":
            key = SPACE
        else:
            key = written.translate(_SAME)
        found.append(Token(match.start(), match.end(), key, kind == "word"))
    return found


def words_in(text: str) -> set[str]:
    """The keys of the words of ``text``: a quick look at whether a phrase can be in it
    at all, before cutting it into tokens."""
    return set(_WORDS.findall(unicodedata.normalize("NFC", text).casefold()))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """How a phrase is compared: its tokens' keys, without white space at either end."""
    keys = [token.key for token in tokens(phrase)]
    while keys and keys[0] == SPACE:
        keys.pop(0)
    while keys and keys[-1] == SPACE:
        keys.pop()
    return tuple(keys)


def shown(text: str) -> str:
    """A phrase as found in a text, for a message: white space (a line break) as one space."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class _Node(Generic[P]):
    children: dict[str, _Node[P]] = field(default_factory=dict)
    payloads: list[P] = field(default_factory=list)


@dataclass(frozen=True)
class Found(Generic[P]):
    """A phrase found in a text."""

    first: int
    """Index of its first token."""
    last: int
    """Index just after its last token."""
    payloads: tuple[P, ...]
    """What was stored with the phrase (with every phrase of the same key)."""


class PhraseIndex(Generic[P]):
    """Phrases to look for, each with a payload saying what it is."""

    def __init__(self) -> None:
        self._root: _Node[P] = _Node()

    def add(self, key: tuple[str, ...], payload: P) -> None:
        """Look for the phrase ``key`` (from :func:`phrase_key`), reporting ``payload``."""
        node = self._root
        for part in key:
            node = node.children.setdefault(part, _Node())
        node.payloads.append(payload)

    def find(self, text_tokens: list[Token]) -> Iterator[Found[P]]:
        """Every phrase in the tokens of a text, including phrases inside others."""
        root = self._root.children
        for first, token in enumerate(text_tokens):
            if token.key == SPACE or token.key not in root:
                continue
            node = root[token.key]
            last = first + 1
            while True:
                if node.payloads:
                    yield Found(first, last, tuple(node.payloads))
                if last == len(text_tokens):
                    break
                following = node.children.get(text_tokens[last].key)
                if following is None:
                    break
                node, last = following, last + 1
