"""The one Markdown writer: whatever a text or a value holds, what it writes renders, with
raw HTML on (as GitHub renders it), to text, the links the text wrote, and embedded
images only; texts written side by side cannot reach into each other."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sla_docs.editions.build import build
from sla_docs.errors import InvalidAgreement
from sla_docs.markdown import (
    MARKS,
    escape_text,
    links,
    live_markup,
    parser,
    to_html,
    to_inline_markdown,
    to_markdown,
)
from sla_docs.revisions.markdown_redline import redline_markdown
from tests.conftest import TODAY, check_text, only, position_of, replace_once

ROOT = Path(__file__).resolve().parent.parent
PIXEL = "data:image/png;base64,iVBORw0KGgo="
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<div>", "</div>", "<!--",
    "-->", "<http://evil.example/a>", "![x](http://evil.example/p.png)", "![x][ref]",
    "[ref]: http://evil.example/r.png", "[ref]", "[a](javascript:alert(1))",
    "[ok](https://ok.example/p)", f"![dot]({PIXEL})", "`", "``", "```", "~~~", "\\", "*", "_",
    "**", "[", "]", "(", ")", "!", "|", "&lt;", "&#60;", "&amp;", "\n", "\n\n", "\r", "> ",
    "- ", "1. ", "    ", "#", "---", "===", "a", "b c", "é", "<b>", "<ins>", "</del>",
    "data:image/png,", "](http://evil.example)", "{{ '!' }}", "\t", "\x00",
]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)),
                        max_size=14).map("".join)


def allowed_links(text: str) -> set[str]:
    """The links a text wrote itself, as the writers allow them (https, http, mailto), read
    as a block of prose or as a short text (where an indented line is no code block)."""
    read = [*parser().parse(text.strip()), *parser().parseInline(text.strip(), {})]
    return {str(child.attrs["href"]) for token in read
            for child in token.children or [] if child.type == "link_open"}


def assert_inert(markdown: str, *sources: str, marks: frozenset[str] = frozenset()) -> None:
    assert live_markup(markdown, marks) == [], markdown
    assert links(markdown) <= set().union(*map(allowed_links, sources)), markdown


@settings(max_examples=150, deadline=None)
@given(hostile_text, hostile_text)
def test_what_the_writer_writes_can_only_be_text(first: str, second: str) -> None:
    block, inline = to_markdown(first), to_inline_markdown(first)
    assert_inert(block, first)
    assert_inert(inline, first)
    assert_inert(f"| {inline} |\n|---|\n| {escape_text(second)} |", first)
    assert_inert(escape_text(first))  # a value: no link at all
    # side by side, as texts are in an edition: neither reaches into the other
    assert_inert(f"{block}\n\n{to_markdown(second)}\n\n- {to_inline_markdown(second)}",
                 first, second)


@settings(max_examples=80, deadline=None)
@given(hostile_text, hostile_text)
def test_a_redline_of_two_texts_holds_no_html_but_its_marks(old: str, new: str) -> None:
    before, after = to_markdown(old), to_markdown(new)
    assert_inert(redline_markdown(before, after), old, new, marks=MARKS)


@pytest.mark.parametrize("text", [
    "A `backtick left open, then <script>alert(1)</script>",
    "![logo][pic]",  # its definition sits in another text
    "[pic]: http://evil.example/p.png",
    "Leads: 5![a](http://evil.example/p.png)",
    "**bold** and *it* and `<b>` with [a link](https://ok.example/x)",
    "```\n<script>\n```",
    "<img src=x onerror=alert(1)>",
])
def test_hostile_texts_side_by_side_in_one_page(text: str) -> None:
    page = "\n\n".join(to_markdown(t) for t in [text, "![logo][pic]",
                                                "[pic]: http://evil.example/p.png"])
    assert_inert(page, text)
    html_on = MarkdownIt("commonmark", {"html": True}).enable("table").render(page)
    assert "<script" not in html_on and "<img" not in html_on


def test_the_writer_keeps_what_prose_means() -> None:
    """Every text of the samples shows the same once written back as Markdown."""
    for sample in ("acme", "globex"):
        data = yaml.safe_load((ROOT / "agreements" / f"{sample}.yaml").read_text("utf-8"))
        for text in texts_in(data):
            assert to_html(to_markdown(text)) == to_html(text), text


def texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts_in(v)]
    return []


@pytest.mark.parametrize(("text", "written"), [
    ("a <b> & &amp; c \\&amp;", "a \\<b\\> & & c \\&amp;"),
    ("wow! [a](https://x.example)", "wow! [a](https://x.example)"),
    ("wow![a](https://x.example/p.png)", "wowa"),  # an image that would be fetched: its alt
    ("[a](javascript:alert(1))", "\\[a\\](javascript:alert(1))"),
    ("[a](relative/page)", "\\[a\\](relative/page)"),
    (f"![dot]({PIXEL})", f"![dot]({PIXEL})"),
    ("`` a`b `` and `<b>`", "``a`b`` and `<b>`"),
    ("- one\n- two\n\n> said", "- one\n- two\n\n> said"),
    ("1. x\n\n   para\n2. y", "1. x\n\n   para\n\n2. y"),
])
def test_texts_are_written_back_from_their_tokens(text: str, written: str) -> None:
    assert to_markdown(text) == written


def test_a_language_transform_touches_text_only() -> None:
    text = "Leads *a* `code a` [a](https://x.example/a) ![a](data:image/png,a)"
    upper = to_markdown(text, transform=str.upper)
    assert upper == "LEADS *A* `code a` [A](https://x.example/a) ![A](data:image/png,a)"
    assert "LEADS" in to_html(text, transform=str.upper)
    for added in ["<b>![x](http://e.example/p)", "\n[x]: http://e.example\n\n[x]", "\n- b",
                  "\n    <b>", "`", "\\"]:
        hostile = to_markdown("a [b](https://x.example) c",
                              transform=lambda words, added=added: words + added)
        assert_inert(hostile, "[b](https://x.example)")
        assert "\n" not in hostile


@pytest.mark.parametrize(("value", "written"), [
    ("![x](http://evil.example/p.png)", "!\\[x\\](http://evil.example/p.png)"),
    ("1. first", "1\\. first"), ("- dash", "\\- dash"), ("41.67%", "41.67%"),
    ("a | b\nc\rd", "a \\| b c d"), ("wow!", "wow\\!"), ("&lt;", "\\&lt;"),
])
def test_a_value_is_plain_text_on_one_line(value: str, written: str) -> None:
    assert escape_text(value) == written


DEEP = {"emphasis": "*" * 600 + "deep" + "*" * 600, "quotes": ">" * 600 + " deep",
        "lists": "".join("  " * depth + "- deep\n" for depth in range(60)),
        "quoted lists": "> - " * 12 + "deep"}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_a_text_nested_beyond_any_prose_is_refused_before_anything_is_written(
        tmp_path: Path, minimal_text: str, kind: str) -> None:
    deep = "    " + DEEP[kind].replace("\n", "\n    ") + "\n\n"
    text = replace_once(minimal_text, "  en: >-\n    Marketing supplies",
                        "  en: |-\n" + deep + "    Marketing supplies")
    diagnostic = only(check_text(tmp_path, text), "SLA229")
    assert diagnostic.position == position_of(text, "|-\n")
    if kind == "emphasis":  # the one that crashed the printer after md and html were written
        with pytest.raises(InvalidAgreement, match="SLA229"):
            build([tmp_path / "agreement.yaml"], tmp_path / "out", today=TODAY,
                  formats=("md", "html", "pdf"), jobs=1)
        assert not (tmp_path / "out").exists()


def test_nesting_that_prose_uses_is_fine(tmp_path: Path, minimal_text: str) -> None:
    nested = "".join("  " * depth + "- **[*a*](https://x.example)**\n" for depth in range(5))
    text = replace_once(minimal_text, "  en: >-\n    Marketing supplies",
                        "  en: |-\n    " + nested.replace("\n", "\n    ") + "\n    Marketing")
    assert [d.code for d in check_text(tmp_path, text).diagnostics] == []
