"""The prose of an agreement is Markdown; here it becomes safe HTML or safe Markdown.

This is the one Markdown writer of the tool. A text is parsed with markdown-it (raw HTML
off, so ``<script>`` is text) and written back from its tokens, so every text stands
alone: a backtick left open, a reference whose definition sits in another text, a
``<`` or a ``!`` written in by a figure can only ever be text. What a rendered page
may hold:

- links only to ``http:``, ``https:`` and ``mailto:`` (:data:`LINK`), written as links
  in the text itself; any other link shows its words only;
- images only embedded in the text as ``data:image/…`` (:data:`EMBEDDED_IMAGE`): an
  image is the one thing a renderer would fetch, so validation refuses any other source
  at its position (:func:`refused_images`) and the writers show its alt text;
- no raw HTML, in HTML or in Markdown.

A value that is not prose (a name, an id, a commit subject, a cell of an export) goes
through :func:`escape_text`, which makes it plain text on one line. Writers take an
optional ``transform`` applied to each run of text before it is escaped (never to code
or link targets), for a language's typography. :func:`live_markup` is the check: what a
Markdown page would make live, read as GitHub reads it (raw HTML on).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Transform = Callable[[str], str]
"""What a language does to a run of text before it is written (typography)."""
EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
"""The only image sources allowed: pictures carried inside the text itself."""
LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
"""The only link targets a rendered text keeps: web pages and mail addresses."""
MARKS = frozenset({"<ins>", "</ins>", "<del>", "</del>"})
"""The only HTML a Markdown output writes itself: the redline's marks."""
MAX_NESTING = 16
"""How deep a text may nest lists, quotes, emphasis and links, counted as markdown-it's
levels (a list is two: the list and its item; a paragraph one). Far beyond any prose,
and below markdown-it's own limit (20), past which it would drop the rest of the text;
a page nested hundreds deep is beyond what the PDF printer can lay out."""
_BLOCK_NESTERS = re.compile(r">|(?:^|[ \t])(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)", re.MULTILINE)
_INLINE_NESTERS = re.compile(r"[*_\[]")
_FIGURE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_SPECIAL = re.compile(r"[\\`*_\[\]<>|#]|&(?=#?[0-9A-Za-z]+;)|!$")
"""What could make plain text into Markdown markup: emphasis, code, links, tags, tables,
headings, entities, the backslash that escapes them, and a ``!`` that a link written
after it would turn into an image."""
_LINE_START = re.compile(r"^([ \t]*)(?:([-+](?=[ \t]|-|$)|[=~])|(\d{1,9})([.)])(?=[ \t]|$))")
"""What makes a block when it starts a line: a list item, a rule, a setext underline, a
fence (``*``, ``#``, ``>`` and the backtick are escaped wherever they are)."""
_IN_DESTINATION = re.compile(r"[\\`<>()|\"\[\]]|&(?=#?[0-9A-Za-z]+;)")
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_BREAKS = re.compile(r"\r\n|\r|\n")


def escape_text(text: str) -> str:
    """Plain text as Markdown that shows it exactly as written, on one line."""
    return _escaped(_BREAKS.sub(" ", text), line_start=True)


def _escaped(text: str, line_start: bool) -> str:
    text = _SPECIAL.sub(lambda found: "\\" + found.group(0), text)
    if not line_start:
        return text
    return _LINE_START.sub(lambda found: found.group(1) + (
        f"\\{found.group(2)}" if found.group(2) else f"{found.group(3)}\\{found.group(4)}"),
        text, count=1)


