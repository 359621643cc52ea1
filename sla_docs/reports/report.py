"""``sla report``: one agreement, one CRM export, one period: is each team keeping it?

Validates the agreement, reads the exports (:mod:`sla_docs.reports.crm`), computes the
figures (:mod:`sla_docs.reports.attainment`) and writes them in the reader's language as
Markdown (for a pull request or a chat), HTML and PDF with charts
(:mod:`sla_docs.reports.charts`; the page the weekly meeting looks at) and JSON (for
dashboards), each through :func:`sla_docs.files.write_atomic`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from sla_docs.check.validate import ValidAgreement, check_file, require_valid
from sla_docs.editions.i18n import edition_locale, translator
from sla_docs.editions.pdf import PrintJob, pdf_bytes
from sla_docs.errors import UsageError, printable
from sla_docs.exact_json import dumps
from sla_docs.files import usable_cores, write_atomic
from sla_docs.model.agreement import Agreement
from sla_docs.model.types import LARGEST_AMOUNT
from sla_docs.reports.attainment import Attainment, attainment, new_tally, take_deals
from sla_docs.reports.crm import FIRST_YEAR, LAST_YEAR, export_columns
from sla_docs.reports.deals import read_deals
from sla_docs.reports.exports import ExportError
from sla_docs.reports.headers import missing_columns
from sla_docs.reports.tally import tally_export
from sla_docs.targets.calendar import local_time, next_month
from sla_docs.targets.formats import Localized
from sla_docs.typography import typeset_html, typeset_markdown

REPORT_FORMATS = ("md", "html", "pdf", "json")
"""What ``sla report`` writes."""


def period_start(text: str) -> dt.date:
    """``2026-10`` as the first day of that month, in the years an export's times may
    fall in (the month after it, and its working days, must be dates too)."""
    month = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if month is None or not 1 <= int(month[2]) <= 12 or \
            not FIRST_YEAR <= int(month[1]) <= LAST_YEAR:
        raise UsageError(f"--period {text!r}: a month from {FIRST_YEAR}-01 to "
                         f"{LAST_YEAR}-12, such as 2026-10")
    return dt.date(int(month[1]), int(month[2]), 1)


def _moment(as_of: dt.datetime | None, month: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The moment the figures are taken at: ``as_of`` (in the agreement's zone unless it
    says otherwise), by default the period's last instant."""
    if as_of is None:
        following = next_month(month)
        return dt.datetime.combine(following, dt.time(0), zone) - dt.timedelta(microseconds=1)
    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:
        raise UsageError(f"--as-of {as_of:%Y-%m-%d}: a day from {FIRST_YEAR} to {LAST_YEAR}")
    try:
        moment = as_of.astimezone(zone) if as_of.tzinfo else local_time(as_of, zone)
    except ValueError as error:
        raise UsageError(f"--as-of {error}") from None
    if moment < dt.datetime.combine(month, dt.time(0), zone):  # nothing of it has happened
        raise UsageError(f"--as-of {moment:%Y-%m-%dT%H:%M}: before the period {month:%Y-%m} "
                         "begins; a report is taken during its period or after it")
    return moment


def report(path: Path, leads: Path, period: str, *, as_of: dt.datetime | None = None,
           language: str = "en", formats: Sequence[str] = ("md",), out: Path,
           preset: str = "canonical", columns: Path | None = None,
           deals: Path | None = None, today: dt.date | None = None,
           jobs: int | None = None, warn: Callable[[str], None] | None = None) -> list[Path]:
    """Write the report of ``path`` for ``period`` from ``leads``; the files written.

    ``jobs``: processes that may read the export (default: the cores usable).
    ``warn``: told each column the export lacks and what the report goes without
    (:func:`sla_docs.reports.headers.missing_columns`), once the export has been read
    (an export that cannot be read is refused first, as it always was).
    """
    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown or not formats:
        raise UsageError(f"report formats are {', '.join(REPORT_FORMATS)}")
    month = period_start(period)
    checked = require_valid(check_file(path, today or dt.date.today()))
    agreement = checked.agreement
    zone = ZoneInfo(agreement.inputs.calendar.time_zone)
    moment = _moment(as_of, month, zone)
    mapping = export_columns(preset, columns)
    tally = tally_export(new_tally(agreement, month, moment, keep_ids=deals is not None),
                         leads, mapping, zone.key, jobs=jobs or usable_cores())
    if warn is not None:
        for warning in missing_columns(leads, mapping):
            warn(warning)
    if deals:
        take_deals(tally, read_deals(deals, zone.key))
    _refuse_absurd_revenue(tally.total_revenue, deals or leads)
    found = attainment(tally, agreement)
    written = []
    for kind in formats:
        target = out / f"{agreement.id}.report-{period}.{language}.{kind}"
        write_atomic(target, _report_bytes(found, agreement, language, kind, checked))
        written.append(target)
    return written


def _refuse_absurd_revenue(revenue: Decimal, export: Path) -> None:
    """Every amount may be below the limit and their sum above it: no month of one
    company's sales is, and no agreement's figures could be recalculated from it."""
    if revenue > LARGEST_AMOUNT:
        raise ExportError(f"{export}: the period's deals add up to {revenue:,.0f}, more "
                          f"than {LARGEST_AMOUNT:,.0f}: are the amounts in another unit "
                          "(cents), or the same deals in it more than once?")


