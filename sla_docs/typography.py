"""The typography of each language: what a careful typesetter of the edition would do.

One home for it: :func:`typeset` takes a run of plain text and a language (or a CLDR
locale, ``pt_PT``); :func:`typeset_markdown` and :func:`typeset_html` apply it to a whole
page, to its text runs only (never inside a tag, an attribute, a code span, a link's
address, a URL, an e-mail address or an entity). The editions pass everything they print
through one of these, so a text from the source, a catalog's word, a figure, a table and
a heading are set alike; the PDF is printed from the HTML.

The rules, for every language: the apostrophe U+2019 (U+2018 where it opens a quote),
straight double quotes as the language's quotation marks (« » in French, Italian and
Spanish, U+201C and U+201D in English and Portuguese), a number and the word, unit or
sign after it never parted at a line end, nor a currency symbol and its amount, nor a
formula's operator and what follows it (``= 100``), and "e-mail" never broken at its
hyphen (U+2011).
French adds a no-break space (U+00A0) before ``:`` and a narrow one
(U+202F) before ``; ? !`` and inside « », replacing an ordinary space or adding the
missing one; a ``:`` in a time (9:00) or an address is no punctuation and stays as it is.
The first day of a month is an ordinal in French (1er, set as 1<sup>er</sup> in HTML),
Italian (1º) and Portuguese (1º, in Portugal 1.º): :func:`first_day_ordinal`, also used
where dates are written. A number written as a word (one to ten) and the unit of time
after it are not parted either ("dois dias"); a duration of one unit after a
preposition is said in words ("within one hour", "entro un\u2019ora"), and French elides
"de" before it ("un délai d\u2019une heure").

Every rule is idempotent: setting a set text again changes nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache

NBSP = "\u00a0"
"""No-break space: before the French colon, between a number and its unit."""
NNBSP = "\u202f"
"""Narrow no-break space: before the French ``; ? !`` and inside « »."""
NB_HYPHEN = "\u2011"
"""Non-breaking hyphen: "e\u2011mail" never parts at a line end."""
_HOLE = "\x00"
"""Stands for a protected run (a tag, a code span, a URL) while the rules run."""
_QUOTES = {"fr": ("«", "»"), "it": ("«", "»"), "es": ("«", "»"), "pt": ("\u201c", "\u201d"),
           "en": ("\u201c", "\u201d")}
_FIRST_DAY = {"fr": "1er", "it": "1º", "pt": "1º", "pt_PT": "1.º"}
"""The first day of a month in formal writing, where it is an ordinal."""

_SPACE = "[ \t\u00a0\u202f]"
_AFTER_PUNCTUATION = r"(?=[ \t\r\n\x00*_)\]}»\u201d\u2019.,]|$)"
"""What may follow a punctuation mark that is one: a space, the end, a closing mark."""
_DOUBLE_QUOTE = re.compile(r'"')
_APOSTROPHE = re.compile(r"'")
_FR_COLON = re.compile(rf"{_SPACE}*:{_AFTER_PUNCTUATION}")
_FR_HIGH = re.compile(rf"{_SPACE}*([;?!]+){_AFTER_PUNCTUATION}")
_FR_OPENING = re.compile(rf"«{_SPACE}*")
_FR_CLOSING = re.compile(rf"{_SPACE}*»")
_NUMBER_UNIT = re.compile(r"(?<=\d)((?:\*\*|\*|__|_|\x00)*) (?=[^\W\d_]|[%‰€$£¥°º])")
_CURRENCY_AMOUNT = re.compile(r"(?<=[$€£¥]) (?=\d)")
_EMAIL_WORD = re.compile(r"\b([eE])-(mail)")
_NUMBERED = re.compile(r"(?:\b(?:[Aa]nnexe?|[Aa]llegato|[Aa]nexo)|§) (?=\d)")
"""A reference and its number ("Annex 1", "Allegato 1", "§ 6"): one thing, never parted."""
_NUMBER_WORDS = {
    "en": ("one|two|three|four|five|six|seven|eight|nine|ten",
           "minutes?|hours?|days?|weeks?|months?|years?|working|business"),
    "it": ("un|uno|una|due|tre|quattro|cinque|sei|sette|otto|nove|dieci",
           "minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi]"),
    "fr": ("un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix",
           "minutes?|heures?|jours?|semaines?|mois|ans?|années?"),
    "es": ("un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez",
           "minutos?|horas?|días?|semanas?|mes|meses|años?"),
    "pt": ("um|uma|dois|duas|três|quatro|cinco|seis|sete|oito|nove|dez",
           "minutos?|horas?|dias?|semanas?|mês|meses|anos?"),
}
"""Per language: the numbers one to ten as words, and the units of time they count."""
_ONE_UNIT = {
    "en": ("within|in|of|for|after", {"minute": "one minute", "hour": "one hour",
                                       "day": "one day", "week": "one week",
                                       "month": "one month", "year": "one year"}),
    "it": ("entro|in|di|da|dopo|per|con", {"minuto": "un minuto", "ora": "un\u2019ora",
                                            "giorno": "un giorno", "settimana": "una settimana",
                                            "mese": "un mese", "anno": "un anno"}),
    "fr": ("de|dans|sous|en|après|pendant", {"minute": "une minute", "heure": "une heure",
                                              "jour": "un jour", "semaine": "une semaine",
                                              "mois": "un mois", "an": "un an"}),
    "es": ("en|de|tras|durante|con|a", {"minuto": "un minuto", "hora": "una hora",
                                         "día": "un día", "semana": "una semana",
                                         "mes": "un mes", "año": "un año"}),
    "pt": ("em|de|até|após|por|com", {"minuto": "um minuto", "hora": "uma hora",
                                       "dia": "um dia", "semana": "uma semana",
                                       "mês": "um mês", "ano": "um ano"}),
}
"""Per language: the prepositions after which a duration of one unit is in a sentence,
and that unit said in words ("within 1 hour" reads "within one hour")."""
_FR_ELISION = re.compile(r"\b([dD])e[ \u00a0](une?)[ \u00a0](?=(?:minutes?|heures?|jours?|"
                         r"semaines?|mois|ans?|années?)\b)")
"""French "de" before "un"/"une" counting a unit of time: "d\u2019une heure"."""
_FR_FIRST = re.compile("(?<![\\w.,])1er(?=\u00a0)")
_OPERATOR = re.compile("(?<=[^ \t\n] )([=\u00d7\u00f7+\u2212]) (?=\\S)")
"""An operator between spaces in a formula: the line may break before it, never after."""

_URL = (r"\b(?:(?:https?|ftp|mailto|data|tel):|www\.)[^\s<>|\x00]*"
        r"[^\s<>|\x00.,;:!?)\]'\"»\u201d\u2019]")
"""An address, but not the punctuation mark that ends the sentence after it."""
_ADDRESS = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_IN_TEXT = re.compile(f"{_URL}|{_ADDRESS}")
_IN_MARKDOWN = re.compile("|".join([
    r"^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|\Z)",  # a fenced code block
    r"(`+)[\s\S]*?(?<!`)\2(?!`)",  # a code span
    r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)",  # a link's address
    r"^ {0,3}\[[^\]\n]+\]:[^\n]*$",  # a link reference definition
    r"^\|?(?: *:?-+:? *\|)+ *(?::?-+:?)? *$",  # a table's delimiter row
    r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);",  # an entity
    r"\\[^\s\w]",  # a backslash escape
    _URL, _ADDRESS,
]), re.MULTILINE)
_IN_HTML = re.compile(r"<(script|style|code|pre|kbd|samp)\b[^>]*>[\s\S]*?</\1\s*>"
                      r"|<!--[\s\S]*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
"""What of a page is markup: a tag (a quoted ``>`` inside it too), a comment, and the
whole of a script, a style or code."""


def typeset(text: str, language: str) -> str:
    """A run of plain text set by the rules of ``language`` (``fr``, or a locale ``pt_PT``).

    URLs and e-mail addresses in the run are left as they are.
    """
    return "".join(piece for piece, _ in _set(_split(text, _IN_TEXT), language))


def typeset_markdown(markdown: str, language: str) -> str:
    """A Markdown page set by the rules of ``language``, its markup left as it is."""
    return "".join(piece for piece, _ in _set(_split(markdown, _IN_MARKDOWN), language))


def typeset_html(page: str, language: str) -> str:
    """An HTML page set by the rules of ``language``: its text only, never a tag, an
    attribute, a script, a style or code; characters are re-escaped as needed."""
    pieces: list[tuple[str, bool]] = []
    for text, is_markup in _split(page, _IN_HTML):
        pieces += [(text, True)] if is_markup else _split(html.unescape(text), _IN_TEXT)
    # a tag is kept as it is; text, and an address in it, are escaped again
    out: list[str] = []
    in_title = False
    for text, is_kept in _set(pieces, language):
        if is_kept and text.startswith("<"):
            closes = text[:8].lower() == "</title>"
            in_title = text[:7].lower() == "<title>" or (in_title and not closes)
            out.append(text)
        else:
            escaped = html.escape(text, quote=False)
            superscript = _language(language) == "fr" and not in_title
            out.append(_FR_FIRST.sub("1<sup>er</sup>", escaped) if superscript else escaped)
    return "".join(out)


def first_day_ordinal(date_text: str, language: str) -> str:
    """A written date with the first day of the month as the language's ordinal:
    ``1 dicembre 2026`` → ``1º dicembre 2026``; other days and languages as they are."""
    pattern = _first_day_pattern(language)
    if pattern is None:
        return date_text
    ordinal = _FIRST_DAY.get(language) or _FIRST_DAY[_language(language)]
    return pattern.sub(ordinal + NBSP, date_text)


def _split(text: str, protected: re.Pattern[str]) -> list[tuple[str, bool]]:
    """``text`` in pieces, each marked True where ``protected`` matched it."""
    pieces: list[tuple[str, bool]] = []
    done = 0
    for match in protected.finditer(text):
        pieces += [(text[done:match.start()], False), (match.group(0), True)]
        done = match.end()
    return [*pieces, (text[done:], False)]


def _set(pieces: list[tuple[str, bool]], language: str) -> list[tuple[str, bool]]:
    """The pieces, the text ones set by the rules (which see every protected piece as one
    opaque character), the protected ones as they are."""
    holed = "".join(_HOLE if is_kept else text.replace(_HOLE, "\ufffd")
                    for text, is_kept in pieces)
    for rule in _rules(language):
        holed = rule(holed)
    set_texts = iter(holed.split(_HOLE))
    out = [(next(set_texts), False)]
    for text, is_kept in pieces:
        if is_kept:
            out += [(text, True), (next(set_texts), False)]
    return out


def _language(language: str) -> str:
    return language.replace("-", "_").split("_")[0].lower()


def _rules(language: str) -> list[Callable[[str], str]]:
    """The rules of ``language``, in the order they must run."""
    rules: list[Callable[[str], str]] = [
        lambda text: _quotes(text, language), _apostrophes, _non_breaking]
    one_unit = _one_unit(_language(language))
    if one_unit is not None:
        pattern, said = one_unit
        rules.insert(0, lambda text: pattern.sub(
            lambda match: match.group(1) + said[match.group(2).lower()], text))
    words = _number_words(_language(language))
    if words is not None:
        rules.append(lambda text: words.sub("\\1" + NBSP, text))
    if _language(language) == "fr":
        rules += [lambda text: _FR_ELISION.sub("\\1\u2019\\2" + NBSP, text), _french_spacing]
    rules.append(lambda text: first_day_ordinal(text, language))
    return rules


def _quotes(text: str, language: str) -> str:
    """Straight double quotes as the language's quotation marks, opening or closing by
    what stands before them."""
    opening, closing = _QUOTES.get(_language(language), ("\u201c", "\u201d"))

    def mark(match: re.Match[str]) -> str:
        return opening if _opens(text, match.start()) else closing

    return _DOUBLE_QUOTE.sub(mark, text)


def _apostrophes(text: str) -> str:
    """``'`` as the apostrophe \u2019, or as \u2018 where it opens a quotation."""
    def mark(match: re.Match[str]) -> str:
        return "\u2018" if _opens(text, match.start()) else "\u2019"

    return _APOSTROPHE.sub(mark, text)


