"""The structural rules: completeness and consistency of what the agreement says.

Each rule reads the raw data, so it runs even where part of the file failed validation.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import Any

from sla_docs.check.facts import Facts, as_list, dotted, get, valid
from sla_docs.durations import days_or_hours
from sla_docs.errors import Diagnostic
from sla_docs.model.languages import LANGUAGES
from sla_docs.model.sections import FollowUp
from sla_docs.model.types import parse_rate
from sla_docs.source.load import YamlPath
from sla_docs.targets.figures import PRECISION

REQUIRED_TERMS = ("lead", "mql", "sql")
"""Terms every agreement defines: the handoff rules are written in them."""
_REF_CODES = {"party": "SLA203", "contact": "SLA204", "term": "SLA205", "track": "SLA206"}


def translations(facts: Facts) -> Iterator[Diagnostic]:
    """Every text is written in every declared language, and only in those."""
    declared = [lang for lang in as_list(facts.data.get("languages")) if lang in LANGUAGES]
    for path, text in facts.texts:
        if not isinstance(text, dict):
            continue
        missing = [lang for lang in declared if lang not in text]
        if missing:
            listed = ", ".join(missing)
            yield facts.error(path, "SLA201", f"`{dotted(path)}` has no text in {listed}",
                              hint=f"add `{missing[0]}: …`", at_key=True)
        for lang in text:
            if lang in LANGUAGES and lang not in declared:
                yield facts.warning((*path, lang), "SLA202",
                                    f"text in `{lang}`, which `languages` does not declare",
                                    at_key=True)


def declared_languages(facts: Facts) -> Iterator[Diagnostic]:
    """The source and the prevailing language are languages the agreement is written in:
    an edition cannot prevail, nor a text be translated from one, that does not exist."""
    declared = [lang for lang in as_list(facts.data.get("languages")) if lang in LANGUAGES]
    for key, code in (("source_language", "SLA218"), ("prevailing_language", "SLA219")):
        lang = facts.data.get(key)
        if declared and lang in LANGUAGES and lang not in declared:
            yield facts.error((key,), code, f"`{key}` is `{lang}`, which `languages` does "
                              "not declare", hint=f"name one of {', '.join(declared)}, or "
                                                  f"add `{lang}` to `languages`")


def references(facts: Facts) -> Iterator[Diagnostic]:
    """Every owner, party, contact, term and track named is declared somewhere."""
    for path, kind, name in facts.refs:
        known = facts.declared.get(kind, {})
        if name not in known and kind not in facts.uncertain:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
            hint = f"did you mean `{close[0]}`?" if close else _known(kind, known)
            yield facts.error(path, _REF_CODES[kind], f"no {kind} `{name}` is declared", hint)


def unique_ids(facts: Facts) -> Iterator[Diagnostic]:
    """No id is declared twice, and no two items of one list share an id."""
    reported: set[YamlPath] = set()
    for path, kind, name in facts.redeclared:
        reported.add(path)
        first = facts.source.positions.locate(facts.declared[kind][name])
        yield facts.error(path, "SLA207", f"{kind} `{name}` is declared twice",
                          hint=f"first at line {first.line}")
    for path, items in _lists_of_mappings(facts.data, ()):
        seen: dict[Any, int] = {}
        for index, item in enumerate(items):
            ident = item.get("id")
            where = (*path, index, "id")
            if isinstance(ident, str) and ident in seen and where not in reported:
                yield facts.error(where, "SLA207", f"`{ident}` is used twice in `{dotted(path)}`",
                                  hint=f"item {seen[ident] + 1} has it too")
            elif isinstance(ident, str):
                seen.setdefault(ident, index)


def required_terms(facts: Facts) -> Iterator[Diagnostic]:
    """Lead, MQL and SQL are defined: the handoff and follow-up rules are written in them."""
    definitions = facts.data.get("definitions")
    if not isinstance(definitions, dict) or not isinstance(definitions.get("terms"), dict):
        return
    terms = facts.declared.get("term", {})
    for term in REQUIRED_TERMS:
        if term not in terms:
            yield facts.error(("definitions", "terms"), "SLA205",
                              f"the definition of `{term}` is missing",
                              hint="the handoff rules rely on it", at_key=True)


def party_kinds(facts: Facts) -> Iterator[Diagnostic]:
    """A marketing party and a sales party are bound; the rest is optional."""
    parties = [p for p in as_list(facts.data.get("parties")) if isinstance(p, dict)]
    if len(parties) < 2 or any(("parties", index, "kind") in facts.refused
                               for index in range(len(parties))):
        return  # a refused kind might be the missing one
    kinds = {p.get("kind") for p in parties if isinstance(p.get("kind"), str)}
    for kind in ("marketing", "sales"):
        if kind not in kinds:
            yield facts.error(("parties",), "SLA208", f"no party of kind `{kind}`",
                              at_key=True)


def every_party_signs(facts: Facts) -> Iterator[Diagnostic]:
    """Each party has at least one signatory: an agreement binds only those who sign it."""
    if "signatories" not in facts.data:
        return  # the model reports the missing section itself
    signatories = as_list(facts.data.get("signatories"))
    signing = {s.get("party") for s in signatories
               if isinstance(s, dict) and isinstance(s.get("party"), str)}
    for party, path in facts.declared.get("party", {}).items():
        if party not in signing:
            yield facts.error(path, "SLA209", f"party `{party}` has no signatory",
                              hint="add a signatory with `party: " + party + "`")


def measurable_goals(facts: Facts) -> Iterator[Diagnostic]:
    """Every goal has a number and a period: a goal that can't be measured can't be kept."""
    for index, goal in enumerate(as_list(facts.data.get("goals"))):
        if not isinstance(goal, dict):
            continue
        name = goal.get("id", f"#{index + 1}")
        if goal.get("target") is None:
            yield facts.error(("goals", index), "SLA210",
                              f"goal `{name}` is not measurable: it has no `target`")
        if goal.get("period") is None:
            yield facts.error(("goals", index), "SLA210",
                              f"goal `{name}` is not time-bound: it has no `period`")


def score_thresholds(facts: Facts) -> Iterator[Diagnostic]:
    """MQL comes before SQL on the score scale, and both fit under its maximum."""
    scoring = get(facts.data, "qualification", "scoring")
    if not isinstance(scoring, dict):
        return
    values = [scoring.get("mql"), scoring.get("sql"), scoring.get("maximum", 100)]
    numbers = [value for value in values if isinstance(value, int)]
    if len(numbers) != len(values):
        return
    mql, sql, top = numbers
    path = ("qualification", "scoring")
    if sql <= mql:
        yield facts.error((*path, "sql"), "SLA211",
                          f"the SQL threshold ({sql}) must be above the MQL threshold ({mql})")
    for name, value in (("mql", mql), ("sql", sql)):
        if value > top:
            yield facts.error((*path, name), "SLA211",
                              f"the {name.upper()} threshold ({value}) is above the maximum "
                              f"score ({top})")


def follow_up_fits(facts: Facts) -> Iterator[Diagnostic]:
    """The agreed attempts, spaced by the interval, fit in the agreed number of days."""
    raw = facts.data.get("follow_up")
    if not isinstance(raw, dict):
        return
    attempts = raw.get("attempts") if ("follow_up", "attempts") not in facts.refused else None
    follow_up = valid(FollowUp, raw)  # the model bounds what the arithmetic below meets
    if follow_up is not None and follow_up.interval is not None:
        days, interval = follow_up.over_days, follow_up.interval
        needed = interval * (follow_up.attempts - 1)
        if needed > dt.timedelta(days=days):
            yield facts.error(("follow_up", "interval"), "SLA212",
                              f"{attempts} attempts {days_or_hours(interval)} apart take "
                              f"{days_or_hours(needed)}, more than the {days} days agreed")
    recycle_after = get(facts.data, "handoff", "recycle", "after_attempts")
    if isinstance(recycle_after, int) and isinstance(attempts, int) and recycle_after < attempts:
        yield facts.error(("handoff", "recycle", "after_attempts"), "SLA213",
                          f"leads go back to Marketing after {recycle_after} attempts, before "
                          f"the {attempts} that follow-up promises")


def tier_shares(facts: Facts) -> Iterator[Diagnostic]:
    """The lead tiers' shares add up to 100%."""
    tiers = get(facts.data, "inputs", "tiers")
    if not isinstance(tiers, list) or not tiers:
        return
    shares = [share for t in tiers if isinstance(t, dict)
              if (share := _rate(t.get("share"))) is not None]
    if len(shares) != len(tiers):
        return
    with localcontext(prec=PRECISION):  # exact: 28 digits would round 1/3 × 3 off 100%
        total = sum(shares, Decimal(0))
    if total != 1:
        yield facts.error(("inputs", "tiers"), "SLA214",
                          f"the tiers' shares add up to {(total * 100).normalize():f}%, "
                          "not 100%", at_key=True)


