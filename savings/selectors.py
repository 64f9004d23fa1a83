"""Reads of savings: the period summary every page, export, command and report prints.

`savings_summary` is the one place the savings totals are computed: lines, group subtotals,
the grand total, the shortfall and each council's share of it, the percentage of the target
rated green, the movement since the previous period and the lines whose rating moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum

from contracts.selectors import ShareBook, get_contract, shares_for_period
from nct_monitor.finance import apportion, money_json
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef
from savings.choices import Rating
from savings.figures import Figures, total
from savings.models import SavingsLine, SavingsPosition

if TYPE_CHECKING:
    from contracts.models import Contract


@dataclass
class LineSummary:
    """One line in a period, with its change since the previous period (None if it is new)."""

    line: SavingsLine
    position: SavingsPosition
    figures: Figures
    previous: Figures | None
    shortfall_shares: dict[str, Decimal]

    @property
    def movement(self) -> Figures | None:
        return None if self.previous is None else self.figures - self.previous

    @property
    def rating(self) -> Rating:
        return self.figures.rating

    @property
    def previous_rating(self) -> Rating | None:
        return None if self.previous is None else self.previous.rating

    @property
    def rating_moved(self) -> bool:
        return self.previous is not None and self.previous_rating != self.rating

    @property
    def rating_worse(self) -> bool:
        previous = self.previous_rating
        return previous is not None and self.rating.severity > previous.severity

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.line.ref,
            "title": self.line.title,
            "sro": self.line.sro,
            "group": self.line.group,
            **self.figures.as_json(),
            "comment": self.position.comment,
        }


@dataclass
class GroupSummary:
    """A group of lines ("NCT savings proposals", "Valuing care") and its subtotal."""

    name: str
    lines: list[LineSummary]
    figures: Figures
    previous: Figures | None
    shortfall_shares: dict[str, Decimal]

    @property
    def movement(self) -> Figures | None:
        return None if self.previous is None else self.figures - self.previous

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, **self.figures.as_json()}


@dataclass
class SavingsSummary:
    """The savings of one period, every total computed from the lines."""

    period: Period
    previous_period: Period | None
    groups: list[GroupSummary]
    totals: Figures
    previous_totals: Figures | None
    shares: dict[str, Decimal]
    shortfall_shares: dict[str, Decimal]
    missing_lines: list[SavingsLine] = field(default_factory=list)

    @property
    def lines(self) -> list[LineSummary]:
        return [line for group in self.groups for line in group.lines]

    @property
    def has_positions(self) -> bool:
        return bool(self.groups)

    @property
    def movement(self) -> Figures | None:
        """The change in each total since the previous period with positions, or None."""
        if self.previous_totals is None:
            return None
        return self.totals - self.previous_totals

    @property
    def rating_changes(self) -> list[LineSummary]:
        """The lines whose rating moved since the previous period, worsened ones first."""
        moved = [line for line in self.lines if line.rating_moved]
        return sorted(moved, key=lambda line: not line.rating_worse)

    @property
    def carried_forward_count(self) -> int:
        return sum(1 for line in self.lines if line.position.carried_forward)

    def line(self, position_id: int) -> LineSummary | None:
        return next((item for item in self.lines if item.position.pk == position_id), None)

    def as_json(self) -> dict[str, Any]:
        """The `savings_summary --json` document, exactly as DESIGN.md lays it out."""
        movement = self.movement
        return {
            "year": self.period.year.label,
            "period": self.period.label,
            "totals": self.totals.as_json(),
            "shortfall_shares": {
                council: money_json(amount) for council, amount in self.shortfall_shares.items()
            },
            "groups": [group.as_json() for group in self.groups],
            "lines": [line.as_json() for line in self.lines],
            "movement": None if movement is None else movement.as_json(),
        }


def retired_by(line: SavingsLine, period: Period) -> bool:
    """Whether `line` was retired in or before `period`: a retirement dated later leaves
    the periods before it as they were."""
    return line.retired_on is not None and PeriodRef.containing(line.retired_on) <= period.ref


def _positions(period: Period, contract: Contract) -> QuerySet[SavingsPosition]:
    return SavingsPosition.objects.filter(period=period, line__contract=contract).select_related(
        "line", "updated_by"
    )


def previous_period_with_positions(
    period: Period, *, contract: Contract | None = None
) -> Period | None:
    """The latest earlier period of the same financial year that has savings positions.

    Savings lines belong to a year, so movement is never measured across a year end.
    """
    contract = contract or get_contract()
    if contract is None:
        return None
    return (
        Period.objects.filter(
            year_id=period.year_id,
            number__lt=period.number,
            savings_positions__line__contract=contract,
        )
        .select_related("year")
        .order_by("-number")
        .first()
    )


def _split(amount: Decimal, shares: dict[str, Decimal]) -> dict[str, Decimal]:
    return apportion(amount, shares) if shares else {}


def savings_summary(period: Period, *, contract: Contract | None = None) -> SavingsSummary:
    """Everything the savings table of `period` shows, computed from its positions.

    Movement is measured against the previous period of the same year that has positions;
    there is none when this period has no positions yet. A fixed number of queries whatever
    the number of lines.
    """
    contract = contract or get_contract()
    if contract is None:
        return SavingsSummary(period, None, [], Figures(), None, {}, {})
    shares = shares_for_period(period.ref, contract=contract)
    positions = sorted(_positions(period, contract), key=lambda p: (p.order, p.line_id))
    previous_period = previous_period_with_positions(period, contract=contract)
    before: list[SavingsPosition] = []
    if previous_period is not None:
        before = list(
            SavingsPosition.objects.filter(
                period=previous_period, line__contract=contract
            ).select_related("line")
        )
    previous = {p.line_id: Figures.of(p) for p in before}
    compare = previous_period is not None and bool(positions)

    by_group: dict[str, list[LineSummary]] = {}
    for position in positions:
        figures = Figures.of(position)
        by_group.setdefault(position.line.group, []).append(
            LineSummary(
                line=position.line,
                position=position,
                figures=figures,
                previous=previous.get(position.line_id),
                shortfall_shares=_split(figures.shortfall, shares),
            )
        )
    groups = []
    for name, lines in by_group.items():
        figures = total(line.figures for line in lines)
        groups.append(
            GroupSummary(
                name=name,
                lines=lines,
                figures=figures,
                # A group's lines as they stood in the previous period (its group as now).
                previous=total(Figures.of(p) for p in before if p.line.group == name)
                if compare
                else None,
                shortfall_shares=_split(figures.shortfall, shares),
            )
        )
    totals = total(group.figures for group in groups)
    in_period = {position.line_id for position in positions}
    return SavingsSummary(
        period=period,
        previous_period=previous_period,
        groups=groups,
        totals=totals,
        previous_totals=total(previous.values()) if compare else None,
        shares=shares,
        shortfall_shares=_split(totals.shortfall, shares),
        missing_lines=[
            p.line for p in before if p.line_id not in in_period and not retired_by(p.line, period)
        ],
    )


@dataclass
class LinePeriod:
    """A line's position in one period, with each council's share of its shortfall."""

    position: SavingsPosition
    shortfall_shares: dict[str, Decimal]


def line_positions(line: SavingsLine) -> list[LinePeriod]:
    """A line's positions through its year, period by period (at most twelve). The share
    schedules are read once, however many periods there are."""
    positions = line.positions.select_related("period__year", "updated_by").order_by(
        "period__number"
    )
    book = ShareBook(line.contract)
    return [
        LinePeriod(position, _split(position.shortfall, book.for_period(position.period.ref)))
        for position in positions
    ]


def lines_of_year(
    year: FinancialYear, *, contract: Contract | None = None
) -> QuerySet[SavingsLine]:
    contract = contract or get_contract()
    return SavingsLine.objects.filter(year=year, contract=contract).order_by("pk")


def groups_of_year(year: FinancialYear, *, contract: Contract | None = None) -> list[str]:
    """The year's group names in the order the lines were added, for choosing a new line's
    group."""
    names: list[str] = []
    for name in lines_of_year(year, contract=contract).values_list("group", flat=True):
        if name not in names:
            names.append(name)
    return names


def totals_by_period(
    year: FinancialYear, *, contract: Contract | None = None
) -> list[tuple[Period, Figures]]:
    """Each period of `year` that has positions, with its totals, in one query: the savings
    RAG by period."""
    contract = contract or get_contract()
    if contract is None:
        return []
    rows = (
        SavingsPosition.objects.filter(period__year=year, line__contract=contract)
        .values("period")
        .annotate(
            target=Sum("target"),
            red=Sum("red"),
            amber=Sum("amber"),
            green=Sum("green"),
            mitigations=Sum("mitigations"),
        )
        .order_by("period__number")
    )
    periods = {period.pk: period for period in year.periods.select_related("year")}
    return [
        (
            periods[row["period"]],
            Figures(row["target"], row["red"], row["amber"], row["green"], row["mitigations"]),
        )
        for row in rows
    ]
