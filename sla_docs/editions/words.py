"""What the edition templates call to write an agreement's values in an edition's language.

Each text with its figures written in (:mod:`sla_docs.targets.inject`), formatted by the
edition's locale (:mod:`sla_docs.targets.formats`), turned from Markdown into safe HTML
or safe Markdown (:mod:`sla_docs.markdown`); the model's fixed words, party names,
terms and lists as the language writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal, get_args

from babel import Locale
from babel.lists import format_list
from markupsafe import Markup

from sla_docs import markdown as prose
from sla_docs.editions.appendix import Appendix, appendix
from sla_docs.editions.css import css_content
from sla_docs.editions.days import counted_days
from sla_docs.editions.edition import Edition
from sla_docs.editions.i18n import context_translator, translator
from sla_docs.message_ids import N_, per_id
from sla_docs.model.inputs import Inputs
from sla_docs.model.types import Cadence, Channel, Period, Text
from sla_docs.targets import inject
from sla_docs.targets.figures import Figure
from sla_docs.typography import NBSP

Format = Literal["md", "html"]
"""The text formats rendered here; the PDF is made from the HTML."""

PLACE_AND_DATE = N_("Place and date: {place}, {date}")
"""The line each signatory fills in by hand (``Fait à {place}, le {date}``)."""
AUDIT_NOTE = N_("For audit: this edition was made from the source file {file}, "
                "SHA-256 {sha256}.")
"""The small print of the last page: which source, to the byte, the edition shows."""

PREVAILING_EDITION = N_("In case of any discrepancy between the language editions of this "
                        "agreement, or of doubt about their interpretation, the {language} "
                        "edition prevails.")
"""The clause on the agreement's editions, with the prevailing language's name in the
edition's language (``the English edition``, ``la versione in inglese``)."""

_EQUALS = re.compile(r"[ \u00a0\u202f]=[ \u00a0\u202f]")

WHOLE_FORMULA = 40
"""The longest working (in characters) the PDF's Working column keeps on one line: about
two fifths of the annex's table at its 8.5 pt, so the label column keeps the rest."""

OR = N_("or")
"""Between the last two of a contract's alternatives (``…; or``)."""

UNITS = {"leads": N_("leads"), "customers": N_("customers"),
         "opportunities": N_("opportunities"), "hours": N_("hours"), "days": N_("days"),
         "meetings": N_("meetings"), "calls": N_("calls")}
"""Goal units the catalogs translate; any other unit is printed as the source has it."""


def model_words() -> list[str]:
    """The message ids of the model's fixed words, as the editions ask for them.

    Channels and cadences (:meth:`Words.word`), goal periods (:meth:`Words.per`) and
    the quota's period (the appendix) are ``Literal`` values, which cannot carry an
    ``N_()`` mark: the catalog check derives their ids from the types here, with the
    same spelling as the lookups.
    """
    quota_periods = get_args(Inputs.model_fields["period"].annotation)
    return [*(word_id(word) for word in (*get_args(Channel), *get_args(Cadence))),
            *(per_id(period) for period in get_args(Period)), *quota_periods]


_PLAIN_LOCALES = frozenset({"en_US", "it_IT", "fr_FR", "es_ES"})
"""The default locales whose readers need no region beside the language's name."""


_WORD_IDS = {"crm_task": "CRM task", "biweekly": "every two weeks"}
"""The model words whose English is not their id's spelling ("biweekly" is ambiguous)."""


def word_id(english: str) -> str:
    """The message id of a model word (``crm_task`` → ``CRM task``)."""
    return _WORD_IDS.get(english, english.replace("_", " "))


