"""Word-level redlines of two versions of an edition in HTML (stdlib only); Markdown's is in
:mod:`sla_docs.revisions.markdown_redline`.

In HTML, the new document is kept whole, its inserted words in ``<ins>``; the deleted words are put
back in ``<del>`` only where text is valid in its structure, so a deleted list item or table
row comes back as a list item or row, not as loose text inside a ``<ul>`` or ``<tbody>``.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from typing import Literal

__all__ = ["redline_html"]

REDLINE_STYLE = ("<style>ins { color: #1a7f37; text-decoration: underline; text-decoration-color:"
                 " #1a7f37; background: #e6ffec; } del { color: #cf222e; text-decoration:"
                 " line-through; background: #ffebe9; }</style>\n")
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base",
                  "embed", "source", "track"})
VERBATIM = frozenset({"style", "script", "head", "title"})
# The elements that may hold text, with the phrasing ones a template could add, so that a
# deletion inside <code> stays inline instead of becoming a paragraph.
TEXTUAL = frozenset({"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "span", "strong", "em", "a", "div", "caption", "blockquote", "b", "i",
                     "u", "s", "code", "small", "sub", "sup", "mark", "abbr", "cite", "q",
                     "time", "label", "pre", "figcaption", "summary", "legend"})
# Where text is not valid, a deletion is wrapped in the block that is valid there.
ROW = ('<tr class="deleted"><td colspan="99">', "</td></tr>")
BLOCKS = {"ul": ('<li class="deleted">', "</li>"), "ol": ('<li class="deleted">', "</li>"),
          "table": ROW, "thead": ROW, "tbody": ROW, "tfoot": ROW,
          "tr": ('<td class="deleted">', "</td>"), "dl": ('<dd class="deleted">', "</dd>")}
OTHER_BLOCK = ('<p class="deleted">', "</p>")
# Each child of these is matched whole before its words are diffed, for speed.
FLOW = frozenset({"html", "body", "section", "nav", "article", "main", "header", "footer",
                  "aside"})
# A no-break space separates words too, so that "5.000&nbsp;USD" can change its number only.
SPACES = r"(?:\s|&nbsp;|&#160;|&#[xX][aA]0;)+"
WORDS = re.compile(f"{SPACES}|(?:(?!{SPACES}).)+", re.DOTALL)
SPACE = re.compile(SPACES)

Opcode = tuple[str, int, int, int, int]
Kind = Literal["start", "end", "other", "word", "space", "verbatim"]


@dataclass(frozen=True, slots=True)
class Token:
    """One tag, word or whitespace run of a document, with its exact source text."""

    kind: Kind
    source: str
    key: str
    """What the diff compares: text unescaped, whitespace all alike, tags as written."""
    name: str = ""


class _Recorder(HTMLParser):
    """Notes where each tag and text chunk starts: slicing the source there keeps every
    token's text exactly as written (``&#39;`` stays ``&#39;``), which re-escaping would not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[int, int, Kind, str]] = []  # line, column, kind, tag name
        self.verbatim = 0  # how many head, style, script or title elements are open

    def _note(self, kind: Kind, name: str = "") -> None:
        self.events.append((*self.getpos(), kind, name))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note("start", tag)
        if tag in VERBATIM:
            self.verbatim += 1
        elif tag == "body":  # a head left open ends here
            self.verbatim = 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note("other", tag)  # <br/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        self._note("end", tag)
        if tag in VERBATIM:
            self.verbatim = max(0, self.verbatim - 1)

    def handle_data(self, data: str) -> None:
        self._note("verbatim" if self.verbatim else "word")

    def handle_comment(self, data: str) -> None:
        self._note("other")

    handle_pi = unknown_decl = handle_comment

    def handle_decl(self, decl: str) -> None:
        self._note("other")


def tokenize(source: str) -> list[Token]:
    """``source`` as tags, words and whitespace runs whose texts join back into ``source``."""
    recorder = _Recorder()
    recorder.feed(source)
    recorder.close()
    lines = [0, *(match.end() for match in re.finditer("\n", source))]
    offsets = [lines[line - 1] + column for line, column, _, _ in recorder.events]
    offsets[:1] = [0] * len(offsets[:1])  # nothing before the first event may be lost
    tokens: list[Token] = []
    for (_, _, kind, name), start, end in zip(recorder.events, offsets,
                                              [*offsets[1:], len(source)], strict=False):
        text = source[start:end]
        if kind == "word":
            tokens.extend(Token("space", part, " ") if SPACE.match(part)  # space is space
                          else Token("word", part, html.unescape(part))
                          for part in WORDS.findall(text))
        elif text:
            tokens.append(Token(kind, text, text, name))
    return tokens