def distinct_sides(facts: Facts) -> Iterator[Diagnostic]:
    """A need or a report goes from one party to another, not to itself."""
    for section in (("needs",), ("communication", "reports")):
        for index, item in enumerate(as_list(get(facts.data, *section))):
            if isinstance(item, dict) and item.get("from") and item.get("from") == item.get("to"):
                yield facts.error((*section, index, "to"), "SLA215",
                                  f"`from` and `to` are both `{item['to']}`")


def a_referent_per_party(facts: Facts) -> Iterator[Diagnostic]:
    """Disputes are settled by referents from every party, not by one side alone."""
    referents = get(facts.data, "conflict_resolution", "referents")
    if not isinstance(referents, list) or any(
            ("conflict_resolution", "referents", index) in facts.refused
            for index in range(len(referents))):
        return  # a refused referent may be the one that stands for a party
    party_of = {
        contact.get("id"): party.get("id")
        for party in as_list(facts.data.get("parties"))
        if isinstance(party, dict) and isinstance(party.get("id"), str)
        for contact in as_list(party.get("contacts"))
        if isinstance(contact, dict) and isinstance(contact.get("id"), str)
    }
    represented = {party_of.get(name) for name in referents if isinstance(name, str)}
    for party in facts.declared.get("party", {}):
        if party not in represented:
            yield facts.error(("conflict_resolution", "referents"), "SLA216",
                              f"party `{party}` has no referent to settle disputes",
                              hint=f"add one of `{party}`'s contacts", at_key=True)


