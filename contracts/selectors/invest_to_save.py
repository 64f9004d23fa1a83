"""Invest-to-save money by programme and year, net of the grants that offset it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contracts.choices import InvestToSaveKind
from contracts.models import InvestToSaveLine
from contracts.selectors._common import _total
from contracts.selectors.shares import ShareBook, split
from nct_monitor.periods import year_label


@dataclass(frozen=True)
class InvestToSaveLineFigures:
    pk: int
    programme: str
    start_year: int
    year_label: str
    kind: str
    kind_label: str
    title: str
    amount: Decimal
    notes: str
    source: str

    @property
    def is_grant(self) -> bool:
        return self.kind == InvestToSaveKind.GRANT

    @property
    def net_effect(self) -> Decimal:
        """What the line adds to the councils' net cost: a grant takes away."""
        return -self.amount if self.is_grant else self.amount


@dataclass(frozen=True)
class InvestToSaveFigures:
    """A programme's invest-to-save money in a year: funding, offsetting grants, net cost."""

    programme: str
    start_year: int
    year_label: str
    funding_lines: list[InvestToSaveLineFigures]
    grant_lines: list[InvestToSaveLineFigures]
    funding_total: Decimal
    grants_total: Decimal
    net: Decimal
    shares: dict[str, Decimal]
    net_shares: dict[str, Decimal]


def _line_figures(line: InvestToSaveLine) -> InvestToSaveLineFigures:
    return InvestToSaveLineFigures(
        pk=line.pk,
        programme=line.programme,
        start_year=line.year.start_year,
        year_label=line.year.label,
        kind=line.kind,
        kind_label=line.get_kind_display(),
        title=line.title,
        amount=line.amount,
        notes=line.notes,
        source=line.source,
    )


def invest_to_save_lines(queryset: QuerySet[InvestToSaveLine]) -> list[InvestToSaveLineFigures]:
    """The funding and grant lines of `queryset`, as figures."""
    return [_line_figures(line) for line in queryset.select_related("year")]


def invest_to_save(
    *, start_year: int | None = None, programme: str | None = None
) -> list[InvestToSaveFigures]:
    """Invest-to-save money by programme and year, with the net of grants and its split."""
    lines = InvestToSaveLine.objects.select_related("year").order_by(
        "programme", "year__start_year", "pk"
    )
    if start_year is not None:
        lines = lines.filter(year__start_year=start_year)
    if programme is not None:
        lines = lines.filter(programme=programme)
    groups: dict[tuple[str, int], list[InvestToSaveLineFigures]] = {}
    for line in lines:
        figures = _line_figures(line)
        groups.setdefault((figures.programme, figures.start_year), []).append(figures)
    book = ShareBook()
    result = []
    for (name, year), members in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        funding = [line for line in members if not line.is_grant]
        grants = [line for line in members if line.is_grant]
        funding_total = _total(line.amount for line in funding)
        grants_total = _total(line.amount for line in grants)
        shares = book.for_year(year)
        net = funding_total - grants_total
        result.append(
            InvestToSaveFigures(
                programme=name,
                start_year=year,
                year_label=year_label(year),
                funding_lines=funding,
                grant_lines=grants,
                funding_total=funding_total,
                grants_total=grants_total,
                net=net,
                shares=shares,
                net_shares=split(net, shares),
            )
        )
    return result
