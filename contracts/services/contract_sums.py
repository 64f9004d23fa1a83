"""Writes to a year's contract sum: Blocks 1, 2 and 3 and its status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import ContractSumStatus
from contracts.models import ContractSum
from contracts.record import periods_showing_block_tables, periods_showing_year
from contracts.selectors import funding_blocks
from contracts.services._common import _changed, _money, _raise, _save, _year
from nct_monitor.finance import format_pounds
from nct_monitor.models import FinancialYear, Period
from nct_monitor.records import periods_of_years, refuse_if_signed_off


def _contract_sum_values(
    *,
    block1: object,
    block2: object,
    block2_non_recurring: object,
    block3: object,
    status: str,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "block1": _money(errors, "block1", "Block 1", block1),
        "block2": _money(errors, "block2", "Block 2", block2),
        "block2_non_recurring": _money(
            errors, "block2_non_recurring", "Block 2 non-recurring part", block2_non_recurring
        ),
        "block3": _money(errors, "block3", "Block 3", block3),
        "status": status,
    }
    if not errors and values["block2_non_recurring"] > values["block2"]:
        errors["block2_non_recurring"] = [
            f"The Block 2 non-recurring part ({format_pounds(values['block2_non_recurring'])}) "
            f"cannot be larger than Block 2 ({format_pounds(values['block2'])})."
        ]
    if status not in ContractSumStatus.values:
        errors["status"] = ["Status must be provisional or agreed."]
    _raise(errors)
    return values


CONTRACT_SUM_SHOWN = {"block1", "block2", "block2_non_recurring", "block3", "status"}


def _refuse_contract_sum_change(year: FinancialYear, changed: set[str], *, change: str) -> None:
    """Refuse when a signed-off period shows what changes: its blocks and status are on the
    dashboards of the year and the year before and in the year's appendix (with its notes);
    Blocks 2 and 3 are also the available funding of the business cases appendix's tables."""
    periods = Period.objects.none()
    if changed & CONTRACT_SUM_SHOWN:
        periods = periods | periods_showing_year([year.start_year])
    if "notes" in changed:
        periods = periods | periods_of_years([year.start_year])
    if changed & {"block2", "block3"}:
        periods = periods | periods_showing_block_tables([year.start_year])
    refuse_if_signed_off(periods, change=change)


def _check_blocks_cover_allocations(year: FinancialYear) -> None:
    errors: dict[str, list[str]] = {}
    for block in funding_blocks(year.start_year):
        if block.overallocated:
            errors[f"block{block.block}"] = [
                f"{block.block_label} for {block.year_label} cannot be "
                f"{format_pounds(block.available)}: {format_pounds(block.allocated)} of it is "
                "already allocated to business cases. Reduce those allocations first."
            ]
    _raise(errors)


@transaction.atomic
def create_contract_sum(
    *,
    year: str | int | FinancialYear,
    block1: Decimal,
    block2: Decimal = Decimal(0),
    block2_non_recurring: Decimal = Decimal(0),
    block3: Decimal = Decimal(0),
    status: str = ContractSumStatus.AGREED,
    notes: str = "",
    source: str = "",
    user: Any = None,
) -> ContractSum:
    """Record a financial year's contract sum (Block 1 + Block 2) and its Block 3 reserve.

    Refused, naming the field, for a year the contract does not have, a year that already has
    one, negative money, or a non-recurring part larger than Block 2.
    """
    financial_year = _year(year)
    values = _contract_sum_values(
        block1=block1,
        block2=block2,
        block2_non_recurring=block2_non_recurring,
        block3=block3,
        status=status,
    )
    if ContractSum.objects.filter(year=financial_year).exists():
        raise ValidationError(
            {"year": f"{financial_year.label} already has a contract sum: change that one."}
        )
    _refuse_contract_sum_change(
        financial_year,
        CONTRACT_SUM_SHOWN,
        change=f"Recording the {financial_year.label} contract sum",
    )
    contract_sum = ContractSum(year=financial_year, notes=notes, source=source, **values)
    _save(contract_sum, user=user)
    # Allocations made before the year had a contract sum must still fit.
    _check_blocks_cover_allocations(financial_year)
    return contract_sum


@transaction.atomic
def update_contract_sum(
    *,
    contract_sum: ContractSum,
    block1: Decimal,
    block2: Decimal,
    block2_non_recurring: Decimal,
    block3: Decimal,
    status: str,
    notes: str = "",
    source: str = "",
    user: Any = None,
    reason: str | None = None,
) -> ContractSum:
    """Change a contract sum. A block cannot go below what is already allocated from it.

    Refused while a signed-off period shows a figure, the status or the notes that change;
    its source can always be changed.
    """
    values = _contract_sum_values(
        block1=block1,
        block2=block2,
        block2_non_recurring=block2_non_recurring,
        block3=block3,
        status=status,
    )
    values |= {"notes": notes, "source": source}
    locked = ContractSum.objects.select_for_update().select_related("year").get(pk=contract_sum.pk)
    if not _changed(locked, values):
        return locked
    _refuse_contract_sum_change(
        locked.year,
        {name for name, value in values.items() if getattr(locked, name) != value},
        change=f"Changing the {locked.year.label} contract sum",
    )
    for name, value in values.items():
        setattr(locked, name, value)
    _save(locked, user=user, reason=reason)
    _check_blocks_cover_allocations(locked.year)
    return locked
