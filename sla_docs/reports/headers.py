"""Which column of a CRM export is which: the canonical columns, the presets' headers,
and how a header is matched.

A header is compared as :func:`header_key` writes it (case, runs of spaces, a no-break
space and a byte order mark aside, nothing else) and by a preset's documented internal
name as well as its label (``hs_first_outreach_date`` is ``First outreach date``). Two
cells of the header that would be one column stop the report; a column the mapping
expects that the export lacks is named in a warning (:func:`missing_columns`), with what
the report goes without.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from sla_docs.reports.exports import ExportError, column_names
from sla_docs.source.load import load_file

CANONICAL = ("lead_id", "created_at", "source", "tier", "handed_off_at", "owner",
             "first_attempt_at", "attempts", "connected", "stage", "customer_at",
             "deal_amount", "assigned_at")
"""The columns a report reads, by their canonical names."""
REQUIRED = ("lead_id", "created_at", "source", "handed_off_at")
"""Without these there is no report; the others only switch parts of it off."""
OPTIONAL = ("assigned_at",)
"""Columns that only add a detail when present (the routing delay apart from the rep's
response): an export without them is not warned about."""
# Each preset column is (label, internal name): the header the CRM's export writes, and
# the property's internal (API) name, which some exports write instead; either is read,
# in any casing and spacing. Checked against the vendors' references (HubSpot's default
# contact properties, Salesforce's Lead object): README.md's table says which documented
# field each one is. Where neither CRM has a standard field, the preset expects a custom
# one by that label, whose internal name is the one the CRM derives from the label by
# default (HubSpot: lower case, spaces as "_"; Salesforce: spaces as "_", then "__c").
# Salesforce keeps no assignment time on a lead, so it has no ``assigned_at``.
_PRESET_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "hubspot": {
        "lead_id": ("Record ID", "hs_object_id"),
        "created_at": ("Create Date", "createdate"),
        "source": ("Original Source", "hs_analytics_source"),
        "tier": ("Lead Tier", "lead_tier"),  # custom
        "handed_off_at": ("Became a Marketing Qualified Lead Date",
                          "hs_lifecyclestage_marketingqualifiedlead_date"),
        "owner": ("Contact owner", "hubspot_owner_id"),
        "first_attempt_at": ("First outreach date", "hs_first_outreach_date"),
        "attempts": ("Number of times contacted", "num_contacted_notes"),
        "connected": ("Connected", "connected"),  # custom
        "stage": ("Lifecycle Stage", "lifecyclestage"),
        "customer_at": ("Became a Customer Date", "hs_lifecyclestage_customer_date"),
        "deal_amount": ("Recent Deal Amount", "recent_deal_amount"),
        "assigned_at": ("Owner assigned date", "hubspot_owner_assigneddate")},
    "salesforce": {
        "lead_id": ("Lead ID", "Id"), "created_at": ("Created Date", "CreatedDate"),
        "source": ("Lead Source", "LeadSource"), "tier": ("Rating", "Rating"),
        "handed_off_at": ("MQL Date", "MQL_Date__c"),  # custom
        "owner": ("Lead Owner", "OwnerId"),
        "first_attempt_at": ("First Call Date", "FirstCallDateTime"),
        "attempts": ("Call Attempts", "Call_Attempts__c"),  # custom
        "connected": ("Contacted", "Contacted__c"),  # custom
        "stage": ("Lead Status", "Status"),
        "customer_at": ("Converted Date", "ConvertedDate"),
        "deal_amount": ("Opportunity Amount", "Opportunity_Amount__c")},  # custom
}
PRESETS: dict[str, dict[str, str]] = {
    "canonical": {name: name for name in CANONICAL},
    **{preset: {name: label for name, (label, _also) in fields.items()}
       for preset, fields in _PRESET_FIELDS.items()},
}
"""Header names of common exports, by their labels. A CRM's fields are configurable, so
any of them can be overridden with ``--columns``."""

def header_key(name: str) -> str:
    """A header as it is compared: in Unicode NFC, case-folded, each run of spaces (a
    no-break space, a tab) one space, trimmed. Nothing else is folded: a zero-width
    space or a Cyrillic letter that looks Latin makes another header."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _synonyms() -> dict[str, frozenset[str]]:
    """Each preset label's key → its internal name's key, and back."""
    pairs: dict[str, set[str]] = {}
    for fields in _PRESET_FIELDS.values():
        for label, internal in fields.values():
            pairs.setdefault(header_key(label), set()).add(header_key(internal))
            pairs.setdefault(header_key(internal), set()).add(header_key(label))
    return {key: frozenset(others) for key, others in pairs.items()}


_SYNONYMS = _synonyms()


def accepted_headers(header: str) -> frozenset[str]:
    """The keys (:func:`header_key`) of the headers read as ``header``: itself, and its
    label or internal name when a preset documents it (``First outreach date`` and
    ``hs_first_outreach_date`` are one column)."""
    key = header_key(header)
    return frozenset({key} | _SYNONYMS.get(key, frozenset()))