def _opens(text: str, at: int) -> bool:
    """Whether a quote at ``at`` opens: nothing or a space or an opening bracket before
    it, and something other than a space after it."""
    before_at, after_at = at - 1, at + 1
    while before_at >= 0 and text[before_at] == _HOLE:  # a tag is not what stands there
        before_at -= 1
    while after_at < len(text) and text[after_at] == _HOLE:
        after_at += 1
    before = text[before_at] if before_at >= 0 else " "
    after = text[after_at] if after_at < len(text) else " "
    return (before.isspace() or before in "([{\u00a0\u202f—\u2013") and not after.isspace()


def _non_breaking(text: str) -> str:
    """A number and its unit, a symbol and its amount, a reference and its number
    ("Anexo 1"), "e-mail", an operator and what follows it: never parted."""
    text = _NUMBER_UNIT.sub(lambda match: match.group(1) + NBSP, text)
    text = _CURRENCY_AMOUNT.sub(NBSP, text)
    text = _NUMBERED.sub(lambda match: match.group(0)[:-1] + NBSP, text)
    text = _OPERATOR.sub(lambda match: match.group(1) + NBSP, text)
    return _EMAIL_WORD.sub(rf"\1{NB_HYPHEN}\2", text)


def _french_spacing(text: str) -> str:
    """The French spaces before ``: ; ? !`` and inside « »."""
    def before(space: str) -> Callable[[re.Match[str]], str]:
        def spaced(match: re.Match[str]) -> str:
            mark = match.group(0).lstrip(" \t\u00a0\u202f")
            starts_line = match.start() == 0 or text[match.start() - 1] == "\n"
            return match.group(0) if starts_line else space + mark
        return spaced

    text = _FR_COLON.sub(before(NBSP), text)
    text = _FR_HIGH.sub(before(NNBSP), text)
    text = _FR_OPENING.sub("«" + NNBSP, text)
    return _FR_CLOSING.sub(NNBSP + "»", text)


