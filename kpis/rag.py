"""The contract's rules for KPIs: rating, direction of travel and persistent breaches.

This is the only place they are computed. It works on plain values (no database), so every
page, export, JSON summary and report gets them through `kpis.selectors.scorecard` and
`kpis.selectors.kpi_history`, which load the figures and call `assess` and `series`.

- Rating, with the target and tolerance of the result's own financial year. Higher is better:
  green when value ≥ target; amber when target − tolerance ≤ value < target; red below.
  Lower is better: green when value ≤ target; amber when target < value ≤ target + tolerance;
  red above. No target for the year: `no_target` (whether or not there is a result, since
  nothing can be rated without one). A target but no result: `no_data`.
- Direction of travel: against the previous result of the same KPI (the latest one before,
  across year ends), improving, declining or unchanged as the polarity reads it.
- Persistent breach: red for 3 consecutive months (monthly KPI) or 2 consecutive quarters
  (quarterly KPI), counting across financial-year ends. A missing result breaks the run, and
  is itself overdue once its period has ended, if its year has a target (a result is expected
  only for a year the KPI is monitored against a target).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kpis.choices import Direction, Frequency, Polarity, Rating
from nct_monitor.periods import PeriodRef

# How many consecutive red results make a persistent breach.
BREACH_RUN = {Frequency.MONTHLY: 3, Frequency.QUARTERLY: 2}
TREND_WINDOW = 12


@dataclass(frozen=True)
class Target:
    """A year's target and tolerance (in the KPI's unit)."""

    target: Decimal
    tolerance: Decimal

    def band(self, polarity: str) -> tuple[Decimal, Decimal]:
        """The amber band: (low, high) inclusive of the tolerance boundary."""
        if polarity == Polarity.HIGHER_IS_BETTER:
            return (self.target - self.tolerance, self.target)
        return (self.target, self.target + self.tolerance)


def rate(value: Decimal | None, target: Target | None, polarity: str) -> Rating:
    """The rating of one result against its own year's target."""
    if target is None:
        return Rating.NO_TARGET
    if value is None:
        return Rating.NO_DATA
    if polarity == Polarity.HIGHER_IS_BETTER:
        if value >= target.target:
            return Rating.GREEN
        if value >= target.target - target.tolerance:
            return Rating.AMBER
        return Rating.RED
    if value <= target.target:
        return Rating.GREEN
    if value <= target.target + target.tolerance:
        return Rating.AMBER
    return Rating.RED


def direction(current: Decimal | None, previous: Decimal | None, polarity: str) -> Direction | None:
    """Improving, declining or unchanged since the previous result; None without both."""
    if current is None or previous is None:
        return None
    if current == previous:
        return Direction.UNCHANGED
    went_up = current > previous
    if went_up == (polarity == Polarity.HIGHER_IS_BETTER):
        return Direction.IMPROVING
    return Direction.DECLINING


def as_of(period: PeriodRef, frequency: str) -> PeriodRef:
    """The result a scorecard for `period` shows: the period itself for a monthly KPI, the
    latest quarter end at or before it for a quarterly one."""
    if frequency == Frequency.QUARTERLY:
        return period.latest_quarter_end()
    return period


def previous_due(ref: PeriodRef, frequency: str) -> PeriodRef:
    """The period before `ref` when a result was due (the previous quarter end, or month)."""
    if frequency == Frequency.QUARTERLY:
        return ref.previous_quarter_end()
    return ref.previous()


def due_periods(end: PeriodRef, frequency: str, count: int) -> list[PeriodRef]:
    """The last `count` due periods ending at `end` (a due period), oldest first."""
    found = [end]
    while len(found) < count:
        found.append(previous_due(found[-1], frequency))
    return list(reversed(found))


def due_label(ref: PeriodRef, frequency: str) -> str:
    """`2024/25 P6`, or `2024/25 Q2` for a quarterly KPI."""
    return ref.quarter_label if frequency == Frequency.QUARTERLY else ref.label


def has_ended(ref: PeriodRef, today: date) -> bool:
    """Whether the month of `ref` is over, so its result is due."""
    return ref.next().month_start <= today


@dataclass(frozen=True)
class Point:
    """One due period of a KPI: its result (or None), its year's target and its rating."""

    period: PeriodRef
    label: str
    value: Decimal | None
    target: Target | None
    rating: Rating


