"""Each language's typography, on every edition: the bars of the native reviews.

French has a no-break space before ``:`` and a narrow one before ``; ? !`` and inside
« », never an ordinary one and never none; the first day of a month is an ordinal in
French, Italian and Portuguese; Italian and French prose has no straight apostrophe.
The samples are rendered in every language (Markdown and HTML; the PDF is printed from
the HTML), and the rules are tried on their own where a text could break them: URLs,
code, times, markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_docs.check.validate import check_file
from sla_docs.editions.edition import Edition
from sla_docs.editions.render import render
from sla_docs.typography import NBSP, NNBSP, typeset, typeset_html, typeset_markdown
from tests.conftest import ROOT, TODAY

SAMPLES = ("acme", "globex")
LANGUAGES = ("en", "it", "fr", "es", "pt")
FIRST_OF_MONTH = {"fr": "1er\xa0décembre 2026", "it": "1º\xa0dicembre 2026",
                  "pt": "1º\xa0de dezembro de 2026"}
_MARKUP = re.compile(r"<(style|code|pre)\b[^>]*>.*?</\1>|<[^>]*>", re.DOTALL)
_ADDRESSES = re.compile(r"\S+@\S+|\bhttps?://\S+|`[^`]*`|\]\([^)]*\)|^\|[-:| ]+\|$",
                        re.MULTILINE)


@cache
def edition(name: str, language: str, kind: str) -> str:
    """The sample ``name`` rendered in ``language`` as ``kind`` (md or html)."""
    checked = check_file(ROOT / "agreements" / f"{name}.yaml", TODAY)
    assert checked.agreement is not None and checked.source is not None
    return render(Edition(checked.agreement, language, f"{name}.yaml", checked.source.sha256,
                          dt.datetime(2026, 12, 1, tzinfo=dt.UTC)), kind)  # type: ignore[arg-type]


def prose(page: str, kind: str) -> str:
    """What a reader reads of a page: no tags, styles, code, addresses or table rules."""
    text = html.unescape(_MARKUP.sub(" ", page)) if kind == "html" else page
    return _ADDRESSES.sub(" ", text)


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("name", SAMPLES)
def test_french_spaces_before_high_punctuation(name: str, kind: str) -> None:
    text = prose(edition(name, "fr", kind), kind)
    assert re.findall(r".{0,20}[ \t][:;?!](?=\s|$)", text) == []
    assert re.findall(r".{0,20}[^\s\xa0\u202f\d][:;?!](?=\s|$)", text) == []
    assert re.findall(r".{0,20}[^\xa0]:(?=\s)", text) == []  # ":" takes the wider space
    assert re.findall(r".{0,20}[^\u202f][;?!](?=\s)", text) == []
    assert re.findall(r"«[^\u202f]|[^\u202f]»", text) == []


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("language", sorted(FIRST_OF_MONTH))
@pytest.mark.parametrize("name", SAMPLES)
def test_the_first_of_the_month_is_an_ordinal(name: str, language: str, kind: str) -> None:
    page = edition(name, language, kind)
    if language == "fr" and kind == "html":  # set as 1<sup>er</sup>, but not in <title>
        assert "1<sup>er</sup>\xa0décembre 2026" in page
        body = page.split("</title>", 1)[1]
        assert "1er" not in _MARKUP.sub(" ", body)  # every one in the text is set
        page = page.replace("1<sup>er</sup>", "1er")
    text = prose(page, kind)
    assert FIRST_OF_MONTH[language] in text
    assert re.findall(r"(?<![\d.,])\b1[\s\xa0](?:de )?(?:décembre|dicembre|dezembro|mars|"
                      r"marzo|março)\b", text) == []


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("language", ["it", "fr", "es", "pt", "en"])
@pytest.mark.parametrize("name", SAMPLES)
def test_no_straight_apostrophe_or_quote_in_prose(name: str, language: str, kind: str) -> None:
    text = prose(edition(name, language, kind), kind)
    assert re.findall(r".{0,20}['\"].{0,20}", text) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_numbers_and_units_are_held_together(name: str) -> None:
    for language in LANGUAGES:
        text = prose(edition(name, language, "md"), "md")
        assert re.findall(r".{0,20}\d (?:[^\W\d_]|[%€$])", text) == [], language
        assert "e-mail" not in text.lower(), language


def test_french_rules_leave_times_addresses_and_code_alone() -> None:
    written = ("Note: l'appel a lieu à 9:00; voir https://x.example/a?b=1;c=2 ou "
               "`a: b; c?` et [le site](https://x.example/?q=1!) ! « Oui » et \"non\" ?")
    assert typeset_markdown(written, "fr") == (
        f"Note{NBSP}: l\u2019appel a lieu à 9:00{NNBSP}; voir https://x.example/a?b=1;c=2 "
        f"ou `a: b; c?` et [le site](https://x.example/?q=1!){NNBSP}! «{NNBSP}Oui{NNBSP}» "
        f"et «{NNBSP}non{NNBSP}»{NNBSP}?")


def test_the_french_first_is_a_superscript_in_html_text_only() -> None:
    page = "<title>Le 1 mars</title><p title=\"le 1 mars\">Le 1 mars</p>"
    assert typeset_html(page, "fr") == (
        "<title>Le 1er\xa0mars</title><p title=\"le 1 mars\">Le 1<sup>er</sup>\xa0mars</p>")
    assert typeset_markdown("Le 1 mars", "fr") == "Le 1er\xa0mars"


def test_markup_and_escaping_survive_in_html() -> None:
    page = ('<p title="a: b>c" data-x=\'c\'><strong>Terme</strong>: l&#39;objet &lt;script&gt;'
            ' <a href="https://x.example/?a=1;b">https://x.example/?a=1;b</a></p>'
            '<style>a:b;</style><code>x: y;</code>')
    assert typeset_html(page, "fr") == (
        f'<p title="a: b>c" data-x=\'c\'><strong>Terme</strong>{NBSP}: l\u2019objet '
        '&lt;script&gt; <a href="https://x.example/?a=1;b">https://x.example/?a=1;b</a></p>'
        '<style>a:b;</style><code>x: y;</code>')


@pytest.mark.parametrize(("language", "written", "expected"), [
    ("it", "Il 1 dicembre 2026, 5 giorni, US$ 5", "Il 1º\xa0dicembre 2026, 5\xa0giorni, US$\xa05"),
    ("fr", "le 1 mars et le 21 mars", "le 1er\xa0mars et le 21\xa0mars"),
    ("pt", "1 de março", "1º\xa0de março"),
    ("pt_PT", "1 de março", "1.º\xa0de março"),
    ("es", "1 de marzo", "1\xa0de marzo"),
    ("en", "the team's e-mail", "the team\u2019s e\u2011mail"),
    ("en", "\u230850 \u00f7 50%\u2309 = 100", "\u230850 \u00f7\xa050%\u2309 =\xa0100"),
    ("en", "  + a list item", "  + a list item"),
    # a number word and the unit of time it counts are held together as digits are
    ("pt", "em até dois dias úteis, Uma semana", "em até dois\xa0dias úteis, Uma\xa0semana"),
    ("es", "en dos horas, un día", "en dos\xa0horas, un\xa0día"),
    ("it", "entro tre giorni, una settimana", "entro tre\xa0giorni, una\xa0settimana"),
    ("en", "within two working days", "within two\xa0working days"),
    # French elides "de" before "un"/"une" counting a unit of time, and only there
    ("fr", "dans un délai de une heure, de un à trois jours",
     "dans un délai d\u2019une\xa0heure, de un à trois\xa0jours"),
    # one unit after a preposition reads in words; in a table cell it stays a figure
    ("fr", "Dans un délai de 1 heure. | 1 heure |",
     "Dans un délai d\u2019une\xa0heure. | 1\xa0heure |"),
    ("it", "entro 1 ora, preavviso di 1 giorno, 1,5 ore", "entro un\u2019ora, preavviso di "
     "un\xa0giorno, 1,5\xa0ore"),
    ("es", "en un plazo de 1 hora", "en un plazo de una\xa0hora"),
    ("pt", "em até 1 hora", "em até uma\xa0hora"),
    ("en", "within 1 hour, in 1.5 hours", "within one\xa0hour, in 1.5\xa0hours"),
    # a reference and its number
    ("pt", "previstos (Anexo 1), l'annexe 2", "previstos (Anexo\xa01), l\u2019annexe\xa02"),
    ("it", "Allegato 1, § 6", "Allegato\xa01, §\xa06"),
])
def test_each_language_sets_its_own_way(language: str, written: str, expected: str) -> None:
    assert typeset(written, language) == expected


@given(st.text(alphabet=st.sampled_from(list("ab1 :;?!«»'\"<>&-\n`*[]()/.:")), max_size=60),
       st.sampled_from(LANGUAGES))
def test_typesetting_is_idempotent_and_keeps_markup(text: str, language: str) -> None:
    once = typeset_markdown(text, language)
    assert typeset_markdown(once, language) == once
    page = f"<p class=\"x\">{html.escape(text)}</p><code>{html.escape(text)}</code>"
    set_page = typeset_html(page, language)
    assert set_page.startswith('<p class="x">')
    assert set_page.endswith(f"</p><code>{html.escape(text)}</code>")
    assert typeset_html(set_page, language) == set_page
