"""The KPI pages as officers, councillors and administrators use them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kpis import services
from kpis.models import KpiResult, KpiTarget, RectificationPlan
from nct_monitor import services as period_services
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, quarterly_count_kpi, result, series, target

pytestmark = pytest.mark.django_db

AT = {"year": 2024, "period": 1}


def url(name, **kwargs):
    return reverse(f"kpis:{name}", kwargs=kwargs)


@pytest.fixture
def scored():
    """KPI 1 green, KPI 2 in persistent breach across the year end, KPI 3 no target."""
    kpi1 = KpiDefinitionFactory(number=1, title="Referrals decided within 2 days")
    kpi2 = KpiDefinitionFactory(number=2, title="Re-referrals", polarity="lower_is_better")
    kpi3 = KpiDefinitionFactory(number=3, title="Assessments on time")
    for year in ("2023/24", "2024/25"):
        target(kpi1, year, "80", "5")
        target(kpi2, year, "20", "5")
    series(kpi1, "2023/24 P12", ["78", "81"])
    series(kpi2, "2023/24 P11", ["26", "27", "25.5"])
    result(kpi3, "2024/25 P1", "90")
    return kpi1, kpi2, kpi3


def test_the_scorecard_shows_rating_words_arrows_and_a_breach(member_client, scored):
    page = member_client.get(url("scorecard", **AT)).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green nct-rating">Green</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--red nct-rating">Red</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--grey nct-rating">No target</strong>' in page
    assert (
        '<span aria-hidden="true">▲</span> Improving'
        '<span class="govuk-visually-hidden">, from 78% in 2023/24 P12</span>' in page
    )
    assert '<span aria-hidden="true">▼</span> Improving' in page  # KPI 2 fell: lower is better
    assert "Persistent breach" in page and "2023/24 P11, 2023/24 P12, 2024/25 P1" in page
    assert "Plan due" in page
    assert page.count('role="img" aria-label="KPI') == 3  # a sparkline for each KPI


def test_the_scorecard_filters_by_rating(member_client, scored):
    response = member_client.get(url("scorecard", **AT), {"rating": ["red"]})
    assert [row.code for row in response.context["table"].data] == ["KPI 2"]


def test_the_scorecard_filters_by_breach_and_search(member_client, scored):
    response = member_client.get(url("scorecard", **AT), {"breach": "on"})
    assert [row.code for row in response.context["table"].data] == ["KPI 2"]
    response = member_client.get(url("scorecard", **AT), {"q": "assessments"})
    assert [row.code for row in response.context["table"].data] == ["KPI 3"]


def test_the_scorecard_exports_exact_figures_and_words(member_client, scored):
    response = member_client.get(url("scorecard", **AT), {"_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[1] == {
        "KPI": "KPI 2",
        "Measure": "Re-referrals",
        "Unit": "percent",
        "Polarity": "lower_is_better",
        "As of": "2024/25 P1",
        "Result": "25.50",
        "Target": "20.00",
        "Tolerance": "5.00",
        "Rating": "red",
        "Direction": "improving",
        "Breach": "Yes",
        "Breach periods": "2023/24 P11, 2023/24 P12, 2024/25 P1",
        "Commentary": "",
        "Illustrative": "No",
    }
    xlsx = member_client.get(url("scorecard", **AT), {"_export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('kpi-scorecard-2024-25-p1.xlsx"')


def test_an_officer_enters_a_periods_results_on_one_form(officer_client, officer):
    kpi1 = KpiDefinitionFactory(number=1)
    kpi2 = KpiDefinitionFactory(number=2)
    quarterly_count_kpi()  # not due at P1
    page = officer_client.get(url("results", **AT))
    assert [form.definition.code for form in page.context["formset"].forms] == ["KPI 1", "KPI 2"]
    response = officer_client.post(
        url("results", **AT),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-kpi": "1",
            "form-0-version": "new",
            "form-0-value": "68",
            "form-0-commentary": "Steady",
            "form-1-kpi": "2",
            "form-1-version": "new",
            "form-1-numerator": "29",
            "form-1-denominator": "100",
        },
    )
    assert response.status_code == 302
    stored = {r.kpi_id: (r.value, r.commentary) for r in KpiResult.objects.all()}
    assert stored == {kpi1.pk: (Decimal("68"), "Steady"), kpi2.pk: (Decimal("29"), "")}
    assert KpiResult.objects.get(kpi=kpi1).history.get().history_user == officer


def test_an_error_names_the_kpi_and_the_field_and_nothing_is_saved(officer_client):
    KpiDefinitionFactory(number=1)
    KpiDefinitionFactory(number=2)
    response = officer_client.post(
        url("results", **AT),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-kpi": "1",
            "form-0-version": "new",
            "form-0-value": "68",
            "form-1-kpi": "2",
            "form-1-version": "new",
            "form-1-value": "abc",
        },
    )
    assert response.status_code == 200
    assert response.context["error_list"] == [
        ("KPI 2 value must be a number, like 68 or 68.5", "#id_form-1-value")
    ]
    page = response.content.decode()
    assert "<title>Error: KPI results for 2024/25 P1" in page
    assert not KpiResult.objects.exists()


def test_a_quarterly_kpi_is_listed_only_at_a_quarter_end(officer_client):
    quarterly_count_kpi()
    at_p3 = officer_client.get(url("results", year=2024, period=3))
    assert [f.definition.code for f in at_p3.context["formset"].forms] == ["KPI 20"]
    at_p2 = officer_client.get(url("results", year=2024, period=2))
    assert at_p2.context["formset"].forms == []


def test_a_signed_off_period_is_read_only(officer_client, admin_user):
    kpi = KpiDefinitionFactory(number=1)
    result(kpi, "2024/25 P1", "68")
    period_services.sign_off_period(
        period=period("2024/25 P1"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    page = officer_client.get(url("results", **AT)).content.decode()
    assert "is signed off, so its results are read-only" in page
    assert 'name="form-0-value"' not in page
    response = officer_client.post(
        url("results", **AT),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-kpi": "1",
            "form-0-value": "1",
        },
    )
    assert response.status_code == 302
    assert KpiResult.objects.get().value == Decimal("68")


def test_a_member_cannot_open_or_post_the_results_form(member_client):
    KpiDefinitionFactory(number=1)
    assert member_client.get(url("results", **AT)).status_code == 403
    assert member_client.post(url("results", **AT), {}).status_code == 403


def test_an_officer_sets_a_years_targets(officer_client):
    KpiDefinitionFactory(number=1)
    KpiDefinitionFactory(number=2)
    response = officer_client.post(
        url("targets", year=2024),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-kpi": "1",
            "form-0-target": "80",
            "form-0-tolerance": "5",
            "form-1-kpi": "2",
        },
    )
    assert response.status_code == 302
    assert [(t.kpi.number, t.target, t.tolerance) for t in KpiTarget.objects.all()] == [
        (1, Decimal("80"), Decimal("5"))
    ]


def test_the_results_and_targets_forms_post_to_their_own_address(officer_client):
    # Without an action they would post to the address with any fragment (#main-content after
    # the skip link), and the answering page would not focus its error summary.
    KpiDefinitionFactory(number=1)
    for address in (url("results", **AT), url("targets", year=2024)):
        html = officer_client.get(address).content.decode()
        assert f'<form method="post" action="{address}" novalidate id="results">' in html


def test_a_negative_tolerance_on_the_targets_form_is_shown_against_the_kpi(officer_client):
    KpiDefinitionFactory(number=1)
    response = officer_client.post(
        url("targets", year=2024),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-kpi": "1",
            "form-0-target": "80",
            "form-0-tolerance": "-1",
        },
    )
    assert response.context["error_list"] == [
        ("KPI 1's tolerance cannot be below 0; it is -1.", "#id_form-0-tolerance")
    ]
    assert not KpiTarget.objects.exists()


def test_a_member_reads_targets_but_cannot_set_them(member_client):
    kpi = KpiDefinitionFactory(number=1)
    target(kpi, "2024/25", "80", "5")
    page = member_client.get(url("targets", year=2024)).content.decode()
    assert "80%" in page and 'name="form-0-target"' not in page
    assert member_client.post(url("targets", year=2024), {}).status_code == 403


def test_the_kpi_page_has_a_chart_with_target_and_tolerance_band(member_client, scored):
    response = member_client.get(url("kpi_detail", number=2, **AT))
    page = response.content.decode()
    chart = response.context["chart"]
    assert chart.title == "KPI 2 results, 2023/24 P2 to 2024/25 P1"
    assert chart.headers == ["Period", "Result", "Target"]
    assert chart.rows[-1] == ["2024/25 P1", "25.5%", "20%"]
    assert "Tolerance" in chart.svg and "Target" in chart.svg
    assert "Green 20% or less; amber above 20% up to 25%; red above 25%." in page
    rows = response.context["history"].rows
    assert [(r.point.label, r.point.rating) for r in rows] == [
        ("2024/25 P1", "red"),
        ("2023/24 P12", "red"),
        ("2023/24 P11", "red"),
    ]


def test_an_officer_records_a_plan_for_a_breach_and_the_flag_goes(officer_client, scored):
    page = officer_client.get(url("breaches", **AT)).content.decode()
    assert "1 breach without a rectification plan: KPI 2." in page
    response = officer_client.post(
        url("plan_add", number=2, **AT),
        {
            "owner": "Director of Children's Services",
            "actions": "Review every re-referral weekly.",
            "due_date": "2024-07-31",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    plan = RectificationPlan.objects.get()
    assert (plan.kpi.number, plan.breach_start.label) == (2, "2023/24 P11")
    page = officer_client.get(url("breaches", **AT)).content.decode()
    assert "without a rectification plan" not in page and "In progress" in page


def test_a_breach_plan_stays_linked_while_the_breach_goes_on(officer_client, scored):
    kpi2 = scored[1]
    services.record_rectification_plan(
        kpi=kpi2,
        period=period("2024/25 P1"),
        owner="Director",
        actions="Weekly review.",
        due_date=date(2024, 7, 31),
        user=None,
    )
    result(kpi2, "2024/25 P2", "30")
    page = officer_client.get(url("breaches", year=2024, period=2)).content.decode()
    assert "2023/24 P11" in page and "2024/25 P2" in page
    assert "Plan due" not in page


def test_a_plan_cannot_be_recorded_without_a_breach(officer_client, scored):
    response = officer_client.post(
        url("plan_add", number=1, **AT),
        {"owner": "X", "actions": "Y", "due_date": "2024-07-31", "status": "not_started"},
    )
    assert response.status_code == 200
    assert "KPI 1 is not in persistent breach as at 2024/25 P1" in response.content.decode()
    assert not RectificationPlan.objects.exists()


def test_an_officer_updates_a_plan_and_its_history_shows_the_change(officer_client, scored):
    plan = services.record_rectification_plan(
        kpi=scored[1],
        period=period("2024/25 P1"),
        owner="Director",
        actions="Weekly review.",
        due_date=date(2024, 7, 31),
        user=None,
    )
    response = officer_client.post(
        reverse("kpis:plan_edit", args=[plan.pk]),
        {
            "owner": "Director",
            "actions": "Weekly review.",
            "due_date": "2024-07-31",
            "status": "completed",
            "progress": "Re-referrals back within tolerance.",
        },
    )
    assert response.status_code == 302
    history = officer_client.get(reverse("kpis:plan_history", args=[plan.pk])).content.decode()
    assert "Not started" in history and "Completed" in history


def test_a_member_reads_breaches_but_cannot_record_a_plan(member_client, scored):
    page = member_client.get(url("breaches", **AT)).content.decode()
    assert "Plan due" in page and "Record a plan" not in page
    response = member_client.post(
        url("plan_add", number=2, **AT),
        {"owner": "X", "actions": "Y", "due_date": "2024-07-31", "status": "not_started"},
    )
    assert response.status_code == 403
    assert not RectificationPlan.objects.exists()


def test_only_an_administrator_edits_a_definition(officer_client, admin_client):
    KpiDefinitionFactory(number=1)
    form = {
        "title": "Referrals with a decision within 2 working days",
        "unit": "percent",
        "polarity": "higher_is_better",
        "frequency": "monthly",
        "minimum": "0",
        "maximum": "100",
        "baseline": "68",
    }
    edit = url("definition_edit", number=1)
    assert officer_client.get(edit).status_code == 403
    assert admin_client.post(edit, form).status_code == 302
    assert admin_client.get(url("definition_list")).status_code == 200


def test_the_change_log_shows_numerator_and_denominator_as_plain_numbers(officer_client):
    kpi = KpiDefinitionFactory(number=1)
    result(kpi, "2024/25 P1", numerator=Decimal("77"), denominator=Decimal("700"))
    entry = officer_client.get(url("result_changes", **AT)).context["entries"][0]
    assert entry.changes == [
        ("Value", "(blank)", "11%"),
        ("Numerator", "(blank)", "77"),
        ("Denominator", "(blank)", "700"),
    ]


def test_the_results_change_log_shows_who_changed_what_including_removals(officer_client, officer):
    kpi = KpiDefinitionFactory(number=1)
    result(kpi, "2024/25 P1", "68", user=officer)
    result(kpi, "2024/25 P1", "70", user=officer)
    services.remove_kpi_result(kpi=kpi, period=period("2024/25 P1"), user=officer)
    entries = officer_client.get(url("result_changes", **AT)).context["entries"]
    assert [(e.action, e.who, e.changes) for e in entries] == [
        ("Removed", "Test officer", [("Value", "70%", "(blank)")]),
        ("Changed", "Test officer", [("Value", "68%", "70%")]),
        ("Added", "Test officer", [("Value", "(blank)", "68%")]),
    ]


def test_kpis_is_in_the_navigation_for_members(member_client, scored):
    response = member_client.get(url("scorecard", **AT))
    assert "KPIs" in [item["label"] for item in response.context["navigation_items"]]


def test_the_kpis_index_opens_the_latest_period_with_data(member_client, admin_user, scored):
    # The one rule every page follows: the latest period holding data, even when an earlier
    # one is signed off.
    period_services.sign_off_period(
        period=period("2023/24 P12"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    response = member_client.get(reverse("kpis:index"))
    assert response["Location"] == url("scorecard", year=2024, period=1)


# N+1: the same number of queries for one KPI or many, one result or many.


def _many_kpis(count):
    kpis = [KpiDefinitionFactory(number=n) for n in range(1, count + 1)]
    for kpi in kpis:
        target(kpi, "2023/24", "80", "5")
        target(kpi, "2024/25", "80", "5")
        series(kpi, "2023/24 P10", ["60", "60", "60", "60"])
    return kpis


def _plans(kpis):
    for kpi in kpis:
        services.record_rectification_plan(
            kpi=kpi,
            period=period("2024/25 P1"),
            owner="Director",
            actions="Review.",
            due_date=date(2024, 7, 31),
            user=None,
        )


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("scorecard", AT),
        ("breaches", AT),
        ("results", AT),
        ("result_changes", AT),
        ("targets", {"year": 2024}),
        ("target_changes", {"year": 2024}),
        ("plan_list", {}),
        ("definition_list", {}),
    ],
)
def test_kpi_pages_run_the_same_queries_for_one_kpi_or_many(
    officer_client, django_assert_num_queries, name, kwargs
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kpis = _many_kpis(1)
    _plans(kpis)
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(url(name, **kwargs)).status_code == 200
    more = _many_kpis(8)
    _plans(more[1:])
    with django_assert_num_queries(len(one)):
        assert officer_client.get(url(name, **kwargs)).status_code == 200


def test_the_kpi_page_runs_the_same_queries_for_one_result_or_many(
    member_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kpi = KpiDefinitionFactory(number=1)
    target(kpi, "2024/25", "80", "5")
    result(kpi, "2024/25 P1", "70")
    with CaptureQueriesContext(connection) as one:
        member_client.get(url("kpi_detail", number=1, **AT))
    target(kpi, "2023/24", "80", "5")
    series(kpi, "2023/24 P1", ["70"] * 12)
    with django_assert_num_queries(len(one)):
        member_client.get(url("kpi_detail", number=1, **AT))


def test_a_plan_past_its_due_date_and_not_completed_is_flagged_overdue(member_client, scored):
    plan = services.record_rectification_plan(
        kpi=scored[1],
        period=period("2024/25 P1"),
        owner="Director",
        actions="Weekly review.",
        due_date=date(2024, 7, 31),
        user=None,
    )
    with time_machine.travel(date(2024, 8, 1)):
        listed = member_client.get(url("plan_list")).content.decode()
    assert "Overdue" in listed
    services.update_rectification_plan(
        plan=plan,
        owner="Director",
        actions="Weekly review.",
        due_date=date(2024, 7, 31),
        status="completed",
        user=None,
    )
    with time_machine.travel(date(2024, 8, 1)):
        listed = member_client.get(url("plan_list")).content.decode()
    assert "Overdue" not in listed


def test_a_post_from_a_page_older_than_the_kpis_removes_nothing(officer_client):
    kpi1 = KpiDefinitionFactory(number=1)
    result(kpi1, "2024/25 P1", "68")
    KpiDefinitionFactory(number=2)
    # The page was loaded when only KPI 2 was due; KPI 1's row is not in the post.
    response = officer_client.post(
        url("results", **AT),
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-kpi": "2"},
    )
    assert response.status_code == 200
    assert "have changed since it was loaded" in response.content.decode()
    assert KpiResult.objects.get().value == Decimal("68")


@pytest.mark.parametrize("name", ["kpis:targets", "kpis:target_changes"])
def test_a_year_the_product_does_not_have_is_not_found(name, member_client):
    assert member_client.get(reverse(name, args=[1999])).status_code == 404
