"""Blocks 2 and 3 of each year and the funding allocated from them to business cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contracts.choices import FundingBlock
from contracts.models import ContractSum, FundingAllocation
from contracts.selectors._common import ZERO, _total
from contracts.selectors.shares import ShareBook, split
from nct_monitor.periods import year_label


@dataclass(frozen=True)
class AllocationFigures:
    """Funding agreed for a business case from one block of one year."""

    pk: int
    business_case_pk: int
    business_case_title: str
    start_year: int
    year_label: str
    block: int
    block_label: str
    amount: Decimal
    note: str
    shares: dict[str, Decimal]
    amount_shares: dict[str, Decimal]


def _allocation_figures(allocation: FundingAllocation, book: ShareBook) -> AllocationFigures:
    shares = book.for_year(allocation.year.start_year)
    return AllocationFigures(
        pk=allocation.pk,
        business_case_pk=allocation.business_case_id,
        business_case_title=allocation.business_case.title,
        start_year=allocation.year.start_year,
        year_label=allocation.year.label,
        block=allocation.block,
        block_label=allocation.get_block_display(),
        amount=allocation.amount,
        note=allocation.note,
        shares=shares,
        amount_shares=split(allocation.amount, shares),
    )


@dataclass(frozen=True)
class FundingBlockFigures:
    """One block of a year: what the contract sum makes available, what is allocated, the rest."""

    start_year: int
    year_label: str
    block: int
    block_label: str
    available: Decimal
    allocations: list[AllocationFigures]
    allocated: Decimal
    balance: Decimal
    shares: dict[str, Decimal]
    available_shares: dict[str, Decimal]
    allocated_shares: dict[str, Decimal]
    balance_shares: dict[str, Decimal]
    contract_sum_pk: int | None

    @property
    def overallocated(self) -> bool:
        return self.balance < 0


def _available(record: ContractSum | None, block: int) -> Decimal:
    if record is None:
        return ZERO
    return record.block2 if block == FundingBlock.BLOCK_2 else record.block3


def funding_blocks_for_years(start_years: Iterable[int] | None = None) -> list[FundingBlockFigures]:
    """Blocks 2 and 3 of each year that has either a contract sum or an allocation.

    With `start_years`, those years only (a year with neither shows both blocks at £0).
    """
    sums = {record.year.start_year: record for record in ContractSum.objects.select_related("year")}
    allocations = FundingAllocation.objects.select_related("year", "business_case").order_by(
        "year__start_year", "block", "business_case__date_approved", "business_case__title", "pk"
    )
    if start_years is not None:
        years = sorted(set(start_years))
        allocations = allocations.filter(year__start_year__in=years)
    book = ShareBook()
    by_block: dict[tuple[int, int], list[AllocationFigures]] = {}
    for allocation in allocations:
        figures = _allocation_figures(allocation, book)
        by_block.setdefault((figures.start_year, figures.block), []).append(figures)
    if start_years is None:
        years = sorted(set(sums) | {year for year, _ in by_block})
    result = []
    for start_year in years:
        record = sums.get(start_year)
        shares = book.for_year(start_year)
        for block in FundingBlock:
            lines = by_block.get((start_year, block.value), [])
            available = _available(record, block.value)
            allocated = _total(line.amount for line in lines)
            if start_years is None and not available and not lines:
                continue
            balance = available - allocated
            result.append(
                FundingBlockFigures(
                    start_year=start_year,
                    year_label=year_label(start_year),
                    block=block.value,
                    block_label=block.label,
                    available=available,
                    allocations=lines,
                    allocated=allocated,
                    balance=balance,
                    shares=shares,
                    available_shares=split(available, shares),
                    allocated_shares=split(allocated, shares),
                    balance_shares=split(balance, shares),
                    contract_sum_pk=record.pk if record is not None else None,
                )
            )
    return result


def funding_blocks(start_year: int) -> list[FundingBlockFigures]:
    """Block 2 and Block 3 of the year starting in `start_year`: available, allocated, balance."""
    return funding_blocks_for_years([start_year])


def funding_block(start_year: int, block: int) -> FundingBlockFigures:
    """One block (2 or 3) of a year: available, allocated and balance outstanding."""
    return next(figures for figures in funding_blocks(start_year) if figures.block == block)


def allocations(queryset: QuerySet[FundingAllocation]) -> list[AllocationFigures]:
    """The allocations of `queryset`, each with the councils' parts of its amount."""
    book = ShareBook()
    return [
        _allocation_figures(allocation, book)
        for allocation in queryset.select_related("year", "business_case")
    ]