@cache
def parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is text, not markup; links as :data:`LINK`."""
    markdown = _commonmark()
    markdown.validateLink = _allowed_target  # type: ignore[method-assign]
    markdown.add_render_rule("image", _image)
    return markdown


@cache
def _scanner() -> MarkdownIt:
    """A parser that takes every link as it is written, to find what the editions refuse."""
    scanner = _commonmark()
    scanner.validateLink = lambda url: True  # type: ignore[method-assign]
    return scanner


def _commonmark(html: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt  # here: validation parses Markdown only for an image

    return MarkdownIt("commonmark", {"html": html}).enable("table")


def _allowed_target(url: str) -> bool:
    return bool(LINK.match(url) or EMBEDDED_IMAGE.match(url))


def to_html(text: str, transform: Transform | None = None) -> str:
    """A block of prose as HTML paragraphs, lists and tables."""
    markdown = parser()
    return str(markdown.renderer.render(_tokens(text, transform), markdown.options, {}))


def to_inline_html(text: str, transform: Transform | None = None) -> str:
    """A short text (a name, a table cell) as HTML without a paragraph around it."""
    markdown = parser()
    renderer: Any = markdown.renderer
    return str(renderer.renderInline(_inline_tokens(text, transform), markdown.options, {}))


def to_markdown(text: str, transform: Transform | None = None) -> str:
    """A block of prose for a Markdown page, written anew from its parsed tokens."""
    tokens = _tokens(text.strip(), transform)
    return "\n".join(_joined(_blocks(tokens, 0, len(tokens)), tight=False))


def to_inline_markdown(text: str, transform: Transform | None = None) -> str:
    """A short text for a table cell or a list item, on one line, as :func:`to_inline_html`
    reads it: its words, with no block (a line break is a space)."""
    return _inline(_inline_tokens(text, transform), cell=True)


def _inline_tokens(text: str, transform: Transform | None) -> list[Token]:
    """A short text read as one run of words (a ``1.`` or a ``#`` starts no block)."""
    return [child for token in parser().parseInline(text.strip(), {})
            for child in _kept(token.children or [], transform)]


def _tokens(text: str, transform: Transform | None) -> list[Token]:
    """The text's tokens, with links and images that may not stay made text."""
    tokens = parser().parse(text)
    for token in tokens:
        if token.type == "inline":
            token.children = _kept(token.children or [], transform)
    return tokens


def _kept(children: list[Token], transform: Transform | None) -> list[Token]:
    from markdown_it.token import Token  # here: as the parser above, only when parsing

    kept: list[Token] = []
    links: list[bool] = []  # for each open link, whether it stays a link
    for child in children:
        if child.type == "link_open":
            links.append(bool(LINK.match(str(child.attrs.get("href", "")))))
            if not links[-1]:
                continue
        elif child.type == "link_close" and not (links.pop() if links else False):
            continue
        elif child.type == "image":
            alt = _kept(child.children or [], transform)
            if not EMBEDDED_IMAGE.match(str(child.attrs.get("src", ""))):
                kept.append(Token("text", "", 0, content=_plain(alt)))
                continue
            child.children = alt
        elif child.type == "text" and transform is not None:  # a line break it adds is a space
            child.content = _BREAKS.sub(" ", transform(child.content))
        kept.append(child)
    return kept


def _plain(children: list[Token]) -> str:
    return "".join(child.content for child in children
                   if child.type in ("text", "code_inline", "image"))


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token that closes ``tokens[start]`` (itself when it opens nothing)."""
    if tokens[start].nesting != 1:
        return start
    level = tokens[start].level
    return next(i for i in range(start + 1, len(tokens))
                if tokens[i].level == level and tokens[i].nesting == -1)


def _blocks(tokens: list[Token], start: int, stop: int) -> list[list[str]]:
    """The blocks between ``start`` and ``stop``, each as its lines."""
    blocks, index = [], start
    while index < stop:
        end = _closing(tokens, index)
        blocks.append(_block(tokens, index, end))
        index = end + 1
    return [block for block in blocks if block]


def _joined(blocks: list[list[str]], tight: bool) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines += ([] if tight or not lines else [""]) + block
    return lines


def _block(tokens: list[Token], start: int, end: int) -> list[str]:
    token = tokens[start]
    kind = token.type
    if kind == "paragraph_open":
        return _inline(tokens[start + 1].children or []).split("\n")
    if kind == "heading_open":
        text = _inline(tokens[start + 1].children or [], cell=True)
        return ["#" * int(token.tag[1:]) + " " + text]
    if kind == "blockquote_open":
        inner = _joined(_blocks(tokens, start + 1, end), tight=False)
        return [f"> {line}" if line else ">" for line in inner]
    if kind in ("bullet_list_open", "ordered_list_open"):
        return _list(tokens, start, end)
    if kind in ("fence", "code_block"):
        return _fence(token.content, token.info)
    if kind == "hr":
        return ["***"]
    if kind == "table_open":
        return _table(tokens[start:end])
    return [escape_text(token.content)] if token.content.strip() else []


def _list(tokens: list[Token], start: int, end: int) -> list[str]:
    """A list: each item's blocks behind its marker, the rest of its lines indented."""
    first, ordered = tokens[start], tokens[start].type == "ordered_list_open"
    number = int(first.attrs.get("start", 1) or 1) if ordered else 0
    tight = any(t.hidden for t in tokens[start:end] if t.type == "paragraph_open"
                and t.level == first.level + 2)
    items: list[list[str]] = []
    index = start + 1
    while index < end:
        close = _closing(tokens, index)
        marker = f"{number + len(items)}{first.markup or '.'}" if ordered else first.markup or "-"
        lines = _joined(_blocks(tokens, index + 1, close), tight) or [""]
        pad = " " * (len(marker) + 1)
        items.append([f"{marker} {lines[0]}".rstrip(),
                      *(pad + line if line else "" for line in lines[1:])])
        index = close + 1
    return _joined(items, tight)


def _fence(content: str, info: str) -> list[str]:
    """Code as a fenced block whose fence no line of it can close."""
    runs = [len(run) for run in re.findall("`+", content)]
    fence = "`" * max([3, *(run + 1 for run in runs)])
    language = re.sub(r"[^\w+.-]", "", info.split()[0]) if info.strip() else ""
    return [fence + language, *content.rstrip("\n").split("\n"), fence] if content.strip() \
        else [fence + language, fence]


def _table(tokens: list[Token]) -> list[str]:
    rows: list[list[str]] = []
    aligns: list[str] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_inline(token.children or [], cell=True))
        elif token.type == "th_open":
            style = str(token.attrs.get("style", ""))
            aligns.append({"text-align:left": ":---", "text-align:right": "---:",
                           "text-align:center": ":---:"}.get(style, "---"))
    lines = [f"| {' | '.join(cells)} |" for cells in rows]
    return [lines[0], f"|{'|'.join(aligns)}|", *lines[1:]] if lines else []