@dataclass
class Assessment:
    """A KPI as at a period: what the scorecard, exports and JSON show for it."""

    as_of: PeriodRef
    as_of_label: str
    value: Decimal | None
    target: Target | None
    rating: Rating
    previous: Point | None
    direction: Direction | None
    persistent_breach: bool
    breach_periods: list[str]
    # The run of consecutive red results ending at `as_of` (any length, even too short to be
    # a breach); its first period identifies the breach, and its rectification plan.
    red_run: list[Point] = field(default_factory=list)
    trend: list[Point] = field(default_factory=list)
    overdue: bool = False
    overdue_periods: list[str] = field(default_factory=list)

    @property
    def breach_start(self) -> PeriodRef | None:
        return self.red_run[0].period if self.persistent_breach else None


def point(
    ref: PeriodRef,
    *,
    frequency: str,
    polarity: str,
    results: Mapping[PeriodRef, Decimal],
    targets: Mapping[int, Target],
) -> Point:
    value = results.get(ref)
    target = targets.get(ref.start_year)
    return Point(ref, due_label(ref, frequency), value, target, rate(value, target, polarity))


def red_run(
    end: PeriodRef,
    *,
    frequency: str,
    polarity: str,
    results: Mapping[PeriodRef, Decimal],
    targets: Mapping[int, Target],
) -> list[Point]:
    """The consecutive red results ending at `end`, oldest first; a missing result ends it."""
    run: list[Point] = []
    here = end
    while True:
        found = point(
            here, frequency=frequency, polarity=polarity, results=results, targets=targets
        )
        if found.rating != Rating.RED:
            break
        run.append(found)
        here = previous_due(here, frequency)
    return list(reversed(run))


def iter_series(
    start: PeriodRef,
    end: PeriodRef,
    *,
    frequency: str,
    polarity: str,
    results: Mapping[PeriodRef, Decimal],
    targets: Mapping[int, Target],
) -> Iterator[Point]:
    """Every due period from `start` to `end` (both due periods), oldest first."""
    refs = []
    here = end
    while here >= start:
        refs.append(here)
        here = previous_due(here, frequency)
    for ref in reversed(refs):
        yield point(ref, frequency=frequency, polarity=polarity, results=results, targets=targets)


def assess(
    *,
    frequency: str,
    polarity: str,
    results: Mapping[PeriodRef, Decimal],
    targets: Mapping[int, Target],
    period: PeriodRef,
    today: date,
    window: int = TREND_WINDOW,
) -> Assessment:
    """A KPI as at `period`, from all its results (keyed by period) and targets (by year)."""
    shown = as_of(period, frequency)
    current = point(shown, frequency=frequency, polarity=polarity, results=results, targets=targets)
    earlier = [ref for ref in results if ref < shown]
    previous = (
        point(
            max(earlier), frequency=frequency, polarity=polarity, results=results, targets=targets
        )
        if earlier
        else None
    )
    run = red_run(shown, frequency=frequency, polarity=polarity, results=results, targets=targets)
    breach = len(run) >= BREACH_RUN[Frequency(frequency)]
    trend = [
        point(ref, frequency=frequency, polarity=polarity, results=results, targets=targets)
        for ref in due_periods(shown, frequency, window)
    ]
    first_result = min(results) if results else None
    overdue_periods = [
        p.label
        for p in trend
        if p.value is None
        and p.target is not None
        and has_ended(p.period, today)
        and (p.period == shown or (first_result is not None and p.period > first_result))
    ]
    return Assessment(
        as_of=shown,
        as_of_label=current.label,
        value=current.value,
        target=current.target,
        rating=current.rating,
        previous=previous,
        direction=direction(current.value, previous.value if previous else None, polarity),
        persistent_breach=breach,
        breach_periods=[p.label for p in run] if breach else [],
        red_run=run,
        trend=trend,
        # A result is expected once its period has ended and its year has a target: without
        # one the KPI is not yet monitored for the year (the business plan's "targets are
        # still being discussed"), so a missing result is not overdue.
        overdue=current.value is None and current.target is not None and has_ended(shown, today),
        overdue_periods=overdue_periods,
    )