@cache
def _one_unit(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """"1 hour" after a preposition, and how ``language`` says it in words."""
    if language not in _ONE_UNIT:
        return None
    prepositions, said = _ONE_UNIT[language]
    units = "|".join(said)
    return re.compile(rf"(?i)(\b(?:{prepositions})[ \u00a0]+)1[ \u00a0]({units})\b(?![.,]\d)"
                      ), said


@cache
def _number_words(language: str) -> re.Pattern[str] | None:
    """The space between a number word and the unit of time it counts, in ``language``."""
    if language not in _NUMBER_WORDS:
        return None
    numbers, units = _NUMBER_WORDS[language]
    return re.compile(rf"\b({numbers}) (?=(?:{units})\b)", re.IGNORECASE)


@cache
def _first_day_pattern(language: str) -> re.Pattern[str] | None:
    """``1`` before a month's name, in a language whose first day is an ordinal."""
    if _language(language) not in _FIRST_DAY:
        return None
    # Babel's month names: the same CLDR data the dates are written from
    from babel.dates import get_month_names

    locale = language.replace("-", "_")
    months = {str(name).lower() for context in ("format", "stand-alone")
              for name in get_month_names("wide", context, locale=locale).values()}
    joined = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    article = "de[ \u00a0]" if _language(language) == "pt" else ""
    return re.compile(rf"(?<![\d.,])\b1[ \u00a0](?={article}(?:{joined})\b)",
                      re.IGNORECASE)
