"""Checks over the figures, `sla targets`, and the monthly recalculation from actuals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, check_text, codes, only, position_of, replace_once, run_sla

FUNNEL = """  funnel:
    lead_to_mql: 50%
    mql_to_sql: 60%
    sql_to_opportunity: 50%
    opportunity_to_customer: 80%
"""
ACTUALS = """month: 2026-12
marketing_leads: 120
marketing_customers: 40
marketing_customer_revenue: 6000
marketing_revenue: 8000
total_revenue: 10000
"""


def with_inputs(text: str, old: str, new: str) -> str:
    return replace_once(text, old, new)


def test_a_funnel_that_does_not_give_the_close_rate_is_an_error(
        tmp_path: Path, minimal_text: str) -> None:
    text = with_inputs(minimal_text, "  sales_team:\n", FUNNEL + "  sales_team:\n")
    found = only(check_text(tmp_path, text), "SLA220")
    assert found.position == position_of(text, "funnel:")
    assert "multiply to 12%" in found.message and "is 50%" in found.message
    fixed = replace_once(text, "lead_to_customer_rate: 50%", "lead_to_customer_rate: 12%")
    assert "SLA220" not in codes(check_text(tmp_path, fixed))


def test_reps_over_their_hours_is_an_error_at_the_sales_team(
        tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "selling_hours_per_rep: 120", "selling_hours_per_rep: 40")
    found = only(check_text(tmp_path, text), "SLA221")
    assert found.position == position_of(text, "sales_team:")
    assert found.message == ("following up takes 100.0 hours a month, 125% of the 80.0 "
                             "selling hours the reps have")


def test_sales_sourced_leads_without_a_sales_team_are_a_warning(
        tmp_path: Path, minimal_text: str) -> None:
    team = ("  sales_team:\n    reps: 2\n    selling_hours_per_rep: 120\n"
            "    minutes_per_attempt: 10\n")
    text = replace_once(minimal_text, team, "  sales_sourced_leads: 20\n")
    found = only(check_text(tmp_path, text), "SLA302")
    assert found.severity == "warning"
    assert found.position == position_of(text, "sales_sourced_leads: 20", 21)


def test_sales_sourced_leads_with_a_sales_team_are_no_warning(
        tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "  sales_team:\n", "  sales_sourced_leads: 20\n"
                        "  sales_team:\n")
    assert not [d for d in check_text(tmp_path, text).diagnostics if d.code == "SLA302"]


@pytest.mark.parametrize(("bad", "needle", "message"), [
    ("sales_quota: 0.5%", "0.5%", None),
    ("lead_to_customer_rate: 0%", "0%", "must be above 0%"),
    ("lead_to_customer_rate: 150%", "150%", "not 150%"),
    ("average_deal_size: -100", "-100", "greater than or equal to 0.01"),
    ("sales_quota: -5000", "-5000", "greater than or equal to 0"),
])
def test_impossible_inputs_are_errors_at_their_value(
        tmp_path: Path, minimal_text: str, bad: str, needle: str, message: str | None) -> None:
    field = bad.split(":")[0]
    original = {"sales_quota": "sales_quota: 5000", "average_deal_size": "average_deal_size: 100",
                "lead_to_customer_rate": "lead_to_customer_rate: 50%"}[field]
    text = replace_once(minimal_text, original, bad)
    checked = check_text(tmp_path, text)
    error = checked.errors()[0]
    assert error.position == position_of(text, bad, len(field) + 2)
    if message:
        assert message in error.message


def test_goals_can_name_figures_and_a_wrong_name_is_an_error(
        tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "    target: 100\n", "    target: targets.leads\n")
    text = replace_once(text, "    target: 5000\n", "    target: inputs.sales_quota\n")
    assert check_text(tmp_path, text).diagnostics == []
    wrong = replace_once(text, "target: targets.leads", "target: targets.leeds")
    found = only(check_text(tmp_path, wrong), "SLA222")
    assert found.position == position_of(wrong, "targets.leeds")
    assert found.hint == "did you mean `targets.leads`?"


def test_a_goal_over_another_period_than_its_figure_is_an_error(
        tmp_path: Path, minimal_text: str) -> None:
    text = replace_once(minimal_text, "    target: 100\n    unit: leads\n    period: month",
                        "    target: targets.leads\n    unit: leads\n    period: quarter")
    found = only(check_text(tmp_path, text), "SLA223")
    assert "counts per month, but the goal is per quarter" in found.message


def test_sla_targets_prints_each_line_with_its_working() -> None:
    done = run_sla("targets", "agreements/acme.yaml")
    assert done.returncode == 0, done.stderr
    assert "⌈$5,000 ÷ $100⌉ = 50" in done.stdout
    assert "⌈50 ÷ 50%⌉ = 100" in done.stdout
    assert "rounded up to a whole number before it feeds the next step" in done.stdout


def test_sla_targets_json_has_the_contract_keys() -> None:
    done = run_sla("targets", "agreements/globex.yaml", "--format", "json")
    data = json.loads(done.stdout)
    assert (data["marketing_revenue"], data["customers"], data["leads"]) == (4500000, 53, 448)
    assert data["period"] == "quarter" and data["inputs"]["funnel"]["mql_to_sql"] == 0.6
    assert data["tiers"]["c-level"] == {"leads": 90, "value": 9000}
    working = {f["name"]: f["working"] for f in data["figures"]}
    assert working["mqls"] == "⌈134 ÷ 60%⌉ = ⌈223.33…⌉ = 224"
    # Marketing's leads alone bring the customers; Sales' own 40 add to the follow-up
    assert working["leads"] == "⌈224 ÷ 50%⌉ = 448"
    assert working["follow_up_attempts"] == "264 × 6 = 1584"
    assert "leads_needed" not in working
    assert len(data["goal_line"]["days"]) == 22


def test_sla_targets_refuses_an_invalid_agreement_with_every_problem(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.yaml").read_text("utf-8")
    text = replace_once(text, "lead_to_customer_rate: 50%", "lead_to_customer_rate: 0%")
    text = replace_once(text, "selling_hours_per_rep: 120", "selling_hours_per_rep: 0")
    (tmp_path / "bad.yaml").write_text(text, "utf-8")
    done = run_sla("targets", str(tmp_path / "bad.yaml"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = position_of(text, "lead_to_customer_rate: 0%").line
    assert f"bad.yaml:{line}:" in done.stderr
    assert done.stderr.count("error SLA104") == 2


def test_recalculation_from_actuals(tmp_path: Path) -> None:
    (tmp_path / "december.yaml").write_text(ACTUALS, "utf-8")
    done = run_sla("targets", "agreements/acme.yaml", "--actuals", str(tmp_path / "december.yaml"),
                   "--format", "json")
    data = json.loads(done.stdout)
    # close rate 40/120, deal 6000/40 = 150, share 8000/10000 = 80%
    assert data["observed"]["average_deal_size"] == 150
    assert data["observed"]["marketing_share"] == 0.8
    implied = data["implied"]
    assert implied["customers"] == 27  # 5000 × 80% ÷ 150 = 26.7 → 27
    assert implied["leads"] == 81  # 27 ÷ (40/120) = 81
    assert data["agreed"]["leads"] == 100
    text = run_sla("targets", "agreements/acme.yaml", "--actuals", str(tmp_path / "december.yaml"))
    assert "40 ÷ 120 ≈ 33.33%" in text.stdout


def test_a_month_that_cannot_observe_a_rate_keeps_the_agreed_one(tmp_path: Path) -> None:
    quiet = ACTUALS.replace("marketing_customers: 40", "marketing_customers: 0").replace(
        "marketing_customer_revenue: 6000", "marketing_customer_revenue: 0")
    (tmp_path / "quiet.yaml").write_text(quiet, "utf-8")
    data = json.loads(run_sla("targets", "agreements/acme.yaml", "--actuals",
                              str(tmp_path / "quiet.yaml"), "--format", "json").stdout)
    assert "average_deal_size" not in data["observed"]
    assert any("close rate is kept" in note for note in data["notes"])
    assert data["implied"]["inputs"]["lead_to_customer_rate"] == 0.5


def test_inconsistent_actuals_are_errors_at_their_line(tmp_path: Path) -> None:
    bad = ACTUALS.replace("marketing_customers: 40", "marketing_customers: 400").replace(
        "total_revenue: 10000", "total_revenue: ten")
    (tmp_path / "bad.yaml").write_text(bad, "utf-8")
    done = run_sla("targets", "agreements/acme.yaml", "--actuals", str(tmp_path / "bad.yaml"))
    assert done.returncode == 1
    assert "bad.yaml:6:16: error SLA103" in done.stderr
    consistent_types = bad.replace("total_revenue: ten", "total_revenue: 10000")
    (tmp_path / "bad.yaml").write_text(consistent_types, "utf-8")
    done = run_sla("targets", "agreements/acme.yaml", "--actuals", str(tmp_path / "bad.yaml"))
    assert "bad.yaml:3:22: error SLA230: 400 customers from 120 leads" in done.stderr


def test_an_unknown_language_is_a_usage_error() -> None:
    done = run_sla("targets", "agreements/acme.yaml", "--format", "markdown", "--lang", "de")
    assert done.returncode == 2 and "--lang takes one of en, it, fr, es, pt" in done.stderr


def test_a_close_rate_too_small_to_plan_with_is_not_called_zero(tmp_path: Path) -> None:
    rare = ACTUALS.replace("marketing_leads: 120", "marketing_leads: 500000").replace(
        "marketing_customers: 40", "marketing_customers: 1")
    (tmp_path / "rare.yaml").write_text(rare, "utf-8")
    data = json.loads(run_sla("targets", "agreements/acme.yaml", "--actuals",
                              str(tmp_path / "rare.yaml"), "--format", "json").stdout)
    assert any("below 0.01%" in note for note in data["notes"])
    assert data["implied"]["inputs"]["lead_to_customer_rate"] == 0.5
