"""``sla report``: one agreement, one CRM export, one period: is each team keeping it?

Validates the agreement, reads the export (:mod:`sla_docs.crm`), computes the
figures (:mod:`sla_docs.attainment`) and writes them as Markdown (the page the weekly
meeting looks at) and JSON (for dashboards), through the build's atomic writer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sla_docs.attainment import Attainment, attainment
from sla_docs.crm import column_map, read_leads
from sla_docs.errors import InvalidAgreement, UsageError
from sla_docs.formats import Localized
from sla_docs.i18n import edition_locale
from sla_docs.model import Agreement

REPORT_FORMATS = ("md", "json")
"""What ``sla report`` writes (HTML and PDF with charts are to come)."""


def period_start(text: str) -> dt.date:
    """``2026-10`` as the first day of that month."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UsageError(f"--period {text!r}: a month, such as 2026-10") from None


def report(path: Path, leads: Path, period: str, *, as_of: dt.datetime | None = None,
           language: str = "en", formats: Sequence[str] = ("md",), out: Path,
           preset: str = "canonical", columns: Path | None = None,
           today: dt.date | None = None) -> list[Path]:
    """Write the report of ``path`` for ``period`` from ``leads``; the files written."""
    from sla_docs.build import write_atomic
    from sla_docs.validate import check_file

    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown or not formats:
        raise UsageError(f"report formats are {', '.join(REPORT_FORMATS)}")
    checked = check_file(path, today or dt.date.today())
    if checked.errors() or checked.agreement is None:
        raise InvalidAgreement(checked.errors())
    agreement = checked.agreement
    month = period_start(period)
    moment = _aware(as_of, agreement) if as_of else _end_of(month, agreement)
    mapping = column_map(preset, _column_file(columns) if columns else None)
    found = attainment(read_leads(leads, mapping, agreement.inputs.calendar.time_zone),
                       agreement, month, moment)
    written = []
    for kind in formats:
        target = out / f"{agreement.id}.report-{period}.{language}.{kind}"
        text = (as_json(found) if kind == "json" else
                as_markdown(found, agreement, language))
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
    return written


def _column_file(path: Path) -> Mapping[str, str]:
    """The ``--columns`` file: canonical name → the export's header, one per line."""
    from sla_docs.crm import ExportError
    from sla_docs.load import load_file

    source = load_file(path)
    for key, value in source.data.items():
        if not isinstance(value, str):
            where = source.positions.locate((key,))
            raise ExportError(f"{path}:{where.line}:{where.column}: {key}: the export's "
                              "column header, as text")
    return {str(key): value for key, value in source.data.items()}


def _aware(moment: dt.datetime, agreement: Agreement) -> dt.datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(agreement.inputs.calendar.time_zone)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _end_of(month: dt.date, agreement: Agreement) -> dt.datetime:
    from zoneinfo import ZoneInfo

    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    zone = ZoneInfo(agreement.inputs.calendar.time_zone)
    return dt.datetime.combine(following, dt.time(0), zone) - dt.timedelta(microseconds=1)


def as_json(found: Attainment) -> str:
    """The figures for machines: the keys dashboards rely on, and the detail."""
    median, p90, within = found.speed
    implied = found.recalculation.implied.figures if found.recalculation else {}
    data: dict[str, Any] = {
        "period": f"{found.month:%Y-%m}", "as_of": found.as_of.isoformat(),
        "leads_delivered": found.leads_delivered, "leads_target": found.leads_target,
        "goal_to_date": found.goal_to_date, "attainment": found.attainment,
        "forecast": found.forecast, "median_first_attempt_hours": median,
        "p90_first_attempt_hours": p90, "within_limit_share": within,
        "first_contact_limit_hours": found.limit.total_seconds() / 3600,
        "avg_attempts_unconnected": found.attempts_unconnected,
        "agreed_attempts": found.agreed_attempts, "recycled": found.recycled,
        "days": [{"day": d.day.isoformat(), "delivered": d.delivered,
                  "cumulative": d.cumulative, "goal": d.goal} for d in found.days],
        "reps": [{"owner": r.owner, "leads": r.leads, "within_limit": r.within_limit,
                  "late": r.late} for r in found.reps],
        "data_quality": {problem: len(ids) for problem, ids in found.problems.items()},
        "next_period": {name: figure.value for name, figure in implied.items()
                        if name in ("leads", "leads_needed", "customers",
                                    "lead_to_customer_rate", "average_deal_size")},
    }
    return json.dumps(data, indent=2, default=_plain, ensure_ascii=False) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return str(value)


def as_markdown(found: Attainment, agreement: Agreement, language: str) -> str:
    """The one page for the weekly meeting."""
    write = Localized(edition_locale(agreement, language), agreement.currency)
    median, p90, within = found.speed
    hours = "—" if median is None else f"{write(Decimal(str(median)), 'count')} h"
    depth = "—" if found.attempts_unconnected is None else write(found.attempts_unconnected,
                                                                  "count")
    lines = [f"# {agreement.id}: {found.month:%Y-%m}, as of {found.as_of:%Y-%m-%d %H:%M}",
             "", "## Marketing", "",
             f"- Leads delivered: **{write(found.leads_delivered, 'count')}** of "
             f"{write(found.leads_target, 'count')} for the period; the goal line stands "
             f"at {write(found.goal_to_date, 'count')} "
             f"({write(found.attainment, 'rate')} of it).",
             f"- At this pace: {write(found.forecast, 'count')} by the period's end.", "",
             "| Day | Delivered | Cumulative | Goal line |", "|---|---:|---:|---:|"]
    lines += [f"| {write(d.day, 'count')} | {d.delivered} | {d.cumulative} | "
              f"{'—' if d.goal is None else d.goal} |" for d in found.days]
    lines += ["", "## Sales", "",
              f"- First attempt, in working time: median {hours}, 90th percentile "
              f"{'—' if p90 is None else write(Decimal(str(p90)), 'count') + ' h'}; "
              f"within {write(found.limit, 'duration')}: "
              f"{'—' if within is None else write(within, 'rate')}.",
              f"- Attempts on leads not reached yet: {depth} on average, "
              f"{found.agreed_attempts} agreed.",
              f"- Sent back to nurturing: {found.recycled}.", "",
              "| Rep | Leads | Within the limit | Late |", "|---|---:|---:|---:|"]
    lines += [f"| {r.owner} | {r.leads} | {r.within_limit} | {r.late} |" for r in found.reps]
    lines += ["", "## Data quality", ""]
    lines += [f"- {problem}: {len(ids)}" + (f" ({', '.join(ids[:10])}"
                                            f"{', …' if len(ids) > 10 else ''})" if ids else "")
              for problem, ids in found.problems.items()]
    return "\n".join(lines) + "\n"
