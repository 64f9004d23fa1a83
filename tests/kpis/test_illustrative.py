"""The illustrative 2024/25 KPI year: loaded by the demo, rated by the usual rules, and labelled
"Illustrative" wherever it is shown; real figures are not labelled."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from committee.appendices import build_appendix
from kpis import demo, services
from kpis.models import KpiDefinition, KpiResult, KpiTarget, RectificationPlan
from kpis.selectors import scorecard
from tests.factories import period

pytestmark = pytest.mark.django_db

P9 = {"year": 2024, "period": 9}
NOTE = "invented to demonstrate NCT Monitor"
TAG = ">Illustrative</strong>"


def url(name, **kwargs):
    return reverse(f"kpis:{name}", kwargs=kwargs)


@pytest.fixture
def illustrative():
    demo.load()


@pytest.fixture
def real_2023():
    """A real target and result for KPI 1 in 2023/24, as an officer enters them."""
    demo.load()
    kpi = KpiDefinition.objects.get(number=1)
    services.set_kpi_target(
        kpi=kpi, year=period("2023/24 P9").year, target=Decimal(70), tolerance=Decimal(5), user=None
    )
    services.record_kpi_result(kpi=kpi, period=period("2023/24 P9"), value=Decimal(72), user=None)
    return kpi


def test_the_demo_rates_the_illustrative_year_by_the_usual_rules(illustrative):
    card = scorecard(period("2024/25 P9"))
    ratings = {row.kpi.number: row.rating for row in card.rows}
    assert {"green", "amber", "red"} <= set(ratings.values())
    assert "no_target" not in ratings.values()
    [breach] = card.breaches
    assert breach.kpi.number == 1
    assert breach.breach_periods[0] == "2024/25 P4" and len(breach.breach_periods) == 6
    assert breach.plan is not None and breach.plan.illustrative
    assert ratings[9] == "red" and "Illustrative" in card.rows[8].commentary
    assert all(row.illustrative for row in card.rows)


def test_every_illustrative_figure_is_marked_and_audited(illustrative):
    assert not KpiResult.objects.filter(illustrative=False).exists()
    assert not KpiTarget.objects.filter(illustrative=False).exists()
    assert KpiTarget.objects.count() == 21
    result = KpiResult.objects.get(kpi__number=1, period=period("2024/25 P5"))
    assert result.history.get().illustrative
    assert "invented" in result.history.get().history_change_reason


def test_loading_the_demo_again_changes_nothing(illustrative):
    counts = (
        KpiResult.history.count(),
        KpiTarget.history.count(),
        RectificationPlan.history.count(),
    )
    assert demo.load() == []
    assert counts == (
        KpiResult.history.count(),
        KpiTarget.history.count(),
        RectificationPlan.history.count(),
    )


def test_seed_demo_no_illustrative_leaves_the_year_out():
    call_command(
        "seed_demo", password="a-long-test-password", no_illustrative=True, stdout=StringIO()
    )
    assert KpiDefinition.objects.count() == 21
    assert not KpiTarget.objects.exists()
    assert not KpiResult.objects.exists()
    assert not RectificationPlan.objects.exists()


def test_the_kpi_pages_label_illustrative_figures(illustrative, member_client, officer_client):
    pages = [
        member_client.get(url("scorecard", **P9)),
        member_client.get(url("breaches", **P9)),
        member_client.get(url("kpi_detail", number=1, **P9)),
        member_client.get(url("plan_list")),
        officer_client.get(url("results", **P9)),
        officer_client.get(url("targets", year=2024)),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert TAG in page, response.request["PATH_INFO"]
    for response in pages[:-1]:
        if response.request["PATH_INFO"] != url("plan_list"):
            assert NOTE in response.content.decode(), response.request["PATH_INFO"]
    assert "(includes illustrative figures)" in pages[2].content.decode()


def test_real_figures_are_not_labelled(real_2023, member_client, officer_client):
    at = {"year": 2023, "period": 9}
    for response in [
        member_client.get(url("scorecard", **at)),
        member_client.get(url("breaches", **at)),
        officer_client.get(url("results", **at)),
        officer_client.get(url("targets", year=2023)),
    ]:
        page = response.content.decode()
        assert TAG not in page and NOTE not in page, response.request["PATH_INFO"]


def test_the_scorecard_export_says_which_rows_are_illustrative(real_2023, member_client):
    def exported(year, number):
        response = member_client.get(url("scorecard", year=year, period=number), {"_export": "csv"})
        return {row["KPI"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}

    invented = exported(2024, 9)["KPI 1"]
    assert invented["Illustrative"] == "Yes: invented for the demonstration"
    assert invented["Rating"] == "red"
    real = exported(2023, 9)["KPI 1"]
    assert (real["Illustrative"], real["Result"], real["Rating"]) == ("No", "72.00", "green")
    plans = member_client.get(url("plan_list"), {"_export": "csv"}).content.decode()
    assert "Yes: invented for the demonstration" in plans


def test_the_committee_pack_scorecard_labels_illustrative_figures(real_2023):
    def printed(label):
        content = build_appendix("kpi_scorecard", period(label))
        return render_to_string(content.template, {"data": content.context, "printing": True})

    assert TAG in printed("2024/25 P9") and NOTE in printed("2024/25 P9")
    real = printed("2023/24 P9")
    assert TAG not in real and NOTE not in real


def test_a_real_entry_replaces_an_illustrative_result_and_an_unchanged_one_keeps_it(
    illustrative,
):
    kpi = KpiDefinition.objects.get(number=1)
    p8, p9 = period("2024/25 P8"), period("2024/25 P9")
    same = KpiResult.objects.get(kpi=kpi, period=p8)
    services.record_kpi_result(
        kpi=kpi, period=p8, value=same.value, commentary=same.commentary, user=None
    )
    assert KpiResult.objects.get(kpi=kpi, period=p8).illustrative
    services.record_kpi_result(kpi=kpi, period=p9, value=Decimal(71), user=None)
    assert not KpiResult.objects.get(kpi=kpi, period=p9).illustrative
    # Rated against the invented target, the real result's row is still labelled.
    assert scorecard(p9).rows[0].illustrative


def test_pages_open_at_the_latest_real_figures_not_the_illustrative_year(real_2023):
    from nct_monitor.selectors import latest_period_with_data

    assert latest_period_with_data() == period("2023/24 P9")


def test_the_kpi_pages_open_where_their_results_end_illustrative_or_not(
    illustrative, member_client
):
    assert member_client.get(reverse("kpis:index")).url == url("scorecard", **P9)
