"""The overview dashboard: the March 2024 papers' figures, constant queries, cached summaries."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from kpis import demo as kpi_demo
from kpis.models import KpiDefinition, KpiResult, KpiTarget
from nct_monitor import services
from nct_monitor.models import Correction, FinancialYear, Period
from overview.selectors import dashboard
from risks.models import Risk, RiskReview
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password="a-long-test-password", verbosity=0, stdout=quiet)


def test_a_member_lands_on_the_march_2024_figures(demo_data, client):
    client.post(reverse("login"), {"username": "member", "password": "a-long-test-password"})
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Overview at 2023/24 P9 (December 2023)" in html
    for figure in (
        "£150.938m",  # 2023/24 contract sum
        "£180.009m",  # 2024/25 contract sum
        "£29.670m",  # the Period 9 forecast pressure
        "NNC £13.102m · WNC £16.568m",  # and each council's share of it
        "£7.672m",  # savings target
        "£1.247m",  # red, and the shortfall
        "£1.370m",  # amber
        "£5.055m",  # green, corrected
        "NNC £0.551m · WNC £0.696m",  # the shortfall's shares
        "balance £1.835m",  # Block 3, corrected
        "£1.816m",  # Circle to Success invest to save
    ):
        assert figure in html, figure


def test_the_demo_lists_the_march_2024_misprints_as_corrections_from_its_data(demo_data):
    corrections = {
        c.figure: (c.old_value, c.new_value, c.publication.published_on)
        for c in Correction.objects.select_related("publication")
    }
    march = date(2024, 3, 6)
    assert corrections == {
        "Savings, TOTAL SAVINGS, Green (£'000)": ("5,550", "5,055", march),
        "Block 3 funding, 2024/25, total (£m)": ("1.659", "1.456", march),
        "Risk FOR 05, current score": ("15", "25", march),
    }
    assert all(c.reason.startswith("The March 2024 papers") for c in Correction.objects.all())


def test_every_tile_links_to_its_detail_page(demo_data, member_client):
    html = member_client.get(reverse("home")).content.decode()
    for url in (
        reverse("contracts:contractsum_list"),
        reverse("savings:tracker", args=[2023, 9]),
        reverse("kpis:scorecard", args=[2023, 9]),
        reverse("risks:risk_list"),
        reverse("contracts:businesscase_list"),
        reverse("committee:meeting_list"),
        reverse("contracts:forecastpressure_detail", args=[2023, 9]),
    ):
        assert f'href="{url}' in html, url


def test_the_data_quality_panel_reconciles_the_forecast_with_the_savings_shortfall(demo_data):
    board = dashboard(period("2023/24 P9"), today=date(2024, 3, 6))
    check = board.quality.checks[0]
    assert check.first[1] == check.second[1] == Decimal("1247000.00")
    assert check.agrees


def test_the_data_quality_panel_counts_unsigned_periods_only_up_to_the_period_shown(demo_data):
    # On 6 March 2024, 2023/24 P10 (January) and P11 (February) have ended, open.
    today = date(2024, 3, 6)
    assert dashboard(period("2023/24 P9"), today=today).quality.open_periods == 0
    board = dashboard(period("2023/24 P11"), today=today)
    assert board.quality.open_periods == 2
    assert board.quality.first_open_period.label == "2023/24 P10"
    # P12 (March) has not ended, so it is not yet due even on its own dashboard.
    assert dashboard(period("2023/24 P12"), today=today).quality.open_periods == 2


def test_a_chosen_period_is_shown(demo_data, member_client):
    response = member_client.get(reverse("dashboard_period", args=[2024, 3]))
    assert "Overview at 2024/25 P3 (June 2024)" in response.content.decode()
    assert "No savings positions are recorded for 2024/25 P3." in response.content.decode()


def test_a_period_the_contract_does_not_have_is_not_found(member_client):
    assert member_client.get("/overview/2031-32/p1/").status_code == 404


def _years_of_data(years: int) -> Period:
    """`years` years of savings, KPI results and risk reviews; the last period (open, so the
    figures are computed on every request rather than read from the cache)."""
    contract = Contract.objects.get()
    kpi_demo.load(illustrative=False)
    kpis = list(KpiDefinition.objects.filter(frequency="monthly"))
    risks = [RiskFactory(ref=f"CR {n:02d}") for n in range(1, 6)]
    first = 2021  # a year with the councils' shares in force
    for start in range(first, first + years):
        services.create_financial_year(start_year=start)
        year = FinancialYear.objects.get(start_year=start)
        line = SavingsLine.objects.create(
            contract=contract, year=year, title=f"Saving {start}", group="G"
        )
        positions, results, reviews = [], [], []
        for number in range(1, 13):
            p = Period.objects.get(year=year, number=number)
            positions.append(
                SavingsPosition(
                    line=line,
                    period=p,
                    target=Decimal(100),
                    red=Decimal(10),
                    amber=Decimal(20),
                    green=Decimal(70),
                )
            )
            results += [KpiResult(kpi=kpi, period=p, value=Decimal(50)) for kpi in kpis]
            reviews += [
                RiskReview(
                    risk=risk,
                    period=p,
                    probability=3,
                    impact=4,
                    position="Held",
                    reviewer="Owner",
                    reviewed_on=date(start, 4, 1),
                )
                for risk in risks
            ]
        SavingsPosition.objects.bulk_create(positions)
        KpiResult.objects.bulk_create(results)
        RiskReview.objects.bulk_create(reviews)
        KpiTarget.objects.bulk_create(
            [
                KpiTarget(kpi=kpi, year=year, target=Decimal(60), tolerance=Decimal(5))
                for kpi in kpis
            ]
        )
    return Period.objects.select_related("year").get(year__start_year=first + years - 1, number=12)


def _queries(client, url: str) -> int:
    client.get(url)  # the session and the cache's generation, set up once
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_dashboard_runs_the_same_queries_for_one_year_of_data_or_ten(contract, member_client):
    last = _years_of_data(1)
    one_year = _queries(member_client, reverse("dashboard_period", args=[last.year.start_year, 12]))
    SavingsPosition.objects.all().delete()
    KpiResult.objects.all().delete()
    RiskReview.objects.all().delete()
    KpiTarget.objects.all().delete()
    SavingsLine.objects.all().delete()
    Risk.objects.all().delete()
    last = _years_of_data(10)
    ten_years = _queries(
        member_client, reverse("dashboard_period", args=[last.year.start_year, 12])
    )
    assert ten_years == one_year


def test_a_signed_off_periods_figures_are_cached_and_left_behind_on_reopen(demo_data, admin_user):
    p9 = period("2023/24 P9")
    dashboard(p9)
    with CaptureQueriesContext(connection) as first:
        dashboard(p9)
    # Behind the cache's back (no service would write to a signed-off period):
    SavingsPosition.objects.filter(period=p9).update(amber=F("amber") + F("green"), green=0)
    assert dashboard(p9).figures.savings.totals.green == Decimal("5055000.00")  # cached

    services.reopen_period(period=p9, user=admin_user, reason="Correct a line")
    reopened = period("2023/24 P9")
    assert dashboard(reopened).figures.savings.totals.green == Decimal("0.00")  # recomputed
    with CaptureQueriesContext(connection) as uncached:
        dashboard(reopened)
    assert len(uncached) > len(first)


def test_an_open_periods_figures_are_never_cached(demo_data):
    p10 = period("2023/24 P10")
    assert not p10.is_signed_off
    dashboard(p10)
    line = SavingsLine.objects.first()
    SavingsPosition.objects.create(line=line, period=p10, target=Decimal(100), green=Decimal(100))
    assert dashboard(p10).figures.savings.has_positions


def test_the_dashboard_names_the_last_meeting_when_none_is_scheduled(demo_data, member_client):
    # The demo's latest meeting is 1 May 2024, long past.
    html = member_client.get(reverse("home")).content.decode()
    assert "No meeting is scheduled. The last was on" in html
    assert ">1 May 2024</a>.</p>" in html


@pytest.mark.parametrize("demo", [True, False])
def test_every_page_says_when_it_shows_the_demo(demo, settings, member_client, client):
    settings.NCT_DEMO = demo
    for response in (member_client.get(reverse("home")), client.get(reverse("login"))):
        assert ("This is demonstration data" in response.content.decode()) is demo
