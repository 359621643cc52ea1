"""The computation of targets: one worked example per formula, then properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_docs.model.inputs import Calendar, Inputs
from sla_docs.model.languages import LANGUAGES
from sla_docs.model.sections import FollowUp
from sla_docs.targets.calendar import working_days
from sla_docs.targets.compute import compute_targets
from sla_docs.targets.figures import PRECISION, Targets, apportion, carried, round_up
from sla_docs.targets.formats import Localized, Plain, working

DECEMBER = dt.date(2026, 12, 1)
HUBSPOT = {"period": "month", "sales_quota": 5000, "marketing_share": "100%",
           "average_deal_size": 100, "lead_to_customer_rate": "50%"}
FOLLOW_UP = FollowUp.model_validate({"first_contact_within": "1h", "attempts": 6,
                                     "over_days": 10, "channels": ["phone"]})


def targets_of(follow_up: FollowUp | None = None, handoff_at: str = "mql",
               **inputs: Any) -> Targets:
    return compute_targets(Inputs.model_validate(inputs), follow_up, month=DECEMBER,
                           handoff_at=handoff_at)


def value(targets: Targets, name: str) -> Any:
    return targets[name].value


def divide(dividend: int, divisor: int) -> Decimal:
    """The quotient as the targets hold it: to PRECISION digits, not the default 28."""
    with localcontext(prec=PRECISION):
        return Decimal(dividend) / divisor


def test_hubspot_example_gives_50_customers_and_100_leads() -> None:
    targets = targets_of(**HUBSPOT)
    assert value(targets, "marketing_revenue") == Decimal(5000)
    assert value(targets, "customers") == 50
    assert value(targets, "leads") == 100


def test_customers_are_rounded_up_not_down() -> None:
    targets = targets_of(**{**HUBSPOT, "sales_quota": 7500000, "average_deal_size": 85000})
    assert targets["customers"].exact == carried(divide(7500000, 85000))  # 88.235…
    assert value(targets, "customers") == 89


def test_marketing_revenue_is_quota_times_share_and_never_rounded() -> None:
    targets = targets_of(**{**HUBSPOT, "sales_quota": "1000.01", "marketing_share": "33%"})
    assert value(targets, "marketing_revenue") == Decimal("330.0033")


def test_leads_come_back_through_each_funnel_stage_rounding_up_at_each() -> None:
    targets = targets_of(**{**HUBSPOT, "sales_quota": 7500000, "marketing_share": "60%",
                            "average_deal_size": 85000, "lead_to_customer_rate": "12%",
                            "funnel": {"lead_to_mql": "50%", "mql_to_sql": "60%",
                                       "sql_to_opportunity": "50%",
                                       "opportunity_to_customer": "80%"}})
    chain = [value(targets, name) for name in
             ("customers", "opportunities", "sqls", "mqls", "leads")]
    # 53 ÷ 80% = 66.25 → 67; 67 ÷ 50% = 134; 134 ÷ 60% = 223.3 → 224; 224 ÷ 50% = 448
    assert chain == [53, 67, 134, 224, 448]


def test_sales_sourced_leads_leave_marketings_target_as_it_is() -> None:
    # the customers are those won from marketing leads: Marketing's leads alone bring them
    assert value(targets_of(**HUBSPOT, sales_sourced_leads=30), "leads") == 100
    assert "leads_needed" not in targets_of(**HUBSPOT, sales_sourced_leads=30).figures


def test_a_quarter_is_split_into_months_money_divided_counts_rounded_up() -> None:
    targets = targets_of(**{**HUBSPOT, "period": "quarter", "sales_quota": 10000})
    assert value(targets, "marketing_revenue_per_month") == divide(10000, 3)
    assert value(targets, "customers") == 100
    assert value(targets, "customers_per_month") == 34  # 33.3 → 34
    assert value(targets, "leads_per_month") == 67  # 200 ÷ 3 = 66.7 → 67
    assert "leads_per_quarter" not in targets.figures


def test_a_year_is_split_into_quarters_and_months() -> None:
    targets = targets_of(**{**HUBSPOT, "period": "year", "sales_quota": 60000})
    assert value(targets, "leads") == 1200
    assert value(targets, "leads_per_quarter") == 300
    assert value(targets, "leads_per_month") == 100


def test_a_monthly_quota_has_no_split() -> None:
    assert "leads_per_month" not in targets_of(**HUBSPOT).figures


def test_each_tier_has_its_leads_and_value_and_the_value_target_is_their_sum() -> None:
    tiers = [{"id": "c-level", "name": {"en": "C-level"}, "share": "20%", "value_per_lead": 100},
             {"id": "director", "name": {"en": "Director"}, "share": "30%",
              "value_per_lead": 50},
             {"id": "manager", "name": {"en": "Manager"}, "share": "50%", "value_per_lead": 40}]
    targets = targets_of(**{**HUBSPOT, "sales_quota": 5050}, tiers=tiers)  # 51 → 102 leads
    assert value(targets, "leads") == 102
    # 20.4, 30.6 and 51 rounded down come to 101: the one left goes to 30.6, the largest
    # fraction, so the tiers add up to the 102 leads
    assert [value(targets, f"tiers.{t}.leads") for t in ("c-level", "director", "manager")] \
        == [20, 31, 51]
    assert working(targets["tiers.director.leads"], targets.figures, Plain("EUR")) \
        == "102 × 30% = 30.6 → 31"
    assert value(targets, "tiers.c-level.value") == Decimal(2000)
    assert value(targets, "lead_value") == Decimal(2000 + 1550 + 2040)


def test_a_working_line_with_a_rate_written_rounded_says_so() -> None:
    """12.345% is written 12.34%: 102 × 12.34% is not 12.59…, so the line says ≈."""
    tiers = [{"id": "a", "name": {"en": "A"}, "share": "12.345%", "value_per_lead": 1},
             {"id": "b", "name": {"en": "B"}, "share": "87.655%", "value_per_lead": 1}]
    targets = targets_of(**{**HUBSPOT, "sales_quota": 5050}, tiers=tiers)  # 102 leads
    written = Localized("en", "USD")
    assert written(targets["tiers.a.share"].value, "rate") == "12.34%"  # half to even
    assert working(targets["tiers.a.leads"], targets.figures, written) \
        == "102 × 12.34% ≈ 12.59… → 13"
    assert working(targets["leads"], targets.figures, written) == "⌈51 ÷ 50%⌉ = 102"


@given(st.integers(0, 10**6), st.lists(st.integers(1, 1000), min_size=1, max_size=8))
def test_a_share_out_adds_up_and_each_part_is_within_one_of_its_share(
        whole: int, weights: list[int]) -> None:
    with localcontext(prec=PRECISION):
        shares = [Decimal(weight) / sum(weights) for weight in weights]
        parts = apportion(whole, shares)
        assert sum(parts) == whole
        assert all(abs(part - whole * share) < 1 for part, share in zip(parts, shares, strict=True))


def test_working_days_are_weekdays_or_every_day_less_holidays() -> None:
    christmas = dt.date(2026, 12, 25)
    business = working_days(Calendar(holidays=[christmas]), DECEMBER)
    assert len(business) == 22 and christmas not in business
    assert all(day.weekday() < 5 for day in business)
    assert len(working_days(Calendar(days="calendar"), DECEMBER)) == 31
    assert len(working_days(Calendar(days="calendar"), dt.date(2027, 2, 1))) == 28
    every_day = working_days(Calendar(days="calendar", holidays=[christmas]), DECEMBER)
    assert len(every_day) == 30 and christmas not in every_day


def test_goal_line_is_monthly_target_times_d_over_n_rounded_up() -> None:
    targets = targets_of(**HUBSPOT, calendar={"days": "business"})
    line = targets.goal_line
    assert len(line) == 23  # December 2026 has 23 weekdays
    assert (line[0].day, line[0].leads, line[0].customers) == (DECEMBER, 5, 3)  # 100/23, 50/23
    assert line[9].leads == round_up(Decimal(100) * 10 / 23) == 44
    assert (line[-1].leads, line[-1].customers) == (100, 50)
    # an average to the hundredth (100 ÷ 23 = 4.347…), a guide: the goal line is the target
    assert value(targets, "leads_per_working_day") == Decimal("4.35")
    assert working(targets["leads_per_working_day"], targets.figures, Plain("EUR")) \
        == "100 ÷ 23 ≈ 4.35"


def test_goal_line_of_a_quarterly_quota_uses_the_monthly_share() -> None:
    targets = targets_of(**{**HUBSPOT, "period": "quarter"},
                         calendar={"days": "calendar"})
    assert targets.goal_line[-1].leads == value(targets, "leads_per_month") == 34


def test_capacity_compares_hours_for_every_attempt_with_hours_available() -> None:
    targets = targets_of(FOLLOW_UP, **HUBSPOT, sales_sourced_leads=20,
                         sales_team={"reps": 2, "selling_hours_per_rep": 120,
                                     "minutes_per_attempt": 10})
    # Marketing still delivers 100 leads; Sales' own 20 add to what the reps follow up
    assert value(targets, "leads_handed_over") == 100
    assert value(targets, "leads_followed_up") == 120
    assert value(targets, "leads_per_rep") == 60
    assert value(targets, "follow_up_attempts") == 120 * 6
    assert value(targets, "hours_needed") == Decimal(120)
    assert value(targets, "hours_available") == Decimal(240)
    assert value(targets, "utilization") == divide(120, 240)


def test_capacity_follows_the_stage_leads_are_handed_over_at() -> None:
    funnel = {"lead_to_mql": "50%", "mql_to_sql": "50%", "sql_to_opportunity": "50%",
              "opportunity_to_customer": "50%"}
    team = {"reps": 1, "selling_hours_per_rep": 100, "minutes_per_attempt": 1}
    inputs = {**HUBSPOT, "lead_to_customer_rate": "6.25%", "funnel": funnel, "sales_team": team}
    assert value(targets_of(FOLLOW_UP, "mql", **inputs), "leads_handed_over") == 400
    assert value(targets_of(FOLLOW_UP, "sql", **inputs), "leads_handed_over") == 200


def test_the_working_of_each_line_can_be_checked_by_hand() -> None:
    targets = targets_of(**{**HUBSPOT, "sales_quota": 7500000, "average_deal_size": 85000})
    show = Plain("EUR")
    assert working(targets["marketing_revenue"], targets.figures, show) == \
        "7500000 EUR × 100% = 7500000 EUR"
    assert working(targets["customers"], targets.figures, show) == \
        "⌈7500000 EUR ÷ 85000 EUR⌉ = ⌈88.23…⌉ = 89"
    assert working(targets["leads"], targets.figures, show) == "⌈89 ÷ 50%⌉ = 178"


def test_round_up() -> None:
    assert [round_up(Decimal(x)) for x in ("0", "0.0001", "1", "1.5", "88.2352")] == \
        [0, 1, 1, 2, 89]


rates = st.decimals(min_value=Decimal("0.0001"), max_value=1, places=4)
amounts = st.decimals(min_value=0, max_value=Decimal("1e15"), places=2)
positive_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e15"), places=2)


@st.composite
def valid_inputs(draw: st.DrawFn) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "period": draw(st.sampled_from(["month", "quarter", "year"])),
        "sales_quota": draw(amounts), "marketing_share": draw(st.decimals(0, 1, places=4)),
        "average_deal_size": draw(positive_amounts), "lead_to_customer_rate": draw(rates),
        "sales_sourced_leads": draw(st.integers(0, 10**9)),
        "calendar": {"days": draw(st.sampled_from(["business", "calendar"]))},
    }
    if draw(st.booleans()):
        inputs["funnel"] = {stage: draw(rates) for stage in
                            ("lead_to_mql", "mql_to_sql", "sql_to_opportunity",
                             "opportunity_to_customer")}
    if draw(st.booleans()):
        inputs["sales_team"] = {"reps": draw(st.integers(1, 10**9)),
                                "selling_hours_per_rep": draw(st.decimals("1", 8784, places=1)),
                                "minutes_per_attempt": draw(st.decimals("0.1", 1440, places=1))}
    if draw(st.booleans()):
        inputs["tiers"] = [{"id": "a", "name": {"en": "A"}, "share": draw(rates),
                            "value_per_lead": draw(amounts)}]
    return inputs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_inputs(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
       st.sampled_from(["mql", "sql", "lead", "opportunity", "other"]),
       st.sampled_from(LANGUAGES))
def test_the_computation_never_raises_and_counts_are_whole_and_rounded_up(
        raw: dict[str, Any], month: dt.date, handoff_at: str, language: str) -> None:
    targets = compute_targets(Inputs.model_validate(raw), FOLLOW_UP, month=month,
                              handoff_at=handoff_at)
    with localcontext(prec=PRECISION):
        check_figures(targets, raw)
    written = Localized(language, "EUR")
    for figure in targets.figures.values():
        assert written(figure.value, figure.kind)


def check_figures(targets: Targets, raw: dict[str, Any]) -> None:
    for figure in targets.computed():
        if figure.kind == "count" and figure.rounded != "hundredths":
            assert isinstance(figure.value, int) and figure.value >= 0
        if figure.exact is not None:
            assert isinstance(figure.value, int | Decimal)
            if figure.rounded == "up":
                assert figure.exact <= figure.value < figure.exact + 1
            elif figure.rounded == "shared":
                assert abs(figure.value - figure.exact) < 1
            else:
                assert abs(figure.value - figure.exact) <= Decimal("0.005")
        working(figure, targets.figures, Plain("EUR"))
    customers, rate = value(targets, "customers"), targets["lead_to_customer_rate"].value
    if "funnel" not in raw:
        assert value(targets, "leads") >= customers / rate
    if "follow_up_attempts" in targets.figures:
        followed = value(targets, "leads_handed_over") + raw["sales_sourced_leads"]
        assert value(targets, "follow_up_attempts") == followed * FOLLOW_UP.attempts
        assert value(targets, "leads_per_rep") == -(-followed // raw["sales_team"]["reps"])
    assert [day.leads for day in targets.goal_line] == sorted(d.leads for d in targets.goal_line)


@pytest.mark.parametrize("field", ["sales_quota", "average_deal_size"])
def test_an_absurd_amount_is_refused_by_the_model(field: str) -> None:
    with pytest.raises(ValueError, match="less than or equal"):
        Inputs.model_validate({**HUBSPOT, field: Decimal("1e16")})


@pytest.mark.parametrize("language", LANGUAGES)
def test_absurdly_large_figures_are_still_written(language: str) -> None:
    written = Localized(language, "EUR")
    huge = 100010000920000000000000000  # 27 digits: with cents, past Decimal's default 28
    assert written(huge, "count").replace("\u202f", "").replace("\xa0", "")[:3] == "100"
    assert "€" in written(Decimal(huge) + Decimal("0.25"), "money")


@pytest.mark.parametrize(("locale", "figures"), [
    # CLDR's minimumGroupingDigits is 2 in Spanish: four digits stand ungrouped
    ("es_ES", ["5000\xa0USD", "1584", "2280 horas", "15.840", "7.500.000\xa0€", "1666,67\xa0€"]),
    ("pt_PT", ["5000\xa0USD", "1584", "2280 horas", "15\xa0840", "7\xa0500\xa0000\xa0€",
               "1666,67\xa0€"]),
    # a foreign currency after the number is its ISO code; the reader's own keeps its symbol
    ("fr_FR", ["5\u202f000\xa0USD", "1\u202f584", "2\u202f280\xa0heures", "15\u202f840",
               "7\u202f500\u202f000\xa0€", "1\u202f666,67\xa0€"]),
    ("it_IT", ["5.000\xa0USD", "1.584", "2.280 ore", "15.840", "7.500.000\xa0€",
               "1.666,67\xa0€"]),
    ("pt_BR", ["US$\xa05.000", "1.584", "2.280 horas", "15.840", "€\xa07.500.000",
               "€\xa01.666,67"]),
    ("en_US", ["$5,000", "1,584", "2,280 hours", "15,840", "€7,500,000", "€1,666.67"]),
])
def test_numbers_follow_the_languages_grouping_and_currency_rules(
        locale: str, figures: list[str]) -> None:
    dollars, euros = Localized(locale, "USD"), Localized(locale, "EUR")
    assert [dollars(Decimal(5000), "money"), dollars(1584, "count"),
            dollars(Decimal(2280), "hours"), dollars(15840, "count"),
            euros(Decimal(7500000), "money"), euros(Decimal("1666.67"), "money")] == figures
