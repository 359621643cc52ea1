"""What each team must deliver, derived from the inputs, with the working.

Pure functions over Decimal: no I/O, no floats. The rounding rule, which the appendix
states: every count (customers, leads, MQLs, attempts) is rounded **up** to a whole
number before it feeds the next step, so each line can be checked by hand from the
numbers shown; money is never rounded until it is displayed. Two figures are not
counts that feed a step: the tiers' leads share out the leads, rounded so that they add
up to them; the average pace per working day is a guide, to the hundredth.

Each result is a :class:`Figure` that carries its formula, written with the names of
the figures it uses, so the working can be shown in any language by formatting those
figures (:func:`sla_docs.targets.formats.working`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from sla_docs.message_ids import N_
from sla_docs.model.agreement import Agreement
from sla_docs.model.inputs import Inputs
from sla_docs.model.sections import FollowUp
from sla_docs.targets.calendar import working_days
from sla_docs.targets.figures import (
    PRECISION,
    Figure,
    GoalDay,
    Kind,
    Rounding,
    Targets,
    Value,
    apportion,
    carried,
    round_up,
)

ROUNDING_RULE = N_(
    "Every count (customers, leads, MQLs, attempts) is rounded up to a whole number "
    "before it feeds the next step; money is not rounded until it is displayed."
)
"""The rule, as ``sla targets`` prints it; the editions state it in their language."""
WORKING_DAY = "working day"
"""The span of the goal line's daily figures (``leads_per_working_day``)."""
PER_WORKING_DAY = N_("per working day")
"""How the appendix says it: the message id of ``per_id(WORKING_DAY)``."""
HUNDREDTH = Decimal("0.01")
"""What an average pace is rounded to: a guide, read at a glance."""
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
"""How many months each quota period has."""


@dataclass
class _Sheet:
    figures: dict[str, Figure] = field(default_factory=dict)

    def add(self, name: str, value: Value, kind: Kind, label: str, formula: str = "",
            per: str | None = None, exact: Decimal | None = None, ref: str = "",
            tier: str | None = None, rounded: Rounding = "up") -> Value:
        self.figures[name] = Figure(name, value, kind, label, formula, per, exact, ref, tier,
                                    rounded)
        return value

    def count(self, name: str, exact: Decimal, label: str, formula: str,
              per: str | None, tier: str | None = None) -> int:
        exact = carried(exact)
        whole = round_up(exact)
        self.add(name, whole, "count", label, formula, per, exact, tier=tier)
        return whole

    def __getitem__(self, name: str) -> Value:
        return self.figures[name].value

    def number(self, name: str) -> Decimal:
        value = self.figures[name].value
        assert isinstance(value, Decimal | int)
        return Decimal(value)


def agreement_targets(agreement: Agreement) -> Targets:
    """The targets of a valid agreement, with its goal line drawn for its first month."""
    return compute_targets(agreement.inputs, agreement.follow_up,
                           month=agreement.effective_date, handoff_at=agreement.handoff.at)


def compute_targets(inputs: Inputs, follow_up: FollowUp | None = None, *,
                    month: dt.date, handoff_at: str = "mql") -> Targets:
    """Every target of an agreement, for a quota period starting in ``month``.

    ``follow_up`` brings the attempts Sales promises (for the reps' capacity);
    ``handoff_at`` is the stage at which leads reach Sales (``mql`` by default).
    """
    with localcontext() as context:
        context.prec = PRECISION
        sheet = _Sheet()
        _inputs(sheet, inputs, follow_up)
        names = tuple(sheet.figures)
        _revenue_and_customers(sheet, inputs)
        _leads(sheet, inputs)
        _split(sheet, inputs.period)
        _tiers(sheet, inputs)
        first = month.replace(day=1)
        days = working_days(inputs.calendar, first)
        goal_line = _goal_line(sheet, days, inputs.period)
        _capacity(sheet, inputs, follow_up, handoff_at)
    return Targets(inputs.period, first, sheet.figures, names, goal_line)


