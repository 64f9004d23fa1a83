"""Business cases with their savings by year and the funding agreed for them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet

from contracts.models import BusinessCase, BusinessCaseSaving, FundingAllocation
from contracts.selectors._common import _total
from contracts.selectors.funding import AllocationFigures, _allocation_figures
from contracts.selectors.shares import ShareBook
from nct_monitor.finance import format_millions


@dataclass(frozen=True)
class SavingFigures:
    pk: int
    start_year: int
    year_label: str
    amount: Decimal


@dataclass(frozen=True)
class BusinessCaseFigures:
    """An approved business case with its savings by year and its funding by block."""

    pk: int
    theme: str
    theme_label: str
    title: str
    date_approved: date
    additional_benefits: Decimal | None
    additional_benefits_tbc: bool
    duration: str
    notes: str
    source: str
    savings: list[SavingFigures]
    allocations: list[AllocationFigures]
    funding_total: Decimal

    @property
    def savings_by_year(self) -> dict[int, Decimal]:
        return {saving.start_year: saving.amount for saving in self.savings}

    @property
    def benefits_label(self) -> str:
        if self.additional_benefits is not None:
            return format_millions(self.additional_benefits)
        return "TBC" if self.additional_benefits_tbc else "None"

    @property
    def funding_label(self) -> str:
        """`£1.280m Block 2 2024/25; £0.410m Block 3 2024/25`, as the papers list it."""
        return "; ".join(
            f"{format_millions(a.amount)} {a.block_label} {a.year_label}" for a in self.allocations
        )


def business_cases(
    queryset: QuerySet[BusinessCase] | None = None, *, start_year: int | None = None
) -> list[BusinessCaseFigures]:
    """Business cases (all, or of `queryset`), with savings and allocations.

    With `start_year`, only the cases with a saving or funding in that year.
    """
    records = queryset if queryset is not None else BusinessCase.objects.all()
    if start_year is not None:
        records = records.filter(
            models.Q(savings__year__start_year=start_year)
            | models.Q(allocations__year__start_year=start_year)
        ).distinct()
    records = records.prefetch_related(
        models.Prefetch(
            "savings",
            queryset=BusinessCaseSaving.objects.select_related("year").order_by("year__start_year"),
        ),
        models.Prefetch(
            "allocations",
            queryset=FundingAllocation.objects.select_related("year", "business_case").order_by(
                "year__start_year", "block"
            ),
        ),
    )
    book = ShareBook()
    result = []
    for case in records:
        allocations = [_allocation_figures(a, book) for a in case.allocations.all()]
        result.append(
            BusinessCaseFigures(
                pk=case.pk,
                theme=case.theme,
                theme_label=case.get_theme_display(),
                title=case.title,
                date_approved=case.date_approved,
                additional_benefits=case.additional_benefits,
                additional_benefits_tbc=case.additional_benefits_tbc,
                duration=case.duration,
                notes=case.notes,
                source=case.source,
                savings=[
                    SavingFigures(s.pk, s.year.start_year, s.year.label, s.amount)
                    for s in case.savings.all()
                ],
                allocations=allocations,
                funding_total=_total(a.amount for a in allocations),
            )
        )
    return result


def business_case(pk: int) -> BusinessCaseFigures | None:
    """One business case's figures, or None when there is no such case."""
    found = business_cases(BusinessCase.objects.filter(pk=pk))
    return found[0] if found else None


def saving_years(cases: Iterable[BusinessCaseFigures]) -> list[int]:
    """The years any of `cases` has a saving in, for a column per year."""
    return sorted({saving.start_year for case in cases for saving in case.savings})
