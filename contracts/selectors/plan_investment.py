"""The business plan's invest-to-save table and capital programme, the projected profit and
loss account built on it, and the footnotes printed beneath the finance tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from contracts.choices import FootnoteTable, PlanInvestmentKind
from contracts.models import FinanceFootnote, PlanInvestment
from contracts.selectors.mtfp import MtfpFigures
from nct_monitor.periods import year_label

REVENUE_KINDS = (PlanInvestmentKind.SERVICE_IMPROVEMENT, PlanInvestmentKind.TRANSFORMATION)


@dataclass(frozen=True)
class PlanInvestmentRow:
    """A line of the table, or a total computed from lines, with its amount in each year.

    An amount of None is "to be confirmed". A total adds the lines that have an amount;
    `tbc_lines` counts, by year, the lines it leaves out for being to be confirmed.
    """

    title: str
    section: str
    kind: str
    kind_label: str
    amounts: dict[int, Decimal | None]
    pks: dict[int, int] = field(default_factory=dict)
    notes: str = ""
    source: str = ""
    is_total: bool = False
    tbc_lines: dict[int, int] = field(default_factory=dict)

    def amount(self, start_year: int) -> Decimal | None:
        return self.amounts.get(start_year)

    def has_year(self, start_year: int) -> bool:
        return start_year in self.amounts


@dataclass(frozen=True)
class PlanInvestmentFigures:
    """The whole table: its years, revenue and capital lines, and their totals computed."""

    years: list[int]
    revenue: list[PlanInvestmentRow]
    capital: list[PlanInvestmentRow]
    revenue_total: PlanInvestmentRow
    capital_total: PlanInvestmentRow
    service_improvement: dict[int, Decimal | None]
    transformation: dict[int, Decimal | None]

    @property
    def year_labels(self) -> list[str]:
        return [year_label(year) for year in self.years]

    def rows(self) -> list[PlanInvestmentRow]:
        """The table's rows in the plan's order: revenue, its total, capital, its total."""
        rows: list[PlanInvestmentRow] = []
        if self.revenue:
            rows += [*self.revenue, self.revenue_total]
        if self.capital:
            rows += [*self.capital, self.capital_total]
        return rows


def _total(
    title: str, section: str, lines: list[PlanInvestmentRow], years: list[int]
) -> PlanInvestmentRow:
    """The total of `lines` in each year: None when every line is to be confirmed."""
    amounts: dict[int, Decimal | None] = {}
    tbc: dict[int, int] = {}
    for year in years:
        present = [line for line in lines if line.has_year(year)]
        known = [amount for line in present if (amount := line.amounts[year]) is not None]
        tbc[year] = len(present) - len(known)
        amounts[year] = sum(known, Decimal("0.00")) if known or not present else None
    return PlanInvestmentRow(
        title=title,
        section=section,
        kind="",
        kind_label="",
        amounts=amounts,
        is_total=True,
        tbc_lines=tbc,
    )


def plan_investment_total(
    kinds: Iterable[str], start_year: int, lines: Iterable[PlanInvestmentRow]
) -> Decimal | None:
    """The total of the lines of `kinds` in a year, as the table computes it."""
    chosen = [line for line in lines if line.kind in set(kinds)]
    return _total("", "", chosen, [start_year]).amounts[start_year]


def plan_investment(queryset: QuerySet[PlanInvestment] | None = None) -> PlanInvestmentFigures:
    """The business plan's invest-to-save table (all lines, or those of `queryset`)."""
    records = (queryset if queryset is not None else PlanInvestment.objects.all()).select_related(
        "year"
    )
    grouped: dict[tuple[str, str], list[PlanInvestment]] = {}
    positions: dict[tuple[str, str], int] = {}
    years: set[int] = set()
    for record in records.order_by("position", "title", "year__start_year"):
        key = (record.kind, record.title)
        grouped.setdefault(key, []).append(record)
        positions.setdefault(key, record.position)
        years.add(record.year.start_year)
    ordered_years = sorted(years)
    rows = []
    for (kind, title), members in sorted(grouped.items(), key=lambda item: positions[item[0]]):
        first = members[0]
        notes = " ".join(dict.fromkeys(m.notes for m in members if m.notes))
        sources = "; ".join(dict.fromkeys(m.source for m in members if m.source))
        rows.append(
            PlanInvestmentRow(
                title=title,
                section="Capital" if kind == PlanInvestmentKind.CAPITAL else "Revenue",
                kind=kind,
                kind_label=first.get_kind_display(),
                amounts={m.year.start_year: m.amount for m in members},
                pks={m.year.start_year: m.pk for m in members},
                notes=notes,
                source=sources,
            )
        )
    revenue = [row for row in rows if row.kind in REVENUE_KINDS]
    capital = [row for row in rows if row.kind == PlanInvestmentKind.CAPITAL]
    return PlanInvestmentFigures(
        years=ordered_years,
        revenue=revenue,
        capital=capital,
        revenue_total=_total(
            "Total invest to save / transformation", "Revenue", revenue, ordered_years
        ),
        capital_total=_total("Total capital programme", "Capital", capital, ordered_years),
        service_improvement={
            year: plan_investment_total([PlanInvestmentKind.SERVICE_IMPROVEMENT], year, rows)
            for year in ordered_years
        },
        transformation={
            year: plan_investment_total([PlanInvestmentKind.TRANSFORMATION], year, rows)
            for year in ordered_years
        },
    )


@dataclass(frozen=True)
class ProfitAndLossFigures:
    """A year of the projected profit and loss account's lower table.

    The net contract sum (from the MTFP) plus service improvement and the transformation
    reserve (from the invest-to-save table), each None while to be confirmed, which then adds
    nothing to the total.
    """

    start_year: int
    year_label: str
    net_sum: Decimal
    service_improvement: Decimal | None
    transformation: Decimal | None
    total: Decimal


def profit_and_loss(
    mtfp: list[MtfpFigures], plan: PlanInvestmentFigures | None = None
) -> list[ProfitAndLossFigures]:
    """The lower table of the projected profit and loss account for each MTFP year given."""
    plan = plan if plan is not None else plan_investment()
    if not plan.revenue:
        return []
    result = []
    for year in mtfp:
        improvement = plan.service_improvement.get(year.start_year)
        transformation = plan.transformation.get(year.start_year)
        result.append(
            ProfitAndLossFigures(
                start_year=year.start_year,
                year_label=year.year_label,
                net_sum=year.net_sum,
                service_improvement=improvement,
                transformation=transformation,
                total=year.net_sum + (improvement or 0) + (transformation or 0),
            )
        )
    return result


@dataclass(frozen=True)
class FootnoteFigures:
    pk: int
    marker: str
    refers_to: str
    text: str
    source: str


def footnotes(table: FootnoteTable | str, *, marked_in: str | None = None) -> list[FootnoteFigures]:
    """The footnotes printed beneath a finance table, in the paper's order; with `marked_in`,
    only those whose marker that text carries (a business case's duration, say)."""
    notes = [
        FootnoteFigures(
            pk=note.pk,
            marker=note.marker,
            refers_to=note.refers_to,
            text=note.text,
            source=note.source,
        )
        for note in FinanceFootnote.objects.filter(table=table).order_by("position", "marker")
    ]
    if marked_in is None:
        return notes
    return [note for note in notes if note.marker in marked_in]