def _step(stack: list[str], token: Token) -> None:
    """Follow the open elements, to know where a deletion may go."""
    if token.kind == "start" and token.name not in VOID:
        stack.append(token.name)
    elif token.kind == "end" and token.name in stack:
        del stack[len(stack) - 1 - stack[::-1].index(token.name):]


def _container(stack: list[str]) -> str:
    return stack[-1] if stack else ""


def _balanced(tokens: list[Token]) -> bool:
    stack: list[str] = []
    for token in tokens:
        if token.kind == "end" and token.name not in stack:
            return False
        _step(stack, token)
    return not stack


def _blocks(tokens: list[Token]) -> list[int]:
    """Where each block starts, then the end: each child element of the body, of its
    sections and the like is one block, and so is each token between them."""
    starts: list[int] = []
    inside: list[str] = []  # the open elements of the current block
    for index, token in enumerate(tokens):
        if not inside:
            starts.append(index)
        if inside or token.name not in FLOW:
            _step(inside, token)
    return [*starts, len(tokens)]


def _opcodes(old: list[Token], new: list[Token]) -> list[Opcode]:
    """Match whole blocks first and diff words only within the blocks that changed: over
    all tokens at once, SequenceMatcher takes seconds on a long agreement."""
    old_at, new_at = _blocks(old), _blocks(new)
    old_keys = ["\x1f".join(t.key for t in old[a:b]) for a, b in itertools.pairwise(old_at)]
    new_keys = ["\x1f".join(t.key for t in new[a:b]) for a, b in itertools.pairwise(new_at)]
    codes: list[Opcode] = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, old_keys, new_keys,
                                               autojunk=False).get_opcodes():
        i1, i2, j1, j2 = old_at[a1], old_at[a2], new_at[b1], new_at[b2]
        if tag != "replace":
            codes.append((tag, i1, i2, j1, j2))
            continue
        words = SequenceMatcher(None, [t.key for t in old[i1:i2]],
                                [t.key for t in new[j1:j2]], autojunk=False)
        codes.extend((tag, i1 + k1, i1 + k2, j1 + l1, j1 + l2)
                     for tag, k1, k2, l1, l2 in words.get_opcodes())
    return codes


def _tidied(codes: list[Opcode], old: list[Token]) -> list[Opcode]:
    """``codes`` without empty ones, with neighbouring equal runs made one and neighbouring
    changes made one, also across a kept whitespace alone: "un percorso" to "due percorsi"
    is one change, not two around a space."""
    tidy: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if i1 == i2 and j1 == j2:
            continue
        if (tag != "equal" and len(tidy) > 1 and tidy[-1][0] == "equal" != tidy[-2][0]
                and all(token.kind == "space" for token in old[tidy[-1][1]:tidy[-1][2]])):
            del tidy[-1]
        if tidy and (tag == "equal") == (tidy[-1][0] == "equal"):
            first = tidy.pop()
            tag, i1, j1 = "equal" if tag == "equal" else "replace", first[1], first[3]
        tidy.append((tag, i1, i2, j1, j2))
    return tidy


def _slide(keys: list[str], tokens: list[Token], i1: int, i2: int, room: tuple[int, int]) -> int:
    """How far to move the deletion ``keys[i1:i2]`` within the equal runs either side, which
    have ``room``, so that it holds whole elements: a diff may begin a deleted table row in
    the row before it."""
    low = 0
    while low < room[0] and keys[i1 - low - 1] == keys[i2 - low - 1]:
        low += 1
    high = 0
    while high < room[1] and keys[i1 + high] == keys[i2 + high]:
        high += 1
    shifts = sorted(range(-low, high + 1), key=abs)  # the diff's own choice wins ties
    return max(shifts, key=lambda shift: (_balanced(tokens[i1 + shift:i2 + shift]),
                                          tokens[i1 + shift].kind != "space"))