def _inline(children: list[Token], cell: bool = False) -> str:
    """A run of inline tokens as Markdown: text escaped, the rest as markdown-it read it."""
    out: list[str] = []
    line_start, targets = True, []
    for child in children:
        kind = child.type
        if kind == "text":
            text = child.content.lstrip(" \t") if line_start else child.content
            written = _escaped(text, line_start)
        elif kind in ("softbreak", "hardbreak"):
            written = " " if cell else ("\n" if kind == "softbreak" else "\\\n")
        elif kind == "code_inline":
            written = _code_span(child.content, cell)
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            written = child.markup
        elif kind == "link_open":
            targets.append(_destination(str(child.attrs.get("href", ""))))
            written = "["
        elif kind == "link_close":
            written = f"]({targets.pop() if targets else ''})"
        elif kind == "image":
            alt = _escaped(_plain(child.children or []), False).rstrip("\\")
            written = f"![{alt}]({_destination(str(child.attrs.get('src', '')))})"
        else:
            written = _escaped(child.content, line_start)
        out.append(written)
        line_start = written.endswith("\n") or (line_start and not written)
    return "".join(out)


def _code_span(content: str, cell: bool) -> str:
    """Code shown as it is: a fence no run of backticks in it can close; in a table cell,
    code with a pipe is escaped text instead, as a pipe would end the cell."""
    if cell and "|" in content:
        return _escaped(content, False)
    if not content.strip(" "):
        return _escaped(content, False)
    fence = "`" * (max((len(run) for run in re.findall("`+", content)), default=0) + 1)
    pad = " " if content[0] in "` " or content[-1] in "` " else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _destination(url: str) -> str:
    """A link's or an image's target that nothing around it can change."""
    url = _SPACE_OR_CONTROL.sub(lambda found: f"%{ord(found.group(0)):02X}", url)
    return _IN_DESTINATION.sub(lambda found: "\\" + found.group(0), url)


