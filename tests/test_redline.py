"""The word-level HTML redline: marks in the right places, the new structure kept whole."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from sla_docs.revisions.redline import REDLINE_STYLE, VOID, redline_html
from tests.conftest import ROOT, replace_once


def page(body: str, style: str = "p { color: red; }") -> str:
    """A whole document around ``body``, as the templates lay one out."""
    return (f"<!DOCTYPE html>\n<html>\n<head>\n<title>T</title>\n<style>{style}</style>\n"
            f"</head>\n<body>\n<section>\n{body}\n</section>\n</body>\n</html>\n")


@dataclass
class Element:
    """An element of a parsed output: its tag, attributes and children in order."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """All the text inside, as a reader sees it (entities decoded)."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str) -> list[Element]:
        """This element and those inside it named ``tag``, in document order."""
        found = [self] if self.tag == tag else []
        for child in self.children:
            if isinstance(child, Element):
                found.extend(child.all(tag))
        return found

    def elements(self) -> list[Element]:
        """The child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Element)]


class TreeBuilder(HTMLParser):
    """Parses an output strictly: every end tag must close the element opened last."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(document: str) -> Element:
    """The tree of ``document``; fails unless every element is closed, in order."""
    builder = TreeBuilder()
    builder.feed(document)
    builder.close()
    assert [element.tag for element in builder.stack] == ["#root"], "elements left open"
    return builder.root


def marks(document: str) -> list[tuple[str, str]]:
    """Every <ins> and <del> in ``document``, in order, with its text."""
    return [(element.tag, element.text()) for element in _walk(parse(document))
            if element.tag in ("ins", "del")]


def _walk(element: Element) -> list[Element]:
    found = [element]
    for child in element.elements():
        found.extend(_walk(child))
    return found


def shape(document: str) -> list[list[int]]:
    """The cells per row of each table in ``document``."""
    return [[len(row.elements()) for row in table.all("tr")]
            for table in parse(document).all("table")]


def test_a_changed_number_is_marked_within_its_paragraph() -> None:
    old = page("<p>Le Vendite raggiungono una quota di 5.000 USD al mese.</p>")
    new = page("<p>Le Vendite raggiungono una quota di 6.000 USD al mese.</p>")
    out = redline_html(old, new)
    assert ("<p>Le Vendite raggiungono una quota di <del>5.000</del><ins>6.000</ins> USD al"
            " mese.</p>") in out
    assert marks(out) == [("del", "5.000"), ("ins", "6.000")]


def test_a_no_break_space_separates_the_number_from_its_unit() -> None:
    out = redline_html(page("<p>di 5.000&nbsp;USD</p>"), page("<p>di 6.000&nbsp;USD</p>"))
    assert "<p>di <del>5.000</del><ins>6.000</ins>&nbsp;USD</p>" in out


def test_list_words_and_items_are_marked_in_the_right_item() -> None:
    old = page("<ul><li>Il lead ha visitato la pagina dei prezzi o ha chiesto una demo.</li>"
               "<li>Secondo punto.</li></ul>")
    new = page("<ul><li>Il lead ha visitato la pagina o ha chiesto una demo.</li>"
               "<li>Secondo punto.</li><li>Un punto nuovo.</li></ul>")
    out = redline_html(old, new)
    items = parse(out).all("ul")[0].children
    assert all(isinstance(item, Element) and item.tag == "li" for item in items)
    assert "<li>Il lead ha visitato la pagina <del>dei prezzi</del> o ha chiesto" in out
    assert "<li><ins>Un punto nuovo.</ins></li>" in out
    assert marks(out) == [("del", "dei prezzi"), ("ins", "Un punto nuovo.")]


def test_a_deleted_list_item_comes_back_as_a_list_item() -> None:
    old = page("<ul>\n<li>Uno.</li>\n<li>Due tre.</li>\n<li>Quattro.</li>\n</ul>")
    new = page("<ul>\n<li>Uno.</li>\n<li>Quattro.</li>\n</ul>")
    out = redline_html(old, new)
    items = parse(out).all("ul")[0].elements()
    assert [(item.tag, item.attrs.get("class"), item.text()) for item in items] == [
        ("li", None, "Uno."), ("li", "deleted", "Due tre."), ("li", None, "Quattro.")]
    assert marks(out) == [("del", "Due tre.")]


TABLE = """<table class="grid">
  <thead><tr><th>Obiettivo</th><th class="number">Valore</th></tr></thead>
  <tbody>
    <tr><td>Fatturato</td><td class="number">5.000 USD</td></tr>
    <tr><td>Lead qualificati</td><td class="number">100 lead</td></tr>
    <tr><td>Nuovi clienti</td><td class="number">50 clienti</td></tr>
  </tbody>
</table>"""


