"""The business plan's invest-to-save table and capital programme, the lower table of the
projected profit and loss account, and the footnotes printed beneath the finance tables."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from committee.appendices import build_appendix
from contracts import demo, selectors, services
from contracts.models import BusinessCase, FinanceFootnote, PlanInvestment
from tests.factories import period

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    demo.load()


def test_the_demo_totals_computed_from_the_lines_are_the_business_plans(demo_data):
    plan = selectors.plan_investment()

    assert plan.revenue_total.amounts == {
        2024: Decimal("5871000.00"),
        2025: Decimal("268000.00"),
        2026: Decimal("241000.00"),
    }
    assert plan.capital_total.amounts == {
        2024: Decimal("584000.00"),
        2025: Decimal("584000.00"),
        2026: Decimal("350000.00"),
    }
    assert plan.revenue_total.tbc_lines == {2024: 0, 2025: 3, 2026: 3}


def test_the_lower_table_adds_service_improvement_and_transformation_to_the_net_sum(demo_data):
    rows = selectors.profit_and_loss(selectors.mtfp_for_years())

    assert [(r.year_label, r.service_improvement, r.transformation, r.total) for r in rows] == [
        ("2024/25", Decimal("2580000.00"), Decimal("3291000.00"), Decimal("183300000.00")),
        ("2025/26", Decimal("268000.00"), None, Decimal("182212000.00")),
        ("2026/27", Decimal("241000.00"), None, Decimal("186205000.00")),
    ]


def test_loading_the_demo_twice_changes_nothing(demo_data):
    counts = (PlanInvestment.objects.count(), FinanceFootnote.objects.count())

    demo.load()

    assert (PlanInvestment.objects.count(), FinanceFootnote.objects.count()) == counts == (24, 7)


def test_a_printed_total_the_lines_do_not_add_up_to_is_refused_and_nothing_is_written(db):
    with pytest.raises(ValidationError) as raised:
        services.record_plan_investment_table(
            lines=[
                services.PlanInvestmentEntry(
                    kind="capital", title="Minor Works", amounts={"2024/25": Decimal("50000")}
                ),
                services.PlanInvestmentEntry(
                    kind="capital", title="Fostering", amounts={"2024/25": Decimal("300000")}
                ),
            ],
            stated_totals={("capital", "2024/25"): Decimal("600000.00")},
        )

    assert raised.value.message_dict["stated_total"] == [
        "Total capital programme, 2024/25: the paper prints £0.600m but the lines add up to "
        "£0.350m."
    ]
    assert not PlanInvestment.objects.exists()


def test_a_line_with_an_amount_and_tbc_is_refused_naming_the_amount(db):
    with pytest.raises(ValidationError) as raised:
        services.create_plan_investment(
            kind="capital", title="Minor Works", year="2024/25", amount=Decimal(1), tbc=True
        )

    assert raised.value.message_dict == {
        "amount": ["Give an amount or mark the line to be confirmed, not both."]
    }


def test_a_negative_amount_and_an_unknown_kind_are_refused_by_field(db):
    with pytest.raises(ValidationError) as raised:
        services.create_plan_investment(
            kind="capital", title="Minor Works", year="2024/25", amount=Decimal(-5)
        )
    assert raised.value.message_dict == {"amount": ["Amount must be £0 or more, not −£5.00."]}

    with pytest.raises(ValidationError) as raised:
        services.create_plan_investment(kind="other", title="", year="2024/25", amount=None)
    assert set(raised.value.message_dict) == {"kind", "title"}


def test_the_page_shows_the_lines_totals_and_the_years_footnote(member_client, demo_data):
    response = member_client.get(reverse("contracts:planinvestment_list"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Total invest to save / transformation" in page
    assert "£5.871m" in page
    assert "£0.584m" in page
    assert '£0.268m<br><span class="govuk-body-s">excluding 3 TBC</span>' in page
    assert "read as 2026/27" in page


def test_the_csv_export_holds_the_computed_totals(officer_client, demo_data):
    response = officer_client.get(reverse("contracts:planinvestment_list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    totals = {row[1]: row[2:5] for row in rows[1:] if row[1].startswith("Total")}
    assert rows[0][2:5] == ["2024/25 £m", "2025/26 £m", "2026/27 £m"]
    assert totals == {
        "Total invest to save / transformation": ["5871000.00", "268000.00", "241000.00"],
        "Total capital programme": ["584000.00", "584000.00", "350000.00"],
    }


def test_the_xlsx_export_is_a_workbook(officer_client, demo_data):
    response = officer_client.get(reverse("contracts:planinvestment_list"), {"_export": "xlsx"})

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_page_runs_the_same_queries_for_one_line_or_many(
    officer_client, db, django_assert_num_queries
):
    url = reverse("contracts:planinvestment_list")
    services.create_plan_investment(
        kind="capital", title="Minor Works", year="2024/25", amount=Decimal(1)
    )
    officer_client.get(url)
    with django_assert_num_queries(9) as first:
        officer_client.get(url)
    for index, year in enumerate(("2025/26", "2026/27")):
        services.create_plan_investment(
            kind="service_improvement", title=f"Line {index}", year=year, amount=None, tbc=True
        )
    with django_assert_num_queries(len(first.captured_queries)):
        assert officer_client.get(url).status_code == 200


def test_the_mtfp_page_shows_the_lower_table_and_its_notes(member_client, demo_data):
    page = member_client.get(reverse("contracts:mtfpbuildup_list")).content.decode()

    assert "Service improvement (Note 4)" in page
    assert "£183.300m" in page
    assert "Note 5" in page and "transformation reserve, released to business cases" in page


def test_the_business_cases_list_shows_the_one_off_footnote(member_client, demo_data):
    page = member_client.get(reverse("contracts:businesscase_list")).content.decode()

    assert "one off*" in page
    assert "future contract sum negotiations, under Schedule 5" in page


def test_a_footnote_with_a_marker_the_table_already_has_is_refused(db):
    services.create_finance_footnote(table="business_cases", marker="*", text="First.")

    with pytest.raises(ValidationError) as raised:
        services.create_finance_footnote(table="business_cases", marker="*", text="Again.")

    assert raised.value.message_dict == {"marker": ["That table already has a footnote marked *."]}


def test_the_committee_appendices_print_the_lower_table_and_the_footnotes(demo_data):
    mtfp = build_appendix("contract_sum_mtfp", period("2024/25 P1"))
    cases = build_appendix("business_cases", period("2024/25 P1"))
    mtfp_html = render_to_string(mtfp.template, {"data": mtfp.context, "printing": True})
    cases_html = render_to_string(cases.template, {"data": cases.context, "printing": True})

    assert "Transformation (Note 5)" in mtfp_html and "£183.300m" in mtfp_html
    assert "Note 4 (Service improvement)" in mtfp_html
    assert "under Schedule 5 (Financial Mechanism)" in cases_html


def test_a_business_case_marked_one_off_star_shows_the_footnote_and_one_unmarked_does_not(
    member_client, demo_data
):
    marked = BusinessCase.objects.get(title="Exploitation Hub")
    unmarked = BusinessCase.objects.get(title="Circle to Success")

    marked_page = member_client.get(reverse("contracts:businesscase_detail", args=[marked.pk]))
    unmarked_page = member_client.get(reverse("contracts:businesscase_detail", args=[unmarked.pk]))

    assert "under Schedule 5 (Financial Mechanism)" in marked_page.content.decode()
    assert "under Schedule 5 (Financial Mechanism)" not in unmarked_page.content.decode()