def _inputs(sheet: _Sheet, inputs: Inputs, follow_up: FollowUp | None) -> None:
    """The inputs, named as in the YAML (``inputs.funnel.mql_to_sql``) for texts to use."""
    per = inputs.period
    sheet.add("sales_quota", inputs.sales_quota, "money", N_("Sales quota"), per=per,
              ref="inputs.sales_quota")
    sheet.add("marketing_share", inputs.marketing_share, "rate",
              N_("Share of revenue from marketing leads"), ref="inputs.marketing_share")
    sheet.add("average_deal_size", inputs.average_deal_size, "money", N_("Average deal size"),
              ref="inputs.average_deal_size")
    sheet.add("lead_to_customer_rate", inputs.lead_to_customer_rate, "rate",
              N_("Lead-to-customer rate"), ref="inputs.lead_to_customer_rate")
    if inputs.sales_sourced_leads:
        sheet.add("sales_sourced_leads", inputs.sales_sourced_leads, "count",
                  N_("Leads Sales finds itself"), per=per, ref="inputs.sales_sourced_leads")
    if inputs.funnel is not None:
        for stage, rate in inputs.funnel:
            sheet.add(stage, rate, "rate", _STAGE_LABELS[stage], ref=f"inputs.funnel.{stage}")
    for tier in inputs.tiers:
        ref = f"inputs.tiers.{tier.id}"
        sheet.add(f"tiers.{tier.id}.share", tier.share, "rate", N_("Share of leads: {tier}"),
                  ref=f"{ref}.share", tier=tier.id)
        sheet.add(f"tiers.{tier.id}.value_per_lead", tier.value_per_lead, "money",
                  N_("Value per lead: {tier}"), ref=f"{ref}.value_per_lead", tier=tier.id)
    if inputs.sales_team is not None:
        team, ref = inputs.sales_team, "inputs.sales_team"
        sheet.add("reps", team.reps, "count", N_("Sales reps"), ref=f"{ref}.reps")
        sheet.add("selling_hours_per_rep", team.selling_hours_per_rep, "hours",
                  N_("Selling hours per rep"), per=per, ref=f"{ref}.selling_hours_per_rep")
        sheet.add("minutes_per_attempt", team.minutes_per_attempt, "minutes",
                  N_("Minutes per follow-up attempt"), ref=f"{ref}.minutes_per_attempt")
    if follow_up is not None:
        sheet.add("first_contact_within", follow_up.first_contact_within, "duration",
                  N_("Time to first contact"))
        sheet.add("attempts_per_lead", follow_up.attempts, "count", N_("Attempts per lead"))
        sheet.add("follow_up_days", follow_up.over_days, "days", N_("Days the attempts span"))


_STAGE_LABELS = {
    "lead_to_mql": N_("Lead-to-MQL rate"),
    "mql_to_sql": N_("MQL-to-SQL rate"),
    "sql_to_opportunity": N_("SQL-to-opportunity rate"),
    "opportunity_to_customer": N_("Opportunity-to-customer rate"),
}


def _revenue_and_customers(sheet: _Sheet, inputs: Inputs) -> None:
    per = inputs.period
    revenue = inputs.sales_quota * inputs.marketing_share
    sheet.add("marketing_revenue", revenue, "money", N_("Revenue from marketing leads"),
              "sales_quota × marketing_share", per)
    sheet.count("customers", revenue / inputs.average_deal_size,
                N_("Customers needed"), "⌈marketing_revenue ÷ average_deal_size⌉",
                per)


def _leads(sheet: _Sheet, inputs: Inputs) -> None:
    """Leads Marketing generates: through the single close rate, or back through each
    funnel stage.

    The customers are those won from marketing leads, so they come from Marketing's
    leads alone; the leads Sales finds itself bring the rest of the quota, and count
    only in the reps' workload (:func:`_capacity`).
    """
    per = inputs.period
    customers = sheet.number("customers")
    label = N_("Leads Marketing generates")
    if inputs.funnel is None:
        sheet.count("leads", customers / inputs.lead_to_customer_rate, label,
                    "⌈customers ÷ lead_to_customer_rate⌉", per)
        return
    funnel = inputs.funnel
    opportunities = sheet.count(
        "opportunities", customers / funnel.opportunity_to_customer, N_("Opportunities"),
        "⌈customers ÷ opportunity_to_customer⌉", per)
    sqls = sheet.count("sqls", opportunities / funnel.sql_to_opportunity,
                       N_("Sales-qualified leads (SQLs)"),
                       "⌈opportunities ÷ sql_to_opportunity⌉", per)
    mqls = sheet.count("mqls", sqls / funnel.mql_to_sql, N_("Marketing-qualified leads (MQLs)"),
                       "⌈sqls ÷ mql_to_sql⌉", per)
    sheet.count("leads", mqls / funnel.lead_to_mql, label, "⌈mqls ÷ lead_to_mql⌉", per)


def _split(sheet: _Sheet, period: str) -> None:
    """Per month (and per quarter, for a yearly quota): money divided, counts rounded up."""
    months = MONTHS_IN[period]
    spans = [("month", months)] + ([("quarter", 4)] if period == "year" else [])
    counted = [name for name in ("customers", "leads", "mqls", "sqls") if name in sheet.figures]
    for span, parts in spans:
        if parts == 1:
            continue
        revenue = sheet.number("marketing_revenue")
        sheet.add(f"marketing_revenue_per_{span}", revenue / parts, "money",
                  N_("Revenue from marketing leads"), f"marketing_revenue ÷ {parts}", span)
        for name in counted:
            sheet.count(f"{name}_per_{span}", sheet.number(name) / parts,
                        sheet.figures[name].label, f"⌈{name} ÷ {parts}⌉", span)


