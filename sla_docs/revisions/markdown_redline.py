"""Word-level redline of two versions of a Markdown edition, which stays safe Markdown.

Inserted words go in ``<ins>``, deleted ones in ``<del>`` (GitHub shows them underlined and
struck through); marks never span a line break, so tables and lists keep their shape.
Those two tags are the only HTML the redline may hold: marks that land inside a code span
or on a fence could free what the code held, so the result is read back
(:func:`sla_docs.markdown.live_markup`), and a stretch whose marks would make anything
else live is written whole instead, its deleted words struck through as plain text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from sla_docs.markdown import MARKS, escape_text, links, live_markup, top_level_blocks

__all__ = ["redline_markdown"]

_WORDS = re.compile(r"\s+|[^\s]+")


def redline_markdown(old: str, new: str) -> str:
    """The new Markdown with inserted words in ``<ins>`` and deleted ones in ``<del>``."""
    marked = _word_redline(old, new)
    if _safe(marked, old, new):
        return marked
    marked = _by_blocks(old, new, words=True)
    return marked if _safe(marked, old, new) else _by_blocks(old, new, words=False)


def _by_blocks(old: str, new: str, words: bool) -> str:
    """The redline block by block: the blocks that changed marked word by word where
    that is safe (``words``), else struck through whole."""
    before, after = top_level_blocks(old), top_level_blocks(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after,
                                              autojunk=False).get_opcodes():
        if op == "equal":
            parts += after[j1:j2]
            continue
        pairs = list(zip(before[i1:i2], after[j1:j2], strict=True)) \
            if i2 - i1 == j2 - j1 else [("\n\n".join(before[i1:i2]), "\n\n".join(after[j1:j2]))]
        for removed, added in pairs:  # block by block when as many changed on each side
            stretch = _word_redline(removed, added) if words else ""
            safe = words and _safe(stretch, removed, added)
            parts += [stretch] if safe else _struck(removed, added)
    return "\n\n".join(parts).rstrip("\n") + "\n"


def _safe(marked: str, old: str, new: str) -> bool:
    """Whether ``marked`` makes nothing live but the marks and the links either side wrote."""
    return not live_markup(marked, MARKS) and links(marked) <= links(old) | links(new)


def _struck(removed: str, added: str) -> list[str]:
    """A stretch whose marks are not safe: its old words as plain text struck through,
    then its new blocks as they are."""
    words = " ".join(removed.split())
    return ([f"<del>{escape_text(words)}</del>"] if words else []) + ([added] if added else [])


def _word_redline(old: str, new: str) -> str:
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += after[j1:j2]
            continue
        out += _marked(before[i1:i2], "del") + _marked(after[j1:j2], "ins")
    return "".join(out)


def _marked(tokens: list[str], tag: str) -> list[str]:
    """Runs of words wrapped in ``tag``, one run per line; whitespace left as it is.

    A deleted line stays a line of its own, struck through, where it was.
    """
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if token.isspace() and "\n" in token:
            out += [*_wrap(run, tag), token]
            run = []
        else:
            run.append(token)
    return out + _wrap(run, tag)


def _wrap(run: list[str], tag: str) -> list[str]:
    text = "".join(run)
    if not text.strip():
        return [text]
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return [f"{lead}<{tag}>{core}</{tag}>{trail}"]
