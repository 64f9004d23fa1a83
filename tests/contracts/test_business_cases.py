from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import BusinessCase, FundingAllocation
from tests.contracts.factories import BusinessCaseFactory, ContractSumFactory

pytestmark = pytest.mark.django_db


def allocate(case, block, amount, year="2024/25"):
    return services.allocate_funding(
        business_case=case, year=year, block=block, amount=Decimal(amount)
    )


def test_a_business_case_can_have_funding_from_both_blocks(contract):
    ContractSumFactory()
    case = BusinessCaseFactory(title="Circle to Success")

    allocate(case, 2, "1280000.00")
    allocate(case, 3, "410000.00")

    figures = selectors.business_case(case.pk)
    assert figures.funding_total == Decimal("1690000.00")
    assert figures.funding_label == "£1.280m Block 2 2024/25; £0.410m Block 3 2024/25"


def test_savings_can_be_recorded_for_any_year(contract):
    case = BusinessCaseFactory()

    services.set_business_case_saving(business_case=case, year="2023/24", amount=Decimal("3800000"))
    services.set_business_case_saving(business_case=case, year="2024/25", amount=Decimal("4049000"))
    services.set_business_case_saving(business_case=case, year="2026/27", amount=Decimal("100000"))

    figures = selectors.business_case(case.pk)
    assert figures.savings_by_year == {
        2023: Decimal("3800000.00"),
        2024: Decimal("4049000.00"),
        2026: Decimal("100000.00"),
    }
    assert selectors.saving_years([figures]) == [2023, 2024, 2026]


def test_setting_a_years_saving_again_changes_it(contract):
    case = BusinessCaseFactory()
    services.set_business_case_saving(business_case=case, year="2024/25", amount=Decimal("1"))

    services.set_business_case_saving(business_case=case, year="2024/25", amount=Decimal("2"))

    assert selectors.business_case(case.pk).savings_by_year == {2024: Decimal("2.00")}


def test_additional_benefits_are_an_amount_or_to_be_confirmed(contract):
    amount = BusinessCaseFactory(
        additional_benefits=Decimal("4023000"), additional_benefits_tbc=False
    )
    tbc = BusinessCaseFactory(additional_benefits_tbc=True)
    none = BusinessCaseFactory(additional_benefits_tbc=False)

    labels = {case.pk: case.benefits_label for case in selectors.business_cases()}
    assert labels == {amount.pk: "£4.023m", tbc.pk: "TBC", none.pk: "None"}


def test_additional_benefits_cannot_be_both_an_amount_and_to_be_confirmed(contract):
    with pytest.raises(ValidationError) as error:
        BusinessCaseFactory(additional_benefits=Decimal("1"), additional_benefits_tbc=True)

    assert error.value.message_dict == {
        "additional_benefits": [
            "Give an amount of additional benefits or mark them to be confirmed, not both."
        ]
    }


def test_two_business_cases_cannot_have_the_same_title(contract):
    BusinessCaseFactory(title="MASH Review")

    with pytest.raises(ValidationError) as error:
        BusinessCaseFactory(title="mash review")

    assert error.value.message_dict == {
        "title": ["There is already a business case called 'mash review'."]
    }
    assert BusinessCase.objects.count() == 1


def test_a_blocks_balance_is_what_is_available_less_what_is_allocated(contract):
    ContractSumFactory()
    for amount in ("410000", "138000", "68000", "132000", "435000", "70000", "203000"):
        allocate(BusinessCaseFactory(), 3, amount)

    block3 = selectors.funding_block(2024, 3)

    assert block3.available == Decimal("3291000.00")
    assert block3.allocated == Decimal("1456000.00")
    assert block3.balance == Decimal("1835000.00")
    assert block3.balance_shares == {"NNC": Decimal("810336.00"), "WNC": Decimal("1024664.00")}


def test_block_2_fully_allocated_has_no_balance(contract):
    ContractSumFactory()
    for amount in ("1280000", "85000", "132000", "1083000"):
        allocate(BusinessCaseFactory(), 2, amount)

    block2 = selectors.funding_block(2024, 2)

    assert block2.allocated == Decimal("2580000.00")
    assert block2.balance == Decimal("0.00")


