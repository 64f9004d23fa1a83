"""Writes to the funding agreed for business cases from Blocks 2 and 3 of a year."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import FundingBlock
from contracts.models import BusinessCase, ContractSum, FundingAllocation
from contracts.record import periods_showing_block_tables, periods_showing_year
from contracts.selectors import funding_block
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.audit import attribute
from nct_monitor.finance import format_pounds
from nct_monitor.models import FinancialYear
from nct_monitor.records import refuse_if_signed_off


def _check_block_balance(
    *, year: FinancialYear, block: int, amount: Decimal, business_case: BusinessCase
) -> None:
    figures = funding_block(year.start_year, block)
    if figures.balance < 0:
        allocated_before = figures.allocated - amount
        raise ValidationError(
            {
                "amount": f"{figures.block_label} for {figures.year_label} has "
                f"{format_pounds(figures.available)} available and "
                f"{format_pounds(allocated_before)} already allocated, so "
                f"{format_pounds(figures.available - allocated_before)} is left: "
                f"{format_pounds(amount)} for {business_case.title} would take it below zero."
            }
        )


def _allocation_values(
    *, year: str | int | FinancialYear, block: int, amount: object
) -> tuple[FinancialYear, int, Decimal]:
    financial_year = _year(year)
    errors: dict[str, list[str]] = {}
    value = _money(errors, "amount", "Funding agreed", amount)
    if not errors and value <= 0:
        errors["amount"] = ["Funding agreed must be more than £0."]
    if block not in FundingBlock.values:
        errors["block"] = ["Funding block must be Block 2 or Block 3."]
    _raise(errors)
    return financial_year, int(block), value


def _refuse_allocation_change(
    business_case: BusinessCase, start_years: Iterable[int], *, change: str
) -> None:
    """A year's allocations are in the block totals of the dashboards of the year and the year
    before, in the case's row of the business cases appendix, and in the year's block tables
    of every appendix that has them."""
    years = list(start_years)
    refuse_if_signed_off(
        periods_showing_year(years)
        | periods_showing_block_tables(years, approved=[business_case.date_approved]),
        change=change,
    )


def _lock_contract_sum(year: FinancialYear) -> None:
    # Allocations from a year's blocks are serialised on its contract sum row, so two officers
    # allocating at once cannot both spend the same balance.
    list(ContractSum.objects.select_for_update().filter(year=year))


@transaction.atomic
def allocate_funding(
    *,
    business_case: BusinessCase,
    year: str | int | FinancialYear,
    block: int,
    amount: Decimal,
    note: str = "",
    user: Any = None,
) -> FundingAllocation:
    """Agree funding for a business case from Block 2 or Block 3 of a year.

    Refused, with the block, year, available, allocated and the amount, when it would take the
    block's balance below zero; and while a signed-off period shows the block or the case.
    """
    financial_year, block, value = _allocation_values(year=year, block=block, amount=amount)
    _lock_contract_sum(financial_year)
    if FundingAllocation.objects.filter(
        business_case=business_case, year=financial_year, block=block
    ).exists():
        raise ValidationError(
            {
                "block": f"{business_case.title} already has {FundingBlock(block).label} funding "
                f"in {financial_year.label}: change that allocation."
            }
        )
    _refuse_allocation_change(
        business_case,
        [financial_year.start_year],
        change=f"Allocating {FundingBlock(block).label} {financial_year.label} funding to "
        f"'{business_case.title}'",
    )
    allocation = FundingAllocation(
        business_case=business_case, year=financial_year, block=block, amount=value, note=note
    )
    _save(allocation, user=user)
    _check_block_balance(
        year=financial_year, block=block, amount=value, business_case=business_case
    )
    return allocation


@transaction.atomic
def update_funding_allocation(
    *,
    allocation: FundingAllocation,
    year: str | int | FinancialYear,
    block: int,
    amount: Decimal,
    note: str = "",
    user: Any = None,
) -> FundingAllocation:
    """Change an allocation; the block it ends in must still have the balance for it.

    Refused while a signed-off period shows the block it leaves or joins; its note can always
    be changed.
    """
    financial_year, block, value = _allocation_values(year=year, block=block, amount=amount)
    _lock_contract_sum(financial_year)
    locked = (
        FundingAllocation.objects.select_for_update()
        .select_related("business_case")
        .get(pk=allocation.pk)
    )
    if (
        FundingAllocation.objects.filter(
            business_case_id=locked.business_case_id, year=financial_year, block=block
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "block": f"{locked.business_case.title} already has {FundingBlock(block).label} "
                f"funding in {financial_year.label}: change that allocation."
            }
        )
    values = {"year_id": financial_year.pk, "block": block, "amount": value, "note": note}
    if _changed(locked, {name: values[name] for name in ("year_id", "block", "amount")}):
        _refuse_allocation_change(
            locked.business_case,
            [locked.year.start_year, financial_year.start_year],
            change=f"Changing the {locked.get_block_display()} {locked.year.label} funding of "
            f"'{locked.business_case.title}'",
        )
    if _changed(locked, values):
        for name, item in values.items():
            setattr(locked, name, item)
        _save(locked, user=user)
        _check_block_balance(
            year=financial_year, block=block, amount=value, business_case=locked.business_case
        )
    return locked


@transaction.atomic
def remove_funding_allocation(*, allocation: FundingAllocation, user: Any = None) -> None:
    """Withdraw an allocation, returning its amount to the block's balance."""
    _refuse_allocation_change(
        allocation.business_case,
        [allocation.year.start_year],
        change=f"Withdrawing the {allocation.get_block_display()} {allocation.year.label} "
        f"funding of '{allocation.business_case.title}'",
    )
    attribute(allocation, user=user, reason="Removed")
    allocation.delete()
