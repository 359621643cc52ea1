"""The alerts digest as text (a terminal, a CI log), JSON (machines), Markdown (an issue
or a chat) and the payload of a Slack or Microsoft Teams incoming webhook.

Lead ids and owners come from the export, that is from anyone who can type into the
CRM: every one of them is plain text in every format. In Markdown it goes through
:func:`sla_docs.markdown.escape_text`; in a chat, ``&``, ``<`` and ``>`` are written as
entities (Slack's own rule, so ``<!channel>`` or ``<https://x|y>`` stay text); and
everywhere but JSON a ``@`` is followed by a word joiner (U+2060), and a ``](``, a
``://`` and a ``www.`` are parted by one, so ``@channel`` mentions no one and
``[x](http://evil)``, ``https://evil`` or ``www.evil`` is no link, on GitHub, Slack or
Teams; control and format characters are shown escaped (``\\n``, ``\\u202e``).
English only in this round.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from sla_docs.durations import iso_duration, short_duration
from sla_docs.errors import printable
from sla_docs.exact_json import dumps
from sla_docs.markdown import escape_text
from sla_docs.reports.alerts import KINDS, ROUTING_LATE, Alert, Digest, local

TITLES = {"overdue": "overdue", "at_risk": "at risk", "behind": "behind on depth",
          "due_back": "due back to Marketing"}
"""How each kind of alert is named in a digest."""
WORD_JOINER = "\u2060"
"""Invisible, and enough to keep ``@`` from starting a mention and ``](`` a link."""
CHAT_TEXT = 12_000
"""Characters of the digest a chat message carries in ``text`` (Teams shows it; Slack
keeps it for notifications and caps it at 40,000)."""
SECTION_TEXT = 2_900
"""Characters in one Slack section block (Slack refuses more than 3,000)."""
BLOCKS = 48
"""Section blocks in one message (Slack refuses more than 50 blocks)."""
EPOCH = dt.datetime(1970, 1, 1)
"""The instant POSIX timestamps count from, as a time without a zone."""
_UNSAFE = re.compile(r"@|\](?=\()|:(?=//)|(?i:www)(?=\.)")
"""Where a mention, a link or an autolink (``https://…``, ``www.…``) would start."""
_PLAIN = re.compile(r"[\x20-\x2d\x2f-\x39\x3b-\x3f\x41-\x5c\x5e-\x7e]*")
"""Printable ASCII but ``@ ] : .``: nothing in it can start one."""


def inert(text: str) -> str:
    """:func:`printable`, and no mention or link can start in it."""
    if _PLAIN.fullmatch(text):  # most ids and names: nothing to do
        return text
    return _UNSAFE.sub(lambda found: found.group(0) + WORD_JOINER, printable(text))


def chat_text(text: str) -> str:
    """A value for Slack's mrkdwn (and Teams' text): :func:`inert`, ``& < >`` as entities."""
    return inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def working(seconds: float) -> str:
    """Working time as hours and minutes, ``2h 05m`` (rounded down to the minute)."""
    minutes = int(seconds // 60) if seconds > 0 else 0
    return f"{minutes // 60}h {minutes % 60:02d}m"


class _Minutes(dict[int, str]):
    """Minutes (since the epoch) as ``zone`` reads them, ``2026-10-30 11:30``, each
    written when first asked for, from its hour's offset, looked up once (a digest of a
    million leads shares a few tens of thousands of minutes and some hundreds of
    hours); '' for a minute of an hour whose offset is not steady
    (:func:`_steady_offset`), whose instants are written one by one."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self.zone = zone
        self.offsets: dict[int, int | None] = {}

    def __missing__(self, minute: int) -> str:
        hour = minute // 60
        if hour not in self.offsets:
            self.offsets[hour] = _steady_offset(hour, self.zone)
        offset = self.offsets[hour]
        if offset is None:
            return ""
        text = self[minute] = (EPOCH + dt.timedelta(minutes=minute, seconds=offset)
                               ).isoformat(" ", "minutes")
        return text


def _steady_offset(hour: int, zone: ZoneInfo) -> int | None:
    """The offset from UTC, in seconds, of every instant of ``hour`` (hours since the
    epoch, in UTC) in ``zone``; None when it changes within the hour or is not whole
    minutes (local mean time). No zone changes its offset twice within an hour, so the
    same offset at both ends holds throughout (transitions fall on whole seconds)."""
    first, last = (local(hour * 3600 + second, zone).utcoffset() for second in (0, 3599))
    if first is None or first != last or first.seconds % 60:
        return None
    return int(first.total_seconds())


@cache
def _minutes(zone: ZoneInfo) -> _Minutes:
    return _Minutes(zone)


def _when(stamp: float, zone: ZoneInfo) -> str:
    """``stamp`` to the minute in ``zone``."""
    return _minutes(zone)[int(stamp // 60)] or f"{local(stamp, zone):%Y-%m-%d %H:%M}"


def _routing(alert: Alert) -> str:
    """How long the lead waited for a rep, when the export says (none: '')."""
    if alert.routing is None:
        return ""
    return f", assigned after {working(alert.routing)}" + \
        (" (already past the limit: routing, not the rep)" if alert.late_when_assigned else "")


def _detail(alert: Alert) -> str:
    if alert.kind == "at_risk":
        return f"due in {working(-alert.late)}{_routing(alert)}"
    if alert.kind == "overdue":
        return f"{working(alert.late)} late{_routing(alert)}"
    made = f" ({alert.attempts} of {alert.attempts_due} attempts made)" \
        if alert.kind == "behind" else f" ({alert.attempts} attempts, not reached)" \
        if alert.kind == "due_back" else ""
    return f"{working(alert.late)} late{made}"


def line(alert: Alert, zone: ZoneInfo, value: Callable[[str], str]) -> str:
    """One alert as words: id, handoff, due time and how late."""
    return (f"{TITLES[alert.kind]}: {value(alert.lead_id) or '(no id)'} (line {alert.row}), "
            f"handed off {_when(alert.handed_off_at, zone)}, due {_when(alert.due_at, zone)}, "
            f"{_detail(alert)}")


def summary(digest: Digest, owner: str | None = None) -> str:
    """The counts of each kind, of everyone's leads or ``owner``'s; and how many were
    late before their rep was assigned, when any were."""
    counts = ", ".join(f"{digest.count(kind, owner)} {TITLES[kind]}" for kind in KINDS)
    routed_late = digest.count(ROUTING_LATE, owner)
    return counts + (f" ({routed_late} of the overdue already late when assigned)"
                     if routed_late else "")


def heading(digest: Digest) -> str:
    """What the digest is of: the agreement, the moment, the limits."""
    return (f"SLA alerts for {digest.agreement} as of {digest.as_of:%Y-%m-%d %H:%M} "
            f"{digest.as_of.tzinfo} (first contact within "
            f"{short_duration(digest.first_contact_within)}, warning "
            f"{short_duration(digest.warn_within)} ahead, in working time)")


def _left_out(digest: Digest) -> list[str]:
    if not digest.left_out:
        return []
    return [f"{len(digest.left_out)} lead(s) left out for flawed data (see sla report's "
            "data quality)"]


_TEXT = attrgetter("text")


def as_text(digest: Digest, value: Callable[[str], str] = inert) -> str:
    """The digest for a terminal or a log: a heading, the totals, then each rep's
    summary line and their alert lines."""
    zone = digest.zone
    lines = [heading(digest), f"all reps: {summary(digest)}", *_left_out(digest)]
    for owner, kinds in digest.reps():
        lines.append(f"{value(owner) or '(no owner)'}: {summary(digest, owner)}")
        for kind in KINDS:
            alerts = kinds[kind]
            if not alerts:
                continue
            if value is inert and alerts[0].text:  # written already, all of them: C loops
                lines.append("  " + "\n  ".join(map(_TEXT, alerts)))
            else:
                lines.extend(f"  {line(alert, zone, value)}" for alert in alerts)
    lines.append("")  # the last line's end
    return "\n".join(lines)


def write_lines(digest: Digest) -> None:
    """Write each judged alert's line of the text digest into it (:attr:`Alert.text`):
    what :func:`line` writes, with what it looks up taken once."""
    zone, titles, detail = digest.zone, TITLES, _detail
    minutes = _minutes(zone)  # what _when looks up, asked directly: a million times
    for alert in digest.judged:
        handed = minutes[int(alert.handed_off_at // 60)] or _when(alert.handed_off_at, zone)
        due = minutes[int(alert.due_at // 60)] or _when(alert.due_at, zone)
        alert.text = (f"{titles[alert.kind]}: {inert(alert.lead_id) or '(no id)'} (line "
                      f"{alert.row}), handed off {handed}, due {due}, {detail(alert)}")


def as_markdown(digest: Digest) -> str:
    """The digest for an issue or a chat: a heading per rep, a list item per alert;
    nothing from the export can become markup, a mention or a link."""
    zone = digest.zone

    def value(text: str) -> str:
        return inert(escape_text(text))

    lines = [f"## {escape_text(heading(digest))}", "",
             f"**All reps:** {summary(digest)}", ""]
    lines.extend(f"{escape_text(text)}\n" for text in _left_out(digest))
    for owner, alerts in digest.by_owner():
        lines += [f"### {value(owner) or '(no owner)'}", "", summary(digest, owner), ""]
        lines.extend(f"- {line(alert, zone, value)}" for alert in alerts)
        lines.append("")
    return "\n".join(lines)


def _alert_json(alert: Alert, zone: ZoneInfo) -> dict[str, Any]:
    late = int(max(alert.late, 0) // 60)
    data: dict[str, Any] = {
        "lead_id": alert.lead_id, "line": alert.row,
        "handed_off_at": local(alert.handed_off_at, zone),
        "due_at": local(alert.due_at, zone).replace(microsecond=0)}
    if alert.kind == "at_risk":
        data["due_in_working_minutes"] = int(-alert.late // 60)
    else:
        data["late_working_minutes"] = late
    if alert.kind in ("behind", "due_back"):
        data.update(attempts=alert.attempts, attempts_due=alert.attempts_due)
    if alert.routing is not None:
        data.update(routing_working_minutes=int(alert.routing // 60),
                    late_when_assigned=alert.late_when_assigned)
    return data


def as_json(digest: Digest) -> str:
    """The digest for machines: every alert with exact times and whole working minutes.

    Each rep's alerts are made into JSON on their own and put in their place, so the
    dictionaries of only one rep are in memory at a time, not those of every line."""
    zone, marker = digest.zone, secrets.token_hex(8)  # no cell can hold the marker
    document = dumps({
        "agreement": digest.agreement, "as_of": digest.as_of,
        "first_contact_within": iso_duration(digest.first_contact_within),
        "warn_within": iso_duration(digest.warn_within),
        "counts": {kind: digest.count(kind) for kind in (*KINDS, ROUTING_LATE)},
        "overdue": digest.overdue, "reps": [marker],
        "left_out": [{"lead_id": lead, "line": row} for lead, row in digest.left_out],
    })
    reps = ",\n".join(
        "    " + dumps({"owner": owner, **{kind: [_alert_json(a, zone) for a in alerts
                                                 if a.kind == kind] for kind in KINDS}}
                       ).replace("\n", "\n    ")
        for owner, alerts in digest.by_owner())
    before, after = document.split(f'    "{marker}"')
    if not reps:  # as the whole document would have written an empty list
        return document.replace(f'[\n    "{marker}"\n  ]', "[]") + "\n"
    return before + reps + after + "\n"


def chat_payload(digest: Digest) -> dict[str, Any]:
    """What a Slack or Microsoft Teams incoming webhook takes: ``text`` (the whole
    digest, which Teams shows and Slack uses for notifications) and Slack's ``blocks``
    (a header, the totals, then each rep's lines as mrkdwn sections, ``verbatim`` so
    Slack links or mentions nothing by itself)."""
    text = as_text(digest, chat_text)
    if len(text) > CHAT_TEXT:
        text = text[:CHAT_TEXT].rsplit("\n", 1)[0] + "\n… (the rest: run sla alerts)"
    sections = ["\n".join([f"*All reps:* {summary(digest)}",
                            *(chat_text(line) for line in _left_out(digest))])]
    zone = digest.zone
    for owner, alerts in digest.by_owner():
        sections.append("\n".join([f"*{chat_text(owner) or '(no owner)'}*: "
                                   f"{summary(digest, owner)}",
                                   *(f"• {line(a, zone, chat_text)}" for a in alerts)]))
    return {"text": text, "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": heading(digest)[:150]}},
        *({"type": "section", "text": {"type": "mrkdwn", "text": section, "verbatim": True}}
          for section in _fit(sections))]}


def _fit(sections: list[str]) -> list[str]:
    """The sections cut to Slack's limits, saying what was cut."""
    fitted = []
    for section in sections[:BLOCKS]:
        if len(section) > SECTION_TEXT:
            kept = section[:SECTION_TEXT].rsplit("\n", 1)[0]
            section = f"{kept}\n… and {section.count(chr(10)) - kept.count(chr(10))} more"
        fitted.append(section)
    if len(sections) > BLOCKS:
        fitted.append(f"… and {len(sections) - BLOCKS} more reps: run sla alerts")
    return fitted


def render(digest: Digest, output: str) -> str:
    """The digest in ``output``: ``text``, ``json`` or ``markdown``."""
    return {"text": as_text, "json": as_json, "markdown": as_markdown}[output](digest)