def diff(old: list[Token], new: list[Token]) -> list[Opcode]:
    """The opcodes from ``old`` to ``new``, each deletion moved onto the bounds of elements."""
    keys = [token.key for token in old]
    # Empty equal runs at both ends give every deletion an equal run on either side.
    codes = [("equal", 0, 0, 0, 0), *_tidied(_opcodes(old, new), old),
             ("equal", len(old), len(old), len(new), len(new))]
    for index, (tag, i1, i2, j1, _) in enumerate(codes):
        if tag != "delete":
            continue
        before, after = codes[index - 1], codes[index + 1]
        shift = _slide(keys, old, i1, i2, (before[2] - before[1], after[2] - after[1]))
        # The equal runs either side give or take the tokens the deletion moves over.
        codes[index - 1] = ("equal", before[1], before[2] + shift, before[3], before[4] + shift)
        codes[index] = (tag, i1 + shift, i2 + shift, j1 + shift, j1 + shift)
        codes[index + 1] = ("equal", after[1] + shift, after[2], after[3] + shift, after[4])
    return _tidied(codes, old)


def _parts(run: list[Token]) -> tuple[str, str, str]:
    """The whitespace before the first word of ``run``, the words, the whitespace after."""
    words = [index for index, token in enumerate(run) if token.kind == "word"] or [len(run)]
    first, last = words[0], words[-1] + 1
    lead, core, trail = ("".join(t.source for t in part)
                         for part in (run[:first], run[first:last], run[last:]))
    return lead, core, trail


def _texts(tokens: list[Token]) -> list[tuple[bool, list[Token]]]:
    """``tokens`` in runs of text (words and whitespace) and runs of anything else."""
    return [(is_text, list(run)) for is_text, run in
            itertools.groupby(tokens, key=lambda token: token.kind in ("word", "space"))]


class _Writer:
    """Writes the new document with the marks, following its open elements."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str] = []
        self.styled = False

    def kept(self, tokens: list[Token]) -> None:
        """Emit tokens of the new document as they are."""
        for token in tokens:
            if token.kind == "end" and token.name == "head" and not self.styled:
                self.out.append(REDLINE_STYLE)
                self.styled = True
            self.out.append(token.source)
            _step(self.stack, token)

    def inserted(self, tokens: list[Token]) -> None:
        """Emit new tokens, each run of new words within one element in ``<ins>``."""
        for is_text, run in _texts(tokens):
            lead, core, trail = _parts(run) if is_text else ("", "", "")
            if core:  # whitespace stays outside, so that only words are underlined
                self.out.append(f"{lead}<ins>{core}</ins>{trail}")
            else:
                self.kept(run)

    def deleted(self, tokens: list[Token]) -> None:
        """Emit the old words of ``tokens`` in ``<del>``, inside a block valid at this point."""
        runs = [parts for is_text, run in _texts(tokens) if is_text and (parts := _parts(run))[1]]
        if not runs:
            return  # old tags and whitespace leave no trace
        marks = " ".join(f"<del>{core}</del>" for _, core, _ in runs)
        container = _container(self.stack)
        if container in TEXTUAL:
            self.out.append(f"{runs[0][0]}{marks}{runs[-1][2]}")
        else:
            opening, closing = BLOCKS.get(container, OTHER_BLOCK)
            self.out.append(f"{opening}{marks}{closing}")

    def replaced(self, old: list[Token], new: list[Token]) -> None:
        """Emit the deleted words, then the new tokens. If no text is valid here, the
        deletion goes after the new leading tags once they open a place for text: a cell
        whose <td> changed too keeps its old words, rather than gain a cell beside it."""
        split, stack = 0, list(self.stack)
        for index in range(len(new) + 1):
            if _container(stack) in TEXTUAL:
                split = index
                break
            if index == len(new) or new[index].kind == "word":
                break
            _step(stack, new[index])
        self.inserted(new[:split])
        self.deleted(old)
        self.inserted(new[split:])


def redline_html(old: str, new: str) -> str:
    """The new document with the words inserted since ``old`` in <ins> and the words deleted
    in <del>; the new document's structure (headings, lists, tables) is kept intact."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    writer = _Writer()
    for tag, i1, i2, j1, j2 in diff(old_tokens, new_tokens):
        if tag == "equal":
            writer.kept(new_tokens[j1:j2])
        elif tag == "insert":
            writer.inserted(new_tokens[j1:j2])
        elif tag == "delete":
            writer.deleted(old_tokens[i1:i2])
        else:
            writer.replaced(old_tokens[i1:i2], new_tokens[j1:j2])
    body = "".join(writer.out)
    return body if writer.styled else REDLINE_STYLE + body