def calendar(facts: Facts) -> Iterator[Diagnostic]:
    """The review follows the effective date; a review date that has passed is a warning."""
    effective = facts.data.get("effective_date")
    next_review = get(facts.data, "review", "next_review")
    if not isinstance(next_review, dt.date):
        return
    path = ("review", "next_review")
    if isinstance(effective, dt.date) and next_review < effective:
        yield facts.error(path, "SLA217",
                          f"the next review ({next_review}) is before the agreement takes "
                          f"effect ({effective})")
    elif next_review < facts.today:
        yield facts.warning(path, "SLA301", f"the review date {next_review} has passed",
                            hint="review the agreement and set the next date")


def _lists_of_mappings(
    data: Any, path: YamlPath
) -> Iterator[tuple[YamlPath, list[dict[str, Any]]]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _lists_of_mappings(value, (*path, key))
    elif isinstance(data, list):
        items = [item for item in data if isinstance(item, dict)]
        if len(items) == len(data) and any("id" in item for item in items):
            yield path, items
        for index, value in enumerate(data):
            yield from _lists_of_mappings(value, (*path, index))


def _rate(value: Any) -> Decimal | None:
    try:
        rate = parse_rate(value)
    except ValueError:
        return None
    return rate if isinstance(rate, Decimal) else None


def _known(kind: str, known: dict[str, YamlPath]) -> str | None:
    return f"declared: {', '.join(sorted(known))}" if known else f"declare a {kind} first"