def test_a_changed_cell_is_marked_inside_that_cell_only() -> None:
    new = page(replace_once(TABLE, "100 lead", "120 lead"))
    out = redline_html(page(TABLE), new)
    assert shape(out) == shape(new) == [[2, 2, 2, 2]]
    assert '<td class="number"><del>100</del><ins>120</ins> lead</td>' in out
    assert marks(out) == [("del", "100"), ("ins", "120")]


def test_a_cell_whose_attributes_changed_too_keeps_the_row_shape() -> None:
    new = page(replace_once(TABLE, '<td class="number">100 lead</td>', "<td>120 lead</td>"))
    out = redline_html(page(TABLE), new)
    assert shape(out) == shape(new)
    assert "<td><del>100</del><ins>120</ins> lead</td>" in out


def test_a_deleted_row_comes_back_as_a_deleted_row() -> None:
    row = '    <tr><td>Lead qualificati</td><td class="number">100 lead</td></tr>\n'
    new = page(replace_once(TABLE, row, ""))
    out = redline_html(page(TABLE), new)
    rows = parse(out).all("tbody")[0].elements()
    assert [row.attrs.get("class") for row in rows] == [None, "deleted", None]
    assert [cell.tag for cell in rows[1].elements()] == ["td"]
    assert marks(out) == [("del", "Lead qualificati"), ("del", "100 lead")]


def test_a_deleted_definition_comes_back_inside_the_list() -> None:
    old = page("<dl><dt>Lead</dt><dd>Una persona.</dd><dt>MQL</dt><dd>Un lead.</dd></dl>")
    new = page("<dl><dt>Lead</dt><dd>Una persona.</dd></dl>")
    out = redline_html(old, new)
    assert [child.tag for child in parse(out).all("dl")[0].elements()] == ["dt", "dd", "dd"]
    assert marks(out) == [("del", "MQL"), ("del", "Un lead.")]


def test_a_deleted_paragraph_comes_back_as_a_paragraph() -> None:
    old = page("<p>Primo.</p>\n<p>Secondo paragrafo.</p>\n<h2>Titolo</h2>")
    out = redline_html(old, page("<p>Primo.</p>\n<h2>Titolo</h2>"))
    assert '<p class="deleted"><del>Secondo paragrafo.</del></p>' in out
    parse(out)


def test_style_head_and_title_are_never_marked() -> None:
    old = page("<p>Uguale.</p>", style="p { color: red; }")
    new = page("<p>Uguale.</p>", style="p { color: blue; } td > p { margin: 0; }")
    new = new.replace("<title>T</title>", '<title>Nuovo</title>\n<meta name="x" content="y">')
    out = redline_html(old, new)
    assert marks(out) == []
    assert out == new.replace("</head>", REDLINE_STYLE + "</head>")


def test_identical_documents_only_gain_the_style() -> None:
    document = page("<p>Linea dell&#39;obiettivo &amp; altro&nbsp;testo.</p>" + TABLE)
    out = redline_html(document, document)
    assert "<ins>" not in out and "<del>" not in out
    assert out == document.replace("</head>", REDLINE_STYLE + "</head>")
    assert re.search(r"<style>ins \{[^}]*#1a7f37[^}]*underline", out)
    assert re.search(r"del \{[^}]*#cf222e[^}]*line-through", out)


def test_whitespace_only_changes_are_not_marked() -> None:
    old = page("<p>Una  frase\n   lunga.</p><ul><li>a</li><li>b</li></ul>")
    new = page("<p>Una frase lunga. </p>\n<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>")
    out = redline_html(old, new)
    assert marks(out) == []
    assert out == new.replace("</head>", REDLINE_STYLE + "</head>")


def test_a_document_without_head_gets_the_style_first() -> None:
    out = redline_html("<p>uno</p>", "<p>due</p>")
    assert out == REDLINE_STYLE + "<p><del>uno</del><ins>due</ins></p>"
    assert redline_html("", "") == REDLINE_STYLE


def test_comments_and_void_tags_are_kept_from_the_new_document() -> None:
    out = redline_html("<!-- a --><p>uno<br>due</p>", "<p>uno<br>tre</p><!-- b -->")
    assert out == REDLINE_STYLE + "<p>uno<br><del>due</del><ins>tre</ins></p><!-- b -->"


def test_escaped_text_stays_escaped() -> None:
    old = page("<p>Scrivi &lt;script&gt;alert(1)&lt;/script&gt; qui.</p>")
    new = page("<p>Non scrivere &lt;script&gt;alert(2)&lt;/script&gt; qui &amp; là.</p>")
    out = redline_html(old, new)
    assert "<script" not in out
    assert "&lt;script&gt;" in out
    assert ("<p><del>Scrivi &lt;script&gt;alert(1)&lt;/script&gt; qui.</del><ins>Non scrivere"
            " &lt;script&gt;alert(2)&lt;/script&gt; qui &amp; là.</ins></p>") in out
    assert marks(out) == [("del", "Scrivi <script>alert(1)</script> qui."),
                          ("ins", "Non scrivere <script>alert(2)</script> qui & là.")]


