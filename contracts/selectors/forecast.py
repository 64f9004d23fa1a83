"""Each period's finance forecast: outturn pressure by category and its total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from contracts.choices import ForecastCategory
from contracts.models import ForecastPressure
from contracts.selectors._common import _total
from contracts.selectors.shares import ShareBook, split
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef


@dataclass(frozen=True)
class ForecastLineFigures:
    pk: int
    category: str
    category_label: str
    amount: Decimal
    note: str
    source: str
    amount_shares: dict[str, Decimal]


@dataclass(frozen=True)
class ForecastFigures:
    """A period's forecast outturn pressure by category, its total and the councils' parts."""

    period_pk: int
    ref: PeriodRef
    label: str
    month_label: str
    is_signed_off: bool
    lines: list[ForecastLineFigures]
    total: Decimal
    shares: dict[str, Decimal]
    total_shares: dict[str, Decimal]

    @property
    def by_category(self) -> dict[str, Decimal | None]:
        """Every category's amount, None for one with no line."""
        amounts = {line.category: line.amount for line in self.lines}
        return {category.value: amounts.get(category.value) for category in ForecastCategory}

    @property
    def placements(self) -> Decimal | None:
        return self.by_category[ForecastCategory.PLACEMENTS]

    @property
    def staffing(self) -> Decimal | None:
        return self.by_category[ForecastCategory.STAFFING]

    @property
    def unachieved_savings(self) -> Decimal | None:
        return self.by_category[ForecastCategory.UNACHIEVED_SAVINGS]

    @property
    def other(self) -> Decimal | None:
        return self.by_category[ForecastCategory.OTHER]


CATEGORY_ORDER = {category.value: index for index, category in enumerate(ForecastCategory)}


def forecasts(periods: QuerySet[Period] | None = None) -> list[ForecastFigures]:
    """The forecast of every period (of `periods`) that has one, latest period first."""
    lines = ForecastPressure.objects.select_related("period__year")
    if periods is not None:
        lines = lines.filter(period__in=periods)
    by_period: dict[int, list[ForecastPressure]] = {}
    for line in lines:
        by_period.setdefault(line.period_id, []).append(line)
    book = ShareBook()
    result = []
    for members in by_period.values():
        period = members[0].period
        ref = period.ref
        shares = book.for_period(ref)
        members.sort(key=lambda line: CATEGORY_ORDER.get(line.category, len(CATEGORY_ORDER)))
        total = _total(line.amount for line in members)
        result.append(
            ForecastFigures(
                period_pk=period.pk,
                ref=ref,
                label=period.label,
                month_label=period.month_label,
                is_signed_off=period.is_signed_off,
                lines=[
                    ForecastLineFigures(
                        pk=line.pk,
                        category=line.category,
                        category_label=line.get_category_display(),
                        amount=line.amount,
                        note=line.note,
                        source=line.source,
                        amount_shares=split(line.amount, shares),
                    )
                    for line in members
                ],
                total=total,
                shares=shares,
                total_shares=split(total, shares),
            )
        )
    result.sort(key=lambda figures: figures.ref, reverse=True)
    return result


def forecast_lines(period: Period) -> list[ForecastPressure]:
    """A period's forecast lines as stored, as its edit form fills in from them."""
    return list(ForecastPressure.objects.filter(period=period))


def forecast_for_period(period: Period | PeriodRef) -> ForecastFigures | None:
    """The forecast of one period, or None when none has been entered."""
    if isinstance(period, PeriodRef):
        periods = Period.objects.filter(year__start_year=period.start_year, number=period.number)
    else:
        periods = Period.objects.filter(pk=period.pk)
    found = forecasts(periods)
    return found[0] if found else None


def latest_forecast() -> ForecastFigures | None:
    """The forecast of the latest period that has one."""
    latest = (
        ForecastPressure.objects.select_related("period__year")
        .order_by("-period__year__start_year", "-period__number")
        .first()
    )
    return forecast_for_period(latest.period) if latest is not None else None
