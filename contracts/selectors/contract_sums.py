"""Each year's contract sum, with its blocks and the councils' parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from contracts.models import ContractSum
from contracts.selectors.shares import ShareBook, split


@dataclass(frozen=True)
class ContractSumFigures:
    """A year's contract sum: its blocks, the sum computed, and the councils' parts."""

    pk: int
    start_year: int
    year_label: str
    status: str
    status_label: str
    block1: Decimal
    block2: Decimal
    block2_non_recurring: Decimal
    block3: Decimal
    notes: str
    source: str
    shares: dict[str, Decimal]
    contract_sum: Decimal
    block2_recurring: Decimal
    contract_sum_shares: dict[str, Decimal]
    block3_shares: dict[str, Decimal]


def _contract_sum_figures(record: ContractSum, book: ShareBook) -> ContractSumFigures:
    shares = book.for_year(record.year.start_year)
    contract_sum = record.block1 + record.block2
    return ContractSumFigures(
        pk=record.pk,
        start_year=record.year.start_year,
        year_label=record.year.label,
        status=record.status,
        status_label=record.get_status_display(),
        block1=record.block1,
        block2=record.block2,
        block2_non_recurring=record.block2_non_recurring,
        block3=record.block3,
        notes=record.notes,
        source=record.source,
        shares=shares,
        contract_sum=contract_sum,
        block2_recurring=record.block2 - record.block2_non_recurring,
        contract_sum_shares=split(contract_sum, shares),
        block3_shares=split(record.block3, shares),
    )


def contract_sums(queryset: QuerySet[ContractSum] | None = None) -> list[ContractSumFigures]:
    """Contract sums (all, or those of `queryset`), earliest year first."""
    records = (queryset if queryset is not None else ContractSum.objects.all()).select_related(
        "year"
    )
    book = ShareBook()
    return [_contract_sum_figures(record, book) for record in records]


def contract_sum_for_year(start_year: int) -> ContractSumFigures | None:
    """The contract sum of the year starting in `start_year`, or None when none is recorded."""
    found = contract_sums(ContractSum.objects.filter(year__start_year=start_year))
    return found[0] if found else None


def current_contract_sum(today: date | None = None) -> ContractSumFigures | None:
    """The contract sum of the current financial year, else of the latest year before it."""
    today = today or date.today()
    current_year = today.year if today.month >= 4 else today.year - 1
    latest = (
        ContractSum.objects.filter(year__start_year__lte=current_year)
        .order_by("-year__start_year")
        .first()
    )
    return contract_sum_for_year(latest.year.start_year) if latest is not None else None