def column_positions(path: Path, header: list[str], columns: Mapping[str, str],
                     required: tuple[str, ...] = REQUIRED) -> dict[str, int]:
    """Where each canonical column is in ``header``, the headers matched by
    :func:`accepted_headers`: an error for a required one missing, or for a column that
    is read and that two cells of the header name."""
    cells: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        # a byte order mark that survived decoding (written twice) is not the name
        cells.setdefault(header_key(name.lstrip("\ufeff") if i == 0 else name), []).append(i)
    where: dict[str, int] = {}
    for name, wanted in columns.items():
        found = sorted(i for key in accepted_headers(wanted) for i in cells.get(key, ()))
        if len(found) > 1:  # which one would be meant?
            first, second = found[:2]
            if header[first].strip() == header[second].strip():
                raise ExportError(f"{path}:1:{second + 1}: the header names column "
                                  f"{header[second].strip()!r} twice (cells {first + 1} "
                                  f"and {second + 1}); keep one")
            raise ExportError(f"{path}:1:{second + 1}: two columns of the header are "
                              f"{name}: {header[first].strip()!r} (cell {first + 1}) and "
                              f"{header[second].strip()!r} (cell {second + 1}); keep one")
        if found:
            where[name] = found[0]
    missing = [f"{name} ({columns.get(name, name)!r})" for name in required
               if name not in where]
    if missing:
        lacking = next(columns.get(name, name) for name in required if name not in where)
        raise ExportError(f"{path}:1:1: missing column {', '.join(missing)}; the header "
                          f"has {', '.join(header[:12]) or 'nothing'}"
                          + _look_alike(lacking, header))
    return where


SWITCHED_OFF = {
    "tier": "the leads' tiers are not known",
    "owner": "the table per rep puts every lead under one '—'",
    "first_attempt_at": "the speed section counts every lead as not attempted yet (late "
                        "once the limit has passed)",
    "attempts": "the depth section counts no attempts",
    "connected": "the depth section counts every lead as not reached yet",
    "stage": "no lead counts as sent back to nurturing",
    "customer_at": "no lead counts as a customer: no revenue, no recalculation",
    "deal_amount": "customers count without revenue",
}
"""What the report goes without when an export lacks a column that is not required."""


def missing_columns(path: Path, columns: Mapping[str, str]) -> list[str]:
    """A warning for each column the mapping expects and the export's header lacks
    (beyond the required ones, whose absence stops the report, and :data:`OPTIONAL`):
    its name, the header looked for, what the report goes without, and the header that
    looks most like it (a header that differs by an invisible or look-alike character
    is named with that character)."""
    header = column_names(path)
    where = column_positions(path, header, columns)
    warnings = []
    for name, wanted in columns.items():
        if name in where or name in REQUIRED or name in OPTIONAL or name not in SWITCHED_OFF:
            continue
        looked = " or ".join(repr(h) for h in sorted(_spelled(wanted)))
        warnings.append(f"{path}:1: warning: no column {looked} ({name}): "
                        f"{SWITCHED_OFF[name]}{_look_alike(wanted, header)}")
    return warnings


def _spelled(wanted: str) -> set[str]:
    """``wanted`` and its documented other name, as the vendor writes them."""
    names = {wanted}
    for fields in _PRESET_FIELDS.values():
        for label, internal in fields.values():
            if header_key(wanted) in (header_key(label), header_key(internal)):
                names |= {label, internal}
    return names


def _look_alike(wanted: str, header: list[str]) -> str:
    """``; the nearest header is 'X' (U+200B ZERO WIDTH SPACE)`` for the header closest to
    ``wanted``, when one is close: a character a reader cannot see is named."""
    keys = {header_key(name): name for name in header}
    near = difflib.get_close_matches(header_key(wanted), list(keys), n=1, cutoff=0.85)
    if not near:
        return ""
    odd = sorted({f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in keys[near[0]]
                  if not c.isascii() and c not in wanted})
    return f"; the nearest header is {keys[near[0]]!r}" + (f" ({', '.join(odd)})" if odd
                                                            else "")


def column_file(path: Path) -> Mapping[str, str]:
    """The ``--columns`` file: canonical name → the export's header, one per line; each
    header named once (one cell cannot be two columns) and not blank."""
    source = load_file(path, what="a columns file")
    named: dict[str, str] = {}
    for key, value in source.data.items():
        if key not in CANONICAL:
            where = source.positions.locate((key,), at_key=True)
            near = difflib.get_close_matches(str(key), CANONICAL, n=1)
            raise ExportError(f"{path}:{where.line}:{where.column}: {key!r} is not a column "
                              "a report reads " + (f"(did you mean {near[0]!r}?)" if near
                                                   else f"({', '.join(CANONICAL)})"))
        if not isinstance(value, str):
            where = source.positions.locate((key,))
            raise ExportError(f"{path}:{where.line}:{where.column}: {key}: the export's "
                              "column header, as text")
        where = source.positions.locate((key,))
        if not header_key(value):
            raise ExportError(f"{path}:{where.line}:{where.column}: {key}: a header is "
                              "blank; name the export's column, or leave the line out")
        if header_key(value) in named:
            raise ExportError(f"{path}:{where.line}:{where.column}: {key}: {value!r} is "
                              f"already {named[header_key(value)]}'s header; one column of "
                              "the export cannot be two")
        named[header_key(value)] = str(key)
    return {str(key): value for key, value in source.data.items()}