def without_marks(document: str) -> str:
    """``document`` with the deletions taken out and the insertions unwrapped, whitespace
    squeezed: the deleted words bring back their old spacing, which HTML collapses."""
    document = document.replace(REDLINE_STYLE, "", 1)
    document = re.sub(r'<(li|tr|td|dd|p) class="deleted">.*?</\1>(</tr>)?', "", document)
    document = re.sub(r"<del>.*?</del>", "", document).replace("<ins>", "").replace("</ins>", "")
    return re.sub(r"\s*<", "<", re.sub(r">\s*", ">", re.sub(r"\s+", " ", document)))


def edit_lines(rng: random.Random, document: str) -> str:
    """``document`` with a few of its body's lines deleted or repeated and words changed."""
    head, body = document.split("<body>")
    lines = body.split("\n")
    for _ in range(rng.randint(1, 5)):
        index = rng.randrange(len(lines))
        action = rng.choice(["delete", "repeat", "word"])
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[rng.randrange(len(lines))])
        else:
            lines[index] = re.sub(r">([^<]*?)\b\w+\b", lambda m: f">{m[1]}NUOVO", lines[index],
                                  count=1)
    return f"{head}<body>" + "\n".join(lines)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Italian HTML edition of the acme sample, built by the command line."""
    out = tmp_path_factory.mktemp("redline")
    subprocess.run([sys.executable, "-m", "sla_docs", "build", "agreements/acme.yaml", "--lang",
                    "it", "--format", "html", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, text=True, timeout=300)
    return (out / "acme" / "acme.it.html").read_text("utf-8")


def edited(sample: str) -> str:
    """``sample`` with one number and one sentence changed."""
    text = replace_once(sample, "mensile di 5.000\xa0USD", "mensile di 6.000\xa0USD")
    return replace_once(text, "<p>Le Vendite possono inserire un lead in un percorso.</p>",
                        "<p>Le Vendite possono inserire un lead in due percorsi.</p>")


def test_the_sample_redlines_with_exactly_the_expected_marks(sample: str) -> None:
    new = edited(sample)
    out = redline_html(sample, new)
    tree = parse(out)  # every end tag closes the element opened last
    for tag in ("table", "tr", "td", "ul", "li"):
        assert out.count(f"<{tag}>") + out.count(f"<{tag} ") == out.count(f"</{tag}>"), tag
    assert shape(out) == shape(new)
    assert marks(out) == [("del", "5.000"), ("ins", "6.000"),
                          ("del", "un percorso."), ("ins", "due percorsi.")]
    assert "all\u2019obiettivo mensile" in out  # the edition's typography is kept
    changed = [p for p in tree.all("p") if p.all("ins") or p.all("del")]
    assert [[(e.tag, e.text()) for e in p.elements()] for p in changed] == [
        [("del", "5.000"), ("ins", "6.000")], [("del", "un percorso."), ("ins", "due percorsi.")]]
    assert "di fatturato mensile di <del>5.000</del><ins>6.000</ins>\xa0USD, e le Vendite" in out


def test_the_sample_redlines_a_deleted_row_and_item(sample: str) -> None:
    new = replace_once(sample, "<li>Il lead ha visitato la pagina dei prezzi o ha richiesto una "
                       "dimostrazione.</li>", "")
    new = replace_once(new, "    <tr><td>Vendite</td><td>Amy Castillo</td><td>Direttrice "
                       "delle Vendite</td><td>amy.castillo@acme.example</td></tr>\n", "")
    out = redline_html(sample, new)
    tree = parse(out)
    deleted = [(e.tag, e.text()) for e in _walk(tree) if e.attrs.get("class") == "deleted"]
    assert deleted == [("tr", "Vendite Amy Castillo Direttrice delle Vendite "
                              "amy.castillo@acme.example"),
                       ("li", "Il lead ha visitato la pagina dei prezzi o ha richiesto una "
                              "dimostrazione.")]
    assert len(marks(out)) == 5


def test_taking_the_marks_out_gives_back_the_new_document(sample: str) -> None:
    rng = random.Random(20261201)
    valid = {"ul": {"li"}, "ol": {"li"}, "tbody": {"tr"}, "tr": {"td", "th"}, "dl": {"dd"}}
    tried = marked = 0
    while tried < 30:
        old, new = edit_lines(rng, sample), edit_lines(rng, sample)
        try:
            parse(new)
        except AssertionError:
            continue  # the edit broke the new document itself
        tried += 1
        out = redline_html(old, new)
        marked += "<ins>" in out or "<del>" in out
        assert without_marks(out) == without_marks(new)
        for element in _walk(parse(out)):  # still well nested, and marks only where valid
            added = {child.tag for child in element.elements()
                     if child.tag in ("ins", "del") or child.attrs.get("class") == "deleted"}
            assert added <= valid.get(element.tag, added), (element.tag, added)
    assert marked > 20