def _tiers(sheet: _Sheet, inputs: Inputs) -> None:
    """Leads and value expected of each tier; the value target is their sum.

    The tiers' leads are the leads shared out by the tiers' shares (:func:`apportion`),
    so they add up to the leads Marketing generates, as a reader adding them expects.
    """
    if not inputs.tiers:
        return
    per = inputs.period
    leads = sheet.number("leads")
    counts = apportion(int(leads), [tier.share for tier in inputs.tiers])
    total = Decimal(0)
    for tier, count in zip(inputs.tiers, counts, strict=True):
        prefix = f"tiers.{tier.id}"
        sheet.add(f"{prefix}.leads", count, "count", N_("Leads: {tier}"),
                  f"leads × {prefix}.share", per, carried(leads * tier.share), tier=tier.id,
                  rounded="shared")
        value = count * tier.value_per_lead
        sheet.add(f"{prefix}.value", value, "money", N_("Value of the leads: {tier}"),
                  f"{prefix}.leads × {prefix}.value_per_lead", per, tier=tier.id)
        total += value
    formula = " + ".join(f"tiers.{tier.id}.value" for tier in inputs.tiers)
    sheet.add("lead_value", total, "money", N_("Value of the leads generated"), formula, per)


def _goal_line(sheet: _Sheet, days: list[dt.date], period: str) -> tuple[GoalDay, ...]:
    """Cumulative target on day d of an n-day month = monthly target × d ÷ n, rounded up."""
    suffix = "" if period == "month" else "_per_month"
    leads, customers = sheet.number("leads" + suffix), sheet.number("customers" + suffix)
    count = len(days)
    sheet.add("working_days", count, "count", N_("Working days in the month"))
    if not count:
        return ()
    # an average, not rounded up: a whole number a day would add up to more than the
    # month's target over its working days; the goal line below is the daily target
    for name, monthly, label in (
            ("leads", leads, N_("Average pace: leads Marketing generates")),
            ("customers", customers, N_("Average pace: customers needed"))):
        exact = carried(monthly / count)
        sheet.add(f"{name}_per_working_day", exact.quantize(HUNDREDTH, ROUND_HALF_UP), "count",
                  label, f"{name}{suffix} ÷ working_days", WORKING_DAY, exact,
                  rounded="hundredths")
    return tuple(
        GoalDay(day, round_up(leads * index / count), round_up(customers * index / count))
        for index, day in enumerate(days, start=1)
    )


def _capacity(sheet: _Sheet, inputs: Inputs, follow_up: FollowUp | None,
              handoff_at: str) -> None:
    """Hours the follow-up takes, worst case (every lead gets every attempt), vs hours had."""
    team = inputs.sales_team
    if team is None or follow_up is None:
        return
    per = inputs.period
    stage = {"sql": "sqls", "opportunity": "opportunities", "lead": "leads"}.get(
        handoff_at, "mqls")
    handed = stage if stage in sheet.figures else "leads"
    sheet.add("leads_handed_over", sheet[handed], "count", N_("Leads handed over to Sales"),
              handed, per)
    # the leads Sales finds itself are followed up by the same reps, with the same attempts
    followed = "leads_handed_over"
    if inputs.sales_sourced_leads:
        followed = "leads_followed_up"
        sheet.add(followed, int(sheet.number("leads_handed_over")) + inputs.sales_sourced_leads,
                  "count", N_("Leads Sales follows up"),
                  "leads_handed_over + sales_sourced_leads", per)
    sheet.count("leads_per_rep", sheet.number(followed) / team.reps, N_("Leads per rep"),
                f"⌈{followed} ÷ reps⌉", per)
    attempts = int(sheet.number(followed)) * follow_up.attempts
    sheet.add("follow_up_attempts", attempts, "count",
              N_("Follow-up attempts"), f"{followed} × attempts_per_lead", per)
    needed = Decimal(attempts) * team.minutes_per_attempt / 60
    sheet.add("hours_needed", needed, "hours", N_("Hours the follow-up takes"),
              "follow_up_attempts × minutes_per_attempt ÷ 60", per)
    available = team.reps * team.selling_hours_per_rep
    sheet.add("hours_available", available, "hours", N_("Selling hours available"),
              "reps × selling_hours_per_rep", per)
    sheet.add("utilization", needed / available, "rate", N_("Share of selling hours used"),
              "hours_needed ÷ hours_available")
