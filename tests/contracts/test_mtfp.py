from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import MtfpBuildUp
from tests.contracts.factories import ContractSumFactory, MtfpBuildUpFactory

pytestmark = pytest.mark.django_db

PLAN_2025 = {
    "year": "2025/26",
    "initial_sum": Decimal("177429000.00"),
    "inflation_staffing": Decimal("3289000.00"),
    "inflation_placements": Decimal("3400000.00"),
    "inflation_other": Decimal("1653000.00"),
    "demand_staffing": Decimal("0.00"),
    "demand_placements": Decimal("2550000.00"),
    "demand_other": Decimal("307000.00"),
    "savings": Decimal("6684000.00"),
}


def test_the_net_contract_sum_is_computed_from_the_build_up(contract):
    MtfpBuildUpFactory()

    [figures] = selectors.mtfp_for_years([2024])

    assert figures.inflation_total == Decimal("9721000.00")
    assert figures.demand_total == Decimal("25815000.00")
    assert figures.net_sum == Decimal("177429000.00")


def test_the_net_sum_is_split_between_the_councils(contract):
    MtfpBuildUpFactory()

    [figures] = selectors.mtfp_for_years([2024])

    assert figures.net_shares == {"NNC": Decimal("78352646.40"), "WNC": Decimal("99076353.60")}


def test_an_initial_sum_that_carries_forward_the_previous_net_is_not_flagged(contract):
    MtfpBuildUpFactory()
    MtfpBuildUpFactory(**PLAN_2025)

    figures = selectors.mtfp_for_years([2025])[0]

    assert figures.net_sum == Decimal("181944000.00")
    assert figures.previous_net == Decimal("177429000.00")
    assert figures.previous_net_label == "2024/25 net contract sum (MTFP)"
    assert figures.initial_differs is False


def test_an_initial_sum_that_differs_from_the_previous_net_is_flagged_not_refused(contract):
    MtfpBuildUpFactory()
    MtfpBuildUpFactory(**{**PLAN_2025, "initial_sum": Decimal("177000000.00")})

    figures = selectors.mtfp_for_years([2025])[0]

    assert figures.initial_differs is True
    assert figures.initial_difference == Decimal("-429000.00")


def test_without_an_mtfp_for_the_year_before_the_initial_sum_is_checked_against_its_block_1(
    contract,
):
    ContractSumFactory(
        year="2023/24",
        block1=Decimal("150938000.00"),
        block2=Decimal(0),
        block2_non_recurring=Decimal(0),
        block3=Decimal(0),
    )
    MtfpBuildUpFactory()

    figures = selectors.mtfp_for_years([2024])[0]

    assert figures.previous_net == Decimal("150938000.00")
    assert figures.previous_net_label == "2023/24 contract sum, Block 1"
    assert figures.initial_differs is False


def test_the_first_year_has_nothing_to_check_against(contract):
    MtfpBuildUpFactory()

    figures = selectors.mtfp_for_years()[0]

    assert figures.previous_net is None
    assert figures.initial_difference is None


def test_a_stated_net_that_the_build_up_does_not_give_is_refused_with_both_figures(contract):
    with pytest.raises(ValidationError) as error:
        MtfpBuildUpFactory(stated_net=Decimal("177430000.00"))

    assert error.value.message_dict == {
        "stated_net": [
            "The net contract sum stated for 2024/25 (£177,430,000.00) does not match the "
            "build-up, which gives £177,429,000.00."
        ]
    }
    assert MtfpBuildUp.objects.count() == 0


def test_a_stated_net_that_agrees_is_accepted_and_not_stored(contract):
    MtfpBuildUpFactory(stated_net=Decimal("177429000.00"))

    assert MtfpBuildUp.objects.count() == 1


def test_negative_savings_are_refused_naming_the_field(contract):
    with pytest.raises(ValidationError) as error:
        MtfpBuildUpFactory(savings=Decimal("-9045000.00"))

    assert error.value.message_dict == {
        "savings": ["Savings must be £0 or more, not −£9,045,000.00."]
    }


def test_an_mtfp_for_a_year_that_does_not_exist_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        MtfpBuildUpFactory(year="2019/20")

    assert list(error.value.message_dict) == ["year"]


def test_changing_a_build_up_changes_the_net_and_keeps_history(contract, officer):
    build_up = MtfpBuildUpFactory()
    figures = {name: getattr(build_up, name) for name in services.MTFP_FIELDS}

    services.update_mtfp_build_up(
        build_up=build_up,
        figures={**figures, "savings": Decimal("10000000.00")},
        user=officer,
    )

    assert selectors.mtfp_for_years([2024])[0].net_sum == Decimal("176474000.00")
    assert build_up.history.latest().history_user == officer


def test_the_waterfall_steps_end_at_the_net_sum(contract):
    MtfpBuildUpFactory()
    figures = selectors.mtfp_for_years()[0]

    assert figures.initial_sum + sum(amount for _, amount in figures.steps()) == figures.net_sum