def image_sources(text: str) -> list[str]:
    """The source of every image in ``text``, in order."""
    if "![" not in text:  # no image syntax: skip parsing, validation must stay light
        return []
    found: list[str] = []
    for block in _scanner().parse(text):
        found.extend(str(child.attrs.get("src", "")) for child in block.children or []
                     if child.type == "image")
    return found


def nesting_depth(text: str) -> int:
    """How deep ``text`` nests, in :data:`MAX_NESTING`'s levels."""
    prose = _FIGURE.sub("", text)  # figure names have underscores, and nest nothing
    if len(_BLOCK_NESTERS.findall(prose)) < MAX_NESTING // 2 and \
            len(_INLINE_NESTERS.findall(prose)) < MAX_NESTING:  # too little markup to go deep
        return 0
    deepest = 0
    for token in parser().parse(text):
        depth = token.level
        for child in token.children or []:
            depth += child.nesting
            deepest = max(deepest, depth)
        deepest = max(deepest, token.level)
    return deepest


def refused_images(text: str) -> list[str]:
    """The image sources in ``text`` that rendering would have to fetch."""
    return [source for source in image_sources(text) if not EMBEDDED_IMAGE.match(source)]


def live_markup(markdown: str, marks: frozenset[str] = frozenset()) -> list[str]:
    """What ``markdown`` would make live when a page renders it with raw HTML on, as
    GitHub does: every HTML tag but ``marks``, image that is not embedded, and link
    that is not :data:`LINK`. Empty for anything this module writes."""
    live: list[str] = []
    for token in _html_reader().parse(markdown):
        if token.type == "html_block":
            live.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline" and child.content not in marks:
                live.append(child.content)
            elif child.type == "image" and not EMBEDDED_IMAGE.match(str(child.attrs["src"])):
                live.append(f"image {child.attrs['src']}")
            elif child.type == "link_open" and not LINK.match(str(child.attrs["href"])):
                live.append(f"link {child.attrs['href']}")
    return live


def links(markdown: str) -> set[str]:
    """Every link target in ``markdown``, as a renderer with raw HTML on reads it."""
    return {str(child.attrs["href"]) for token in _html_reader().parse(markdown)
            for child in token.children or [] if child.type == "link_open"}


def top_level_blocks(markdown: str) -> list[str]:
    """The source lines of each outermost block of ``markdown`` (a paragraph, a whole
    list, a table, a fenced code block), without the blank lines between them."""
    lines = markdown.split("\n")
    return ["\n".join(lines[token.map[0]:token.map[1]])
            for token in _html_reader().parse(markdown) if token.level == 0 and token.map]


@cache
def _html_reader() -> MarkdownIt:
    reader = _commonmark(html=True)
    reader.validateLink = lambda url: True  # type: ignore[method-assign]
    return reader


def _image(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """An embedded image as usual; any other source as its alt text only (never fetched)."""
    token = tokens[index]
    if EMBEDDED_IMAGE.match(str(token.attrs.get("src", ""))):
        return str(renderer.image(tokens, index, options, env))
    return str(renderer.renderInlineAsText(token.children or [], options, env))