class Words:
    """What the templates call to write the agreement's values in the edition's language."""

    def __init__(self, edition: Edition, kind: Format) -> None:
        self.edition = edition
        self.kind = kind
        self.language = edition.language
        self.write = counted_days(edition.agreement, edition.language)
        self._ = translator(edition.language)
        self.in_context = context_translator(edition.language)
        self.names = inject.context(edition.targets, inject.agreement_dates(
            edition.agreement.effective_date, edition.agreement.review.next_review))
        self.figures: dict[str, Figure] = {f.reference: f
                                           for f in edition.targets.figures.values()}
        self.appendix: Appendix = appendix(edition.targets, edition.agreement, self.language)

    def text(self, text: Text | None) -> str:
        """A text in the edition's language, its figures written in, as plain Markdown."""
        if text is None:
            return ""
        written = text.get(self.language) or ""
        return inject.render(written, self.names, self.write)

    def prose(self, text: Text | None) -> Markup:
        """A block of prose, as this edition's format."""
        written = self.text(text)
        if self.kind == "html":
            return Markup(prose.to_html(written))
        return Markup(prose.to_markdown(written))

    def inline(self, text: Text | str | None) -> Markup:
        """A short text (a table cell, a list item) as this edition's format, on one line."""
        written = self.text(text) if isinstance(text, Text) else (text or "")
        if self.kind == "html":
            return Markup(prose.to_inline_html(written))
        return Markup(prose.to_inline_markdown(written))

    def money(self, amount: Decimal) -> str:
        """An amount in the agreement's currency (``5.000 €``)."""
        return self.write(amount, "money")

    def number(self, value: Decimal | int) -> str:
        """A number (``1.234``)."""
        return self.write(value, "count")

    def days(self, count: int) -> str:
        """A number of days in words (``10 giorni``, ``1 jour``)."""
        return self.write(count, "days")

    def date(self, day: dt.date | None) -> str:
        """A date, long form (``1 dicembre 2026``)."""
        return self.write(day, "date") if day is not None else "—"

    def duration(self, span: dt.timedelta | None) -> str:
        """A duration in words (``4 ore``)."""
        return self.write(span, "duration") if span is not None else "—"

    def alternatives_after_colon(self, items: list[Text]) -> list[str]:
        """Conditions listed after a colon, any one of which is enough, as a contract
        punctuates them in every language: each in lower case, ending with ``;``, the
        one before the last with ``; or`` (``; oppure``, ``; ou``), the last with ``.``."""
        texts = [re.sub(r"[\s.;:,]+$", "", self.after_colon(self.text(item))) for item in items]
        ends = [";"] * (len(texts) - 1) + ["."]
        if len(texts) > 1:
            ends[-2] = f"; {self._or_before(texts[-1])}"
        # "&lt" + ";" would be an entity: the semicolon escaped stays a semicolon
        return [text + ("\\" if re.search(r"&#?\w+$", text) and end[0] == ";" else "") + end
                for text, end in zip(texts, ends, strict=True)]

    def _or_before(self, text: str) -> str:
        """The language's "or" before ``text``: Spanish writes ``u`` before a word that
        starts with the sound o (``u otro``, ``u hoy``)."""
        word = re.match(r"\W*(\w+)", text)
        if self.language == "es" and word and re.match(r"h?[oó]", word.group(1).lower()):
            return "u"
        return self._(OR)

    def word(self, english: str, context: str | None = None) -> str:
        """A fixed word of the model (a channel, a cadence, a period) in the language;
        in a ``context`` (``report``: "mensuel", not "mensuelle") where it has one."""
        if context is None:
            return self._(word_id(english))
        return self.in_context(context, word_id(english))

    def words(self, english: list[str], context: str | None = None) -> str:
        """Several fixed words, joined the way the language lists things."""
        return self._listed([self.word(w, context) for w in english])

    def party(self, party_id: str) -> str:
        """A party's name."""
        for party in self.edition.agreement.parties:
            if party.id == party_id:
                return self.text(party.name)
        return party_id

    def running_header(self, language_name: str) -> Markup:
        """The header of every page but the cover, as CSS ``content``: the agreement's
        name (``name:``, else the title) as plain text, its version, the language."""
        agreement = self.edition.agreement
        name = " ".join(self.text(agreement.name or agreement.title).split())
        version = self._("version {version}").format(version=agreement.version)
        return self.css_string(" · ".join((name, version, language_name)))

    def place_and_date(self) -> Markup:
        """A signatory's place-and-date line (HTML), its blanks drawn as rules."""
        blank = Markup('<span class="blank"></span>')
        return Markup.escape(self._(PLACE_AND_DATE)).format(place=blank, date=blank)

    def audit_note(self) -> Markup:
        """The source file and its SHA-256, for an auditor."""
        if self.kind == "md":
            return Markup(self._(AUDIT_NOTE).format(
                file=prose.escape_text(self.edition.source_name),
                sha256=self.edition.source_sha256))
        sha256 = Markup('<br><span class="hash">{}</span>').format(self.edition.source_sha256)
        return Markup.escape(self._(AUDIT_NOTE)).format(file=self.edition.source_name,
                                                        sha256=sha256)

    def formula(self, working: str) -> Markup:
        """A figure's working (HTML) that breaks only before an ``=``: never inside a
        term, never between ``=`` and what it equals, and the result never alone on a
        line after a rounded quotient (``= ⌈52,94…⌉ = 53`` stays whole). A formula of
        :data:`WHOLE_FORMULA` characters or fewer never breaks: the label beside it wraps
        instead (``600 × 10 minutes ÷ 60 = 100 heures`` on one line)."""
        if len(working) <= WHOLE_FORMULA:
            return Markup('<span class="nowrap">{}</span>').format(working)
        terms = _EQUALS.split(working)
        if len(terms) > 2:
            terms[-2:] = [f"{terms[-2]} =\u00a0{terms[-1]}"]
        return Markup(" ").join(Markup('<span class="nowrap">{}</span>').format(
            term if index == 0 else "=\u00a0" + term) for index, term in enumerate(terms))

    def all_parties(self) -> str:
        """Every party's name, for the cover: ``Marketing · Vendite``."""
        return " · ".join(self.text(party.name) for party in self.edition.agreement.parties)

    def parties(self, party_ids: list[str]) -> str:
        """Several parties, listed the way the language lists things."""
        return self._listed([self.party(party_id) for party_id in party_ids])

    def contacts(self, contact_ids: list[str]) -> str:
        """Several contacts, listed the way the language lists things."""
        return self._listed([self.contact(contact_id) for contact_id in contact_ids])

    def _listed(self, items: list[str]) -> str:
        return str(format_list(items, locale=self.edition.locale))

    def contact(self, contact_id: str) -> str:
        """A contact's name, with their party's name (the arbiter, in no party: their role)."""
        arbiter = self.edition.agreement.conflict_resolution.arbiter
        if arbiter is not None and arbiter.id == contact_id:
            return f"{arbiter.name}, {self.title_after_name(self.text(arbiter.role))}"
        for party in self.edition.agreement.parties:
            for contact in party.contacts:
                if contact.id == contact_id:
                    return f"{contact.name} ({self.text(party.name)})"
        return contact_id

    def term(self, term_id: str) -> str:
        """A defined term's word, as the definitions write it (``Lead qualificato ...``)."""
        term = self.edition.agreement.definitions.terms.get(term_id)
        return self.text(term.term) if term else term_id

    def term_in_text(self, term_id: str) -> str:
        """A defined term inside a sentence: its first word in lower case unless it is
        a name (``come lead qualificato dal marketing (MQL)``)."""
        return self.after_colon(self.term(term_id))

    def after_colon(self, text: str) -> str:
        """A text that continues a sentence (after a term and a colon): its first word
        in lower case, unless it is an acronym or one of the agreement's names."""
        match = re.match(r"(\W*)(\w+)", text)
        if match is None or match.group(2) in self._names() or "`" in match.group(1):
            return text  # nothing to lower, a name, or code (`Either` is a value)
        word = match.group(2)
        if not (word[:1].isupper() and (word[1:].islower() or len(word) == 1)):
            return text  # an acronym (MQL), a word in lower case already, a number
        return text[:match.start(2)] + word[:1].lower() + text[match.start(2) + 1:]

    def title_after_name(self, title: str) -> str:
        """A job title after a person's name: in lower case like any title
        (``Lena Whitaker, direttrice generale``), unless the YAML writes it as a proper
        title, with a later word capitalised (``Elena Marchetti, Chief Revenue Officer``)."""
        names = self._names()
        later = re.findall(r"\w+", title)[1:]
        if any(word[:1].isupper() and word[1:].islower() and word not in names
               for word in later):
            return title
        return self.after_colon(title)

    def _names(self) -> set[str]:
        """Words that keep their capital: the parties' and the contacts' names."""
        agreement = self.edition.agreement
        names = [self.text(party.name) for party in agreement.parties]
        names += [contact.name for party in agreement.parties for contact in party.contacts]
        return {word for name in names for word in re.findall(r"\w+", name)}

    def track(self, track_id: str) -> str:
        """A nurturing track's name."""
        for track in self.edition.agreement.nurturing.tracks:
            if track.id == track_id:
                return self.text(track.name)
        return track_id

    def goal_target(self, target: Decimal | str | None, unit: str | None) -> str:
        """A goal's number, with its unit: ``5.000 €``, ``100 lead``, ``95 %``."""
        if target is None:
            return "—"
        figure = self.figures.get(target) if isinstance(target, str) else None
        value = figure.value if figure is not None else target
        if unit == "currency" or (figure is not None and figure.kind == "money"):
            return self.write(value, "money")  # type: ignore[arg-type]
        if unit == "percent":
            return self.write(Decimal(value) / 100, "rate")  # type: ignore[arg-type]
        number = self.write(value, figure.kind if figure is not None else "count")  # type: ignore[arg-type]
        said = self._(UNITS[unit]) if unit in UNITS else (unit or "")
        return f"{number} {said}".strip()

    def per(self, period: str | None) -> str:
        """A goal's period: ``per month``, on one line (its words never part)."""
        return self._(per_id(period)).replace(" ", NBSP) if period else "—"

    def language_name(self) -> str:
        """The edition's language, in that language, capitalised (``Italiano``), with its
        region where readers tell them apart (``Português (Brasil)``)."""
        locale = Locale.parse(self.edition.locale)
        name = str((locale.get_display_name() if self.edition.locale not in _PLAIN_LOCALES
                    else locale.get_language_name()) or self.language)
        return name[:1].upper() + name[1:]

    def prevailing_edition(self) -> str:
        """Which edition prevails in case of doubt, in this edition's language and naming
        the language as CLDR writes it there; '' for an agreement in one language, whose
        one edition has no other to differ from."""
        agreement = self.edition.agreement
        if len(set(agreement.languages)) < 2:
            return ""
        prevailing = agreement.prevailing_edition
        name = Locale.parse(self.edition.locale).languages.get(prevailing, prevailing)
        return self._(PREVAILING_EDITION).format(language=name)

    def page_counter(self) -> Markup:
        """``Page X of Y`` in the language, as the CSS ``content`` of the page footer."""
        return Markup(css_content(self._("Page {page} of {pages}"),
                                  {"page": "counter(page)", "pages": "counter(pages)"}))

    def css_string(self, text: str) -> Markup:
        """A text as a quoted CSS string, safe inside ``content:``."""
        return Markup(css_content(text, {}))