def test_an_allocation_beyond_the_blocks_balance_is_refused_naming_block_year_and_amounts(
    contract,
):
    ContractSumFactory()
    allocate(BusinessCaseFactory(), 3, "1456000")
    case = BusinessCaseFactory(title="Exploitation Hub")

    with pytest.raises(ValidationError) as error:
        allocate(case, 3, "2000000")

    assert error.value.message_dict == {
        "amount": [
            "Block 3 for 2024/25 has £3,291,000.00 available and £1,456,000.00 already "
            "allocated, so £1,835,000.00 is left: £2,000,000.00 for Exploitation Hub would take "
            "it below zero."
        ]
    }
    assert FundingAllocation.objects.filter(business_case=case).count() == 0


def test_an_allocation_that_uses_exactly_the_balance_is_accepted(contract):
    ContractSumFactory()
    allocate(BusinessCaseFactory(), 3, "1456000")

    allocate(BusinessCaseFactory(), 3, "1835000")

    assert selectors.funding_block(2024, 3).balance == Decimal("0.00")


def test_an_allocation_from_a_year_without_a_contract_sum_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        allocate(BusinessCaseFactory(title="Practice Model"), 2, "183000", year="2025/26")

    assert error.value.message_dict["amount"] == [
        "Block 2 for 2025/26 has £0.00 available and £0.00 already allocated, so £0.00 is "
        "left: £183,000.00 for Practice Model would take it below zero."
    ]


def test_increasing_an_allocation_beyond_the_balance_is_refused(contract):
    ContractSumFactory()
    allocation = allocate(BusinessCaseFactory(), 2, "2500000")

    with pytest.raises(ValidationError):
        services.update_funding_allocation(
            allocation=allocation, year="2024/25", block=2, amount=Decimal("2600000")
        )

    allocation.refresh_from_db()
    assert allocation.amount == Decimal("2500000.00")


def test_an_allocation_of_nothing_or_less_is_refused(contract):
    ContractSumFactory()
    with pytest.raises(ValidationError) as error:
        allocate(BusinessCaseFactory(), 2, "-5")

    assert error.value.message_dict == {
        "amount": ["Funding agreed must be £0 or more, not −£5.00."]
    }


def test_a_case_has_one_allocation_per_block_and_year(contract):
    ContractSumFactory()
    case = BusinessCaseFactory()
    allocate(case, 2, "1000")

    with pytest.raises(ValidationError) as error:
        allocate(case, 2, "1000")

    assert list(error.value.message_dict) == ["block"]


def test_removing_an_allocation_returns_it_to_the_balance(contract, officer):
    ContractSumFactory()
    allocation = allocate(BusinessCaseFactory(), 3, "435000")

    services.remove_funding_allocation(allocation=allocation, user=officer)

    assert selectors.funding_block(2024, 3).balance == Decimal("3291000.00")
    assert FundingAllocation.history.latest().history_type == "-"


def test_funding_blocks_list_every_year_with_a_contract_sum_or_allocation(contract):
    ContractSumFactory()
    ContractSumFactory(
        year="2023/24",
        block1=Decimal("150938000"),
        block2=Decimal(0),
        block2_non_recurring=Decimal(0),
        block3=Decimal(0),
    )

    blocks = selectors.funding_blocks_for_years()

    assert [(b.year_label, b.block_label) for b in blocks] == [
        ("2024/25", "Block 2"),
        ("2024/25", "Block 3"),
    ]


def test_business_cases_for_a_year_are_those_with_savings_or_funding_in_it(contract):
    ContractSumFactory()
    funded = BusinessCaseFactory(date_approved=date(2023, 12, 12))
    allocate(funded, 3, "138000")
    saving = BusinessCaseFactory()
    services.set_business_case_saving(business_case=saving, year="2024/25", amount=Decimal(1))
    BusinessCaseFactory()

    assert [case.pk for case in selectors.business_cases(start_year=2024)] == [
        funded.pk,
        saving.pk,
    ]
