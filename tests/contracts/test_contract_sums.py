from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import ContractSum
from tests.contracts.factories import BusinessCaseFactory, ContractSumFactory

pytestmark = pytest.mark.django_db


def test_the_contract_sum_is_block_1_plus_block_2(contract):
    ContractSumFactory()

    figures = selectors.contract_sum_for_year(2024)

    assert figures.contract_sum == Decimal("180009000.00")
    assert figures.block2_recurring == Decimal("217000.00")
    assert figures.block3 == Decimal("3291000.00")


def test_each_council_gets_its_share_of_the_contract_sum_from_apportion(contract):
    ContractSumFactory()

    figures = selectors.contract_sum_for_year(2024)

    assert figures.contract_sum_shares == {
        "NNC": Decimal("79491974.40"),
        "WNC": Decimal("100517025.60"),
    }
    assert sum(figures.contract_sum_shares.values()) == figures.contract_sum
    assert figures.block3_shares == {"NNC": Decimal("1453305.60"), "WNC": Decimal("1837694.40")}


def test_a_year_with_a_single_sum_holds_it_as_block_1(contract):
    ContractSumFactory(
        year="2021/22",
        block1=Decimal("137150000.00"),
        block2=Decimal(0),
        block2_non_recurring=Decimal(0),
        block3=Decimal(0),
    )

    assert selectors.contract_sum_for_year(2021).contract_sum == Decimal("137150000.00")


def test_a_year_without_a_contract_sum_has_none(contract):
    assert selectors.contract_sum_for_year(2022) is None


def test_a_negative_block_is_refused_naming_the_field_and_nothing_is_saved(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(block3=Decimal("-1.00"))

    assert error.value.message_dict == {"block3": ["Block 3 must be £0 or more, not −£1.00."]}
    assert ContractSum.objects.count() == 0


def test_a_non_numeric_block_is_refused_naming_the_field(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(block1="lots")

    assert error.value.message_dict == {
        "block1": ["Block 1 must be an amount in pounds, not 'lots'."]
    }
    assert ContractSum.objects.count() == 0


def test_a_block_in_fractions_of_a_penny_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(block1=Decimal("177429000.001"))

    assert "block1" in error.value.message_dict


def test_a_non_recurring_part_larger_than_block_2_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(block2=Decimal("2580000.00"), block2_non_recurring=Decimal("2600000.00"))

    assert error.value.message_dict == {
        "block2_non_recurring": [
            "The Block 2 non-recurring part (£2,600,000.00) cannot be larger than Block 2 "
            "(£2,580,000.00)."
        ]
    }
    assert ContractSum.objects.count() == 0


def test_a_contract_sum_for_a_year_that_does_not_exist_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(year="2031/32")

    assert error.value.message_dict == {
        "year": ["There is no financial year 2031/32: years run from 2020/21 to 2026/27."]
    }
    assert ContractSum.objects.count() == 0


def test_a_contract_sum_for_a_badly_written_year_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(year="2024/26")

    assert list(error.value.message_dict) == ["year"]
    assert "the two years must be consecutive" in error.value.message_dict["year"][0]


def test_a_second_contract_sum_for_the_same_year_is_refused(contract):
    ContractSumFactory()

    with pytest.raises(ValidationError) as error:
        ContractSumFactory()

    assert error.value.message_dict == {
        "year": ["2024/25 already has a contract sum: change that one."]
    }


def test_changing_a_contract_sum_is_kept_in_its_history_with_the_user(contract, officer):
    contract_sum = ContractSumFactory()

    services.update_contract_sum(
        contract_sum=contract_sum,
        block1=Decimal("177500000.00"),
        block2=Decimal("2580000.00"),
        block2_non_recurring=Decimal("2363000.00"),
        block3=Decimal("3291000.00"),
        status="agreed",
        user=officer,
    )

    latest = contract_sum.history.latest()
    assert latest.block1 == Decimal("177500000.00")
    assert latest.history_user == officer
    assert contract_sum.history.count() == 2


def test_saving_unchanged_figures_writes_no_history(contract):
    contract_sum = ContractSumFactory()

    services.update_contract_sum(
        contract_sum=contract_sum,
        block1=contract_sum.block1,
        block2=contract_sum.block2,
        block2_non_recurring=contract_sum.block2_non_recurring,
        block3=contract_sum.block3,
        status=contract_sum.status,
    )

    assert contract_sum.history.count() == 1


def test_a_block_cannot_be_reduced_below_what_is_already_allocated(contract):
    contract_sum = ContractSumFactory()
    services.allocate_funding(
        business_case=BusinessCaseFactory(), year="2024/25", block=3, amount=Decimal("1456000.00")
    )

    with pytest.raises(ValidationError) as error:
        services.update_contract_sum(
            contract_sum=contract_sum,
            block1=contract_sum.block1,
            block2=contract_sum.block2,
            block2_non_recurring=contract_sum.block2_non_recurring,
            block3=Decimal("1000000.00"),
            status=contract_sum.status,
        )

    assert error.value.message_dict == {
        "block3": [
            "Block 3 for 2024/25 cannot be £1,000,000.00: £1,456,000.00 of it is already "
            "allocated to business cases. Reduce those allocations first."
        ]
    }
    contract_sum.refresh_from_db()
    assert contract_sum.block3 == Decimal("3291000.00")


def test_the_current_contract_sum_is_the_latest_up_to_this_year(contract):
    ContractSumFactory(
        year="2023/24",
        block1=Decimal("150938000.00"),
        block2=Decimal(0),
        block2_non_recurring=Decimal(0),
        block3=Decimal(0),
    )
    ContractSumFactory()

    assert selectors.current_contract_sum(date(2024, 3, 31)).year_label == "2023/24"
    assert selectors.current_contract_sum(date(2026, 11, 1)).year_label == "2024/25"


def test_an_absurdly_large_block_is_refused_not_crashed(contract):
    with pytest.raises(ValidationError) as error:
        ContractSumFactory(block1=Decimal("1e30"))

    assert error.value.message_dict == {"block1": ["Block 1 is too large."]}