def _report_bytes(found: Attainment, agreement: Agreement, language: str, kind: str,
                  checked: ValidAgreement) -> bytes:
    if kind == "json":
        return as_json(found).encode("utf-8")
    if kind == "md":
        return render_report(found, agreement, language, "md").encode("utf-8")
    html = render_report(found, agreement, language, "html")
    if kind == "html":
        return html.encode("utf-8")
    source = checked.source
    return pdf_bytes(PrintJob(html, Path(source.path).name, source.text, source.sha256,
                              language, found.as_of, signature_fields=False))


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
        "median_routing_hours": (found.routing or (None, None))[0],
        "p90_routing_hours": (found.routing or (None, None))[1],
        "median_response_hours": (found.response or (None, None))[0],
        "p90_response_hours": (found.response or (None, None))[1],
        "avg_attempts_unconnected": found.attempts_unconnected,
        "agreed_attempts": found.agreed_attempts, "recycled": found.recycled,
        "days": [{"day": d.day.isoformat(), "delivered": d.delivered,
                  "cumulative": d.cumulative, "goal": d.goal} for d in found.days],
        "reps": [{"owner": r.owner, "leads": r.leads, "within_limit": r.within_limit,
                  "late": r.late} for r in found.reps],
        "data_quality": {problem: len(ids) for problem, ids in found.problems.items()},
        "rows_left_out": found.rows_left_out,
        "next_period": {name: figure.value for name, figure in implied.items()
                        if name in ("leads", "customers", "marketing_share",
                                    "lead_to_customer_rate", "average_deal_size")},
    }
    return dumps(data) + "\n"


def context(found: Attainment, agreement: Agreement, language: str,
            charts: bool) -> dict[str, Any]:
    """Everything the report's templates show, written for ``language``."""
    # here: matplotlib loads only for a report with charts (HTML, PDF)
    from sla_docs.reports.charts import depth_chart, number_format, pace_chart, speed_chart

    _ = translator(language)
    locale = edition_locale(agreement, language)
    write = Localized(locale, agreement.currency)
    median, p90, within = found.speed

    def hours(value: float | None) -> str:
        return "—" if value is None else write(dt.timedelta(minutes=round(value * 60)),
                                               "duration")

    number = number_format(write)
    implied = found.recalculation.implied.figures if found.recalculation else {}
    return {
        "agreement": " ".join(((agreement.name or agreement.title).get(language) or "").split())
        or agreement.id, "period": _capitalized(write.month(found.month)),
        "moment": write.moment(found.as_of), "language_tag": locale.replace("_", "-"),
        "delivered": write(found.leads_delivered, "count"),
        "target": write(found.leads_target, "count"),
        "goal": write(found.goal_to_date, "count"), "attainment": write(found.attainment, "rate"),
        "forecast": write(found.forecast, "count"), "median": hours(median), "p90": hours(p90),
        "limit": write(found.limit, "duration"),
        "routing": None if found.routing is None else
        {"median": hours(found.routing[0]), "p90": hours(found.routing[1]),
         "count": write(found.routed, "count")},
        "response": None if found.response is None else
        {"median": hours(found.response[0]), "p90": hours(found.response[1]),
         "count": write(found.responded, "count")},
        "within": "—" if within is None else write(within, "rate"),
        "depth": "—" if found.attempts_unconnected is None else
        write(found.attempts_unconnected, "count"),
        "agreed": found.agreed_attempts, "recycled": write(found.recycled, "count"),
        # CLDR's weekday, day and month ("mar, 1 dic"): a weekday and a number alone read
        # as a month in some languages (Spanish "mar 1": March?)
        "days": [{"day": format_skeleton("MMMEd", d.day, locale=locale),
                  "delivered": write(d.delivered, "count"),
                  "cumulative": write(d.cumulative, "count"),
                  "goal": "—" if d.goal is None else write(d.goal, "count")}
                 for d in found.days],
        # a CRM's cell shows its control and format characters escaped (a \u202e must
        # not reverse the rest of a row), as sla alerts and sla verify show them
        "reps": [{"owner": printable(r.owner), "leads": write(r.leads, "count"),
                  "within": write(r.within_limit, "count"), "late": write(r.late, "count")}
                 for r in found.reps],
        "next": [(f.says(gettext=_), write(f.value, f.kind))
                 for name, f in implied.items()
                 if name in ("lead_to_customer_rate", "average_deal_size", "customers",
                             "leads")],
        "problems": _problems(found, _),
        "charts": {"pace": pace_chart(found, _, number), "speed": speed_chart(found, _, number),
                   "depth": depth_chart(found, _, number)} if charts else {},
    }


def _capitalized(text: str) -> str:
    """``text`` with its first letter in capitals: the month opens the report's date
    line, and Italian, French, Spanish and Portuguese write month names in lower case."""
    return text[:1].upper() + text[1:]


def _problems(found: Attainment, _: Callable[[str], str]) -> list[tuple[str, int, str]]:
    """The data-quality lines: how many rows were left out in all, then each problem with
    its count and its first ten leads (id and line)."""
    row_at = _("row {row}")
    return [(_("rows left out of the figures"), found.rows_left_out, "")] + [
        (_(problem), len(leads), "; ".join(
            f"{printable(lead) or '—'}, {row_at.format(row=row)}" for lead, row in leads[:10])
         + ("; …" if len(leads) > 10 else "")) for problem, leads in found.problems.items()]


def render_report(found: Attainment, agreement: Agreement, language: str, kind: str) -> str:
    """The report as Markdown or HTML; in Markdown, no value from the export can open a
    tag, end a table cell or become markup (the templates escape every one)."""
    # here: Jinja loads only for a page to render, not for ``--format json``
    from sla_docs.editions.templating import translated_template

    template = translated_template("report", f"report.{kind}.j2", language)
    page = template.render(r=context(found, agreement, language, charts=kind == "html"))
    # set as the editions are: French no-break spaces before a colon, curly apostrophes
    return typeset_markdown(page, language) if kind == "md" else typeset_html(page, language)
