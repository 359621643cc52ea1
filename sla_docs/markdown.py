"""The prose of an agreement is Markdown; here it becomes safe HTML or safe Markdown.

This is also the one home of Markdown escaping: :func:`escape_text` for a plain value
printed into Markdown (a name, a number, a cell of an export), :func:`table_cell` for
Markdown that must stay on one row of a table.

Raw HTML in a text is never passed through: the HTML edition escapes it (markdown-it
with ``html`` off) and the Markdown edition writes its ``<`` as ``&lt;``, so a text
shows ``<script>`` instead of running it. Links keep markdown-it's own guard (no
``javascript:``, ``vbscript:``, ``file:``). Images are the one thing rendering would
fetch, so an image may only be embedded in the text itself as a ``data:`` URI;
validation refuses any other source at its position (see :func:`refused_images`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
"""The only image sources allowed: pictures carried inside the text itself."""
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
"""What could make plain text into Markdown markup: emphasis, code, links, tags, tables,
headings, and the backslash that escapes them."""


def escape_text(text: str) -> str:
    """Plain text as Markdown that shows it exactly as written, on one line."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def table_cell(markdown: str) -> str:
    """Markdown kept in one cell of a table: pipes escaped, line breaks as spaces."""
    return markdown.replace("|", "\\|").replace("\n", " ")


@cache
def parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is text, not markup."""
    markdown = _commonmark()
    markdown.add_render_rule("image", _image)
    return markdown


@cache
def _scanner() -> MarkdownIt:
    """A parser that takes every link as it is written, to find what the editions refuse."""
    scanner = _commonmark()
    scanner.validateLink = lambda url: True  # type: ignore[method-assign]
    return scanner


def _commonmark() -> MarkdownIt:
    from markdown_it import MarkdownIt  # here: validation parses Markdown only for an image

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_html(text: str) -> str:
    """A block of prose as HTML paragraphs, lists and tables."""
    return str(parser().render(text))


def to_inline_html(text: str) -> str:
    """A short text (a name, a table cell) as HTML without a paragraph around it."""
    return str(parser().renderInline(text.strip()))


def to_markdown(text: str) -> str:
    """A block of prose for the Markdown edition: as written, raw HTML neutralised."""
    written, done = [], 0
    text = text.strip()
    for code in _CODE_SPAN.finditer(text):  # inside `code`, < is shown as it is anyway
        written += [text[done:code.start()].replace("<", "&lt;"), code.group(0)]
        done = code.end()
    return "".join([*written, text[done:].replace("<", "&lt;")])


def image_sources(text: str) -> list[str]:
    """The source of every image in ``text``, in order."""
    if "![" not in text:  # no image syntax: skip parsing, validation must stay light
        return []
    found: list[str] = []
    for block in _scanner().parse(text):
        found.extend(str(child.attrs.get("src", "")) for child in block.children or []
                     if child.type == "image")
    return found


def refused_images(text: str) -> list[str]:
    """The image sources in ``text`` that rendering would have to fetch."""
    return [source for source in image_sources(text) if not EMBEDDED_IMAGE.match(source)]


def _image(renderer: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """An embedded image as usual; any other source as its alt text only (never fetched)."""
    token = tokens[index]
    if EMBEDDED_IMAGE.match(str(token.attrs.get("src", ""))):
        return str(renderer.image(tokens, index, options, env))
    return str(renderer.renderInlineAsText(token.children or [], options, env))
