from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import demo, selectors
from contracts.models import (
    BusinessCase,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
)
from nct_monitor.periods import PeriodRef

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    demo.load()


def test_the_demo_contract_sums_are_those_of_the_papers(demo_data):
    sums = {figures.year_label: figures.contract_sum for figures in selectors.contract_sums()}

    assert sums == {
        "2021/22": Decimal("137150000.00"),
        "2023/24": Decimal("150938000.00"),
        "2024/25": Decimal("180009000.00"),
    }
    assert selectors.contract_sum_for_year(2024).block3 == Decimal("3291000.00")


def test_the_demo_mtfp_gives_the_business_plans_net_sums(demo_data):
    nets = [(figures.year_label, figures.net_sum) for figures in selectors.mtfp_for_years()]

    assert nets == [
        ("2024/25", Decimal("177429000.00")),
        ("2025/26", Decimal("181944000.00")),
        ("2026/27", Decimal("185964000.00")),
    ]
    assert not any(figures.initial_differs for figures in selectors.mtfp_for_years())


def test_the_demo_funding_blocks_use_the_corrected_figures(demo_data):
    block2, block3 = selectors.funding_blocks(2024)

    assert (block2.available, block2.allocated, block2.balance) == (
        Decimal("2580000.00"),
        Decimal("2580000.00"),
        Decimal("0.00"),
    )
    assert (block3.available, block3.allocated, block3.balance) == (
        Decimal("3291000.00"),
        Decimal("1456000.00"),
        Decimal("1835000.00"),
    )


def test_circle_to_success_has_both_blocks_and_its_savings(demo_data):
    case = next(c for c in selectors.business_cases() if c.title == "Circle to Success")

    assert case.funding_label == "£1.280m Block 2 2024/25; £0.410m Block 3 2024/25"
    assert case.savings_by_year == {2023: Decimal("3800000.00"), 2024: Decimal("4049000.00")}
    assert case.additional_benefits == Decimal("4023000.00")


def test_the_demo_invest_to_save_nets_are_those_of_the_papers(demo_data):
    nets = [(f.year_label, f.funding_total, f.net) for f in selectors.invest_to_save()]

    assert nets == [
        ("2023/24", Decimal("1816000.00"), Decimal("1516000.00")),
        ("2024/25", Decimal("1690000.00"), Decimal("1690000.00")),
    ]


def test_the_demo_period_9_forecast_totals_29_670m(demo_data):
    figures = selectors.forecast_for_period(PeriodRef(2023, 9))

    assert figures.total == Decimal("29670000.00")
    assert figures.other == Decimal("3631000.00")


def test_loading_the_demo_again_changes_nothing(demo_data):
    counts = [
        model.objects.count()
        for model in (
            ContractSum,
            MtfpBuildUp,
            BusinessCase,
            FundingAllocation,
            InvestToSaveLine,
            ForecastPressure,
        )
    ]

    assert demo.load() == []
    assert counts == [3, 3, 11, 11, 5, 4]
    assert [
        model.objects.count()
        for model in (
            ContractSum,
            MtfpBuildUp,
            BusinessCase,
            FundingAllocation,
            InvestToSaveLine,
            ForecastPressure,
        )
    ] == counts


def test_the_overview_shows_the_key_figures_with_the_councils_shares(member_client, demo_data):
    html = member_client.get(reverse("contracts:overview")).content.decode()

    assert "Contract sum 2024/25" in html
    assert "£180.009m" in html
    assert "NNC £79,491,974.40 · WNC £100,517,025.60" in html
    assert "£1.835m outstanding" in html
    assert "£29.670m" in html
    assert "NNC £13,102,272.00 · WNC £16,567,728.00" in html


@pytest.mark.parametrize(
    ("url_name", "figures"),
    [
        ("contracts:contractsum_list", ["£137.150m", "£150.938m", "£180.009m", "£2.363m"]),
        ("contracts:mtfpbuildup_list", ["£9.721m", "£25.815m", "£177.429m", "£185.964m"]),
        ("contracts:businesscase_list", ["Circle to Success", "£3.800m", "£4.049m", "TBC"]),
        ("contracts:fundingallocation_list", ["£2.580m", "£1.456m", "£1.835m", "£0.085m"]),
        ("contracts:investtosaveline_list", ["£1.816m", "£0.300m", "£1.516m", "£1.690m"]),
        ("contracts:forecastpressure_list", ["£23.307m", "£1.485m", "£1.247m", "£29.670m"]),
    ],
)
def test_each_page_shows_the_demo_figures(member_client, demo_data, url_name, figures):
    html = member_client.get(reverse(url_name)).content.decode()

    for figure in figures:
        assert figure in html, figure
