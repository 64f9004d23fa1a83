"""Every list of the contract's finance runs the same queries for one row as for three."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from tests.contracts.factories import (
    BusinessCaseFactory,
    ContractSumFactory,
    InvestToSaveLineFactory,
    MtfpBuildUpFactory,
    forecast,
)
from tests.factories import period

pytestmark = pytest.mark.django_db

YEARS = ("2023/24", "2024/25", "2025/26")


def contract_sum(index: int) -> None:
    ContractSumFactory(year=YEARS[index])


def mtfp_year(index: int) -> None:
    ContractSumFactory(year=YEARS[index])
    MtfpBuildUpFactory(year=YEARS[index])


def business_case(index: int) -> None:
    if index == 0:
        ContractSumFactory(year="2024/25")  # the funding blocks the cases draw on
    case = BusinessCaseFactory()
    services.set_business_case_saving(business_case=case, year="2024/25", amount=Decimal(index))
    services.allocate_funding(business_case=case, year="2024/25", block=3, amount=Decimal(1000))


def invest_to_save_line(index: int) -> None:
    if index == 1:  # a grant against the first line's funding
        InvestToSaveLineFactory(kind="grant", amount=Decimal(1))
    elif index == 2:
        InvestToSaveLineFactory(year="2024/25", programme="Another programme")
    else:
        InvestToSaveLineFactory()


def allocation(index: int) -> None:
    if index == 0:
        ContractSumFactory(year="2024/25")  # the funding blocks the allocations draw on
    services.allocate_funding(
        business_case=BusinessCaseFactory(), year="2024/25", block=2 + index % 2, amount=Decimal(1)
    )


def plan_investment_line(index: int) -> None:
    services.create_plan_investment(
        kind=("capital", "service_improvement", "transformation")[index],
        title=f"Line {index}",
        year=YEARS[index],
        amount=None if index else Decimal(1),
        tbc=bool(index),
    )


def period_forecast(index: int) -> None:
    forecast(period(("2023/24 P9", "2023/24 P10", "2024/25 P1")[index]))


@pytest.mark.parametrize(
    ("url_name", "add_row", "queries"),
    [
        ("contracts:contractsum_list", contract_sum, 13),
        ("contracts:mtfpbuildup_list", mtfp_year, 24),
        ("contracts:businesscase_list", business_case, 16),
        ("contracts:investtosaveline_list", invest_to_save_line, 15),
        ("contracts:fundingallocation_list", allocation, 20),
        ("contracts:forecastpressure_list", period_forecast, 14),
        ("contracts:planinvestment_list", plan_investment_line, 10),
    ],
    ids=[
        "contract sums",
        "mtfp",
        "business cases",
        "invest to save",
        "funding",
        "forecast",
        "business plan invest to save",
    ],
)
def test_a_finance_list_runs_the_same_queries_for_one_row_or_three(
    officer_client,
    contract,
    django_assert_num_queries,
    url_name: str,
    add_row: Callable[[int], None],
    queries: int,
):
    url = reverse(url_name)
    add_row(0)
    # The first page a process serves fills its caches (content types, the session); count after.
    officer_client.get(url)
    with django_assert_num_queries(queries):
        assert officer_client.get(url).status_code == 200

    add_row(1)
    add_row(2)

    with django_assert_num_queries(queries):
        assert officer_client.get(url).status_code == 200
