"""Appendices come from the same selectors as the apps' own pages, as at the report's period."""

from __future__ import annotations

import pytest

from committee.appendices import build_appendix
from risks.choices import RiskStatus
from tests.factories import period
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def test_the_risk_extract_lists_high_and_very_high_open_risks_and_counts_the_rest():
    RiskFactory(ref="CR 01", current_probability=5, current_impact=4)  # 20 very high
    RiskFactory(ref="CR 02", current_probability=3, current_impact=4)  # 12 high
    RiskFactory(ref="CR 03", current_probability=2, current_impact=2)  # 4 medium
    RiskFactory(
        ref="CR 04",
        current_probability=5,
        current_impact=5,
        status=RiskStatus.CLOSED,
        status_date="2023-01-01",
    )

    content = build_appendix("risk_extract", period("2023/24 P9"))

    groups = {
        band.key: [p.risk.ref for p in positions] for band, positions in content.context["groups"]
    }
    assert groups == {"very_high": ["CR 01"], "high": ["CR 02"]}
    assert {band.key: count for band, count in content.context["counted"]} == {
        "medium": 1,
        "low": 0,
    }
    assert content.context["open_count"] == 3


def test_a_period_with_no_risks_says_so_instead_of_printing_an_empty_table():
    content = build_appendix("risk_extract", period("2023/24 P9"))
    assert not content.has_data
    assert content.empty_message == "No open risks are recorded on the register at 2023/24 P9."


def test_the_forecast_appendix_and_paragraphs_split_the_pressure_with_apportion(contract):
    from decimal import Decimal

    from committee.report_template import financial_paragraphs
    from tests.contracts.factories import forecast

    forecast(period("2023/24 P9"))  # placements, staffing, unachieved savings, other
    content = build_appendix("period_forecast", period("2023/24 P9"))
    forecast = content.context["forecast"]
    assert forecast.total == Decimal("29670000.00")
    assert forecast.total_shares == {"NNC": Decimal("13102272.00"), "WNC": Decimal("16567728.00")}

    pressure, shares = financial_paragraphs(period("2023/24 P9"))
    assert pressure.startswith(
        "The forecast outturn pressure at 2023/24 P9 (December 2023) is £29.670m: placements"
    )
    assert "NNC (44.16%) £13,102,272.00 and WNC (55.84%) £16,567,728.00" in shares


def test_a_report_period_without_a_forecast_says_so_in_the_appendix_and_paragraph(contract):
    from committee.report_template import financial_paragraphs

    content = build_appendix("period_forecast", period("2024/25 P3"))
    assert content.empty_message == "No finance forecast is recorded for 2024/25 P3."
    assert financial_paragraphs(period("2024/25 P3")) == [
        "No finance forecast is recorded for 2024/25 P3 (June 2024), so this report states no "
        "forecast pressure and no share of one for either council."
    ]


def test_the_business_cases_appendix_lists_cases_approved_by_the_period_and_their_blocks(contract):
    from decimal import Decimal

    from contracts import demo

    demo.load()
    content = build_appendix("business_cases", period("2023/24 P11"))
    titles = [case.title for case, _ in content.context["rows"]]
    assert "Circle to Success" in titles and "MASH Review" in titles
    balances = {(b.block, b.year_label): b.balance for b in content.context["blocks"]}
    assert balances == {(2, "2024/25"): Decimal("0.00"), (3, "2024/25"): Decimal("1835000.00")}
    assert not build_appendix("business_cases", period("2023/24 P7")).has_data


def test_the_contract_sum_appendix_computes_the_mtfp_net_sum(contract):
    from decimal import Decimal

    from contracts import demo

    demo.load()
    content = build_appendix("contract_sum_mtfp", period("2024/25 P1"))
    assert content.context["contract_sum"].contract_sum == Decimal("180009000.00")
    assert [year.net_sum for year in content.context["mtfp"]] == [
        Decimal("177429000.00"),
        Decimal("181944000.00"),
        Decimal("185964000.00"),
    ]
    assert content.context["chart"].rows[-1] == ["Net contract sum", "£177.429m"]


def test_a_kpi_scorecard_with_no_results_says_so(contract):
    from kpis import demo

    demo.load()
    content = build_appendix("kpi_scorecard", period("2023/24 P9"))
    assert content.empty_message.startswith("No KPI results are recorded up to 2023/24 P9")


def test_the_savings_appendix_adds_up_and_splits_the_shortfall(contract):
    from decimal import Decimal

    from savings import demo

    demo.load()
    content = build_appendix("savings_rag", period("2023/24 P9"))
    summary = content.context["summary"]
    assert (
        summary.totals.target,
        summary.totals.red,
        summary.totals.amber,
        summary.totals.green,
    ) == (
        Decimal("7672000.00"),
        Decimal("1247000.00"),
        Decimal("1370000.00"),
        Decimal("5055000.00"),
    )
    assert content.context["shortfall_parts"] == [
        ("NNC", Decimal("44.16"), Decimal("550675.20")),
        ("WNC", Decimal("55.84"), Decimal("696324.80")),
    ]
    assert not build_appendix("savings_rag", period("2023/24 P10")).has_data
