"""What a signed-off period shows is kept: the guard later writes pass, and what apps register.

Three things, each supplied by the app that owns the data (the core imports no app):

- `refuse_if_signed_off(periods, change=...)`: a write service that would change what a
  signed-off period shows calls it first; it raises a ValidationError naming the periods and
  how to proceed. Period data goes through `require_open_period` as before; this guard is for
  the things several periods show (a line's title, a KPI's definition, a year's contract sum).
- `register_checks(name, check)`: what must be complete before a period is signed off. A
  check returns `Gap`s, each with a link to the page that fixes it.
- `register_figures(name, figures)`: the figures a period shows, flat and labelled as printed,
  for the record of what a pack published and for corrections to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from nct_monitor.choices import PeriodStatus
from nct_monitor.models import Correction, FinancialYear, Period, Publication
from nct_monitor.periods import PeriodRef


@dataclass(frozen=True)
class Gap:
    """Something missing from a period before it is signed off, and where to put it right."""

    area: str  # "Savings", "KPIs", "Risks", "Forecast"
    message: str  # one sentence: "2 lines have no position for 2024/25 P4."
    url: str = ""  # the page that fixes it

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


Check = Callable[[Period], list[Gap]]
FigureSource = Callable[[Period], dict[str, str]]

_CHECKS: dict[str, Check] = {}
_FIGURES: dict[str, FigureSource] = {}


def register_checks(name: str, check: Check) -> None:
    """Add an app's sign-off checks; the name keeps registering twice harmless."""
    _CHECKS[name] = check


def register_figures(name: str, figures: FigureSource) -> None:
    """Add an app's figures for a period: {label as printed: value as printed}."""
    _FIGURES[name] = figures


def completeness(period: Period) -> list[Gap]:
    """Everything the registered checks find missing for `period`, in registration order."""
    return [gap for check in _CHECKS.values() for gap in check(period)]


def period_figures(period: Period) -> dict[str, str]:
    """Every registered figure `period` shows, labelled as printed."""
    figures: dict[str, str] = {}
    for source in _FIGURES.values():
        figures.update(source(period))
    return figures


# Which periods a change reaches ------------------------------------------------------------


def periods_from(day: date) -> QuerySet[Period]:
    """The periods that end on or after `day`: those a change effective from `day` reaches."""
    ref = PeriodRef.containing(day)
    return Period.objects.filter(
        Q(year__start_year__gt=ref.start_year)
        | Q(year__start_year=ref.start_year, number__gte=ref.number)
    )


def periods_of_years(years: Iterable[FinancialYear | int]) -> QuerySet[Period]:
    """The periods of the given financial years (or start years)."""
    starts = [year.start_year if isinstance(year, FinancialYear) else year for year in years]
    return Period.objects.filter(year__start_year__in=starts)


def signed_off_labels(periods: QuerySet[Period] | Iterable[Period]) -> list[str]:
    """Labels of the signed-off periods among `periods`, in time order.

    Inside a transaction the matching period rows are locked until it ends, so none of them
    can be signed off (or reopened) half-way through the write that asked.
    """
    if isinstance(periods, QuerySet):
        query = periods
    else:
        query = Period.objects.filter(pk__in=[period.pk for period in periods])
    query = query.filter(status=PeriodStatus.SIGNED_OFF)
    if transaction.get_connection().in_atomic_block:
        query = query.select_for_update(of=("self",))
    found = query.select_related("year").order_by("year__start_year", "number")
    return [period.label for period in found]


def signed_off_message(labels: list[str], *, change: str) -> str:
    """`change` cannot be made because of the signed-off periods `labels`, and what to do."""
    if len(labels) == 1:
        return (
            f"{change} would change what {labels[0]} shows, and it is signed off. "
            "An administrator can reopen it, giving a reason."
        )
    if len(labels) <= 6:
        which = ", ".join(labels[:-1]) + f" and {labels[-1]}"
    else:
        which = f"{len(labels)} periods ({labels[0]} to {labels[-1]})"
    return (
        f"{change} would change what {which} show, and they are signed off. "
        "An administrator can reopen them, giving a reason."
    )


def refuse_if_signed_off(
    periods: QuerySet[Period] | Iterable[Period], *, change: str, field: str | None = None
) -> None:
    """ValidationError when any of `periods` is signed off; `change` says what was asked.

    `change` reads as the start of a sentence: "Changing KPI 4's polarity". With `field` the
    message is attached to that form field.
    """
    labels = signed_off_labels(periods)
    if not labels:
        return
    message = signed_off_message(labels, change=change)
    raise ValidationError({field: message} if field else message, code="period_signed_off")


# What was published, and corrections to it ---------------------------------------------------


def record_publication(
    *, period: Period, title: str, published_on: date, url: str = ""
) -> Publication:
    """Keep the figures `period` shows now as a document published them (a pack, say)."""
    return Publication.objects.create(
        period=period,
        title=title[:300],
        url=url[:300],
        published_on=published_on,
        figures=period_figures(period),
    )


def corrections_for(periods: Iterable[Period] | QuerySet[Period]) -> QuerySet[Correction]:
    """The corrections to what was published for `periods`, oldest first."""
    pks = [period.pk for period in periods]
    return (
        Correction.objects.filter(period_id__in=pks)
        .select_related("publication", "period__year", "corrected_by")
        .order_by("corrected_at", "pk")
    )


def corrections_since(when: object | None) -> QuerySet[Correction]:
    """Corrections recorded after `when` (a datetime; every correction when None)."""
    query = Correction.objects.select_related("publication", "period__year", "corrected_by")
    if when is not None:
        query = query.filter(corrected_at__gt=when)
    return query.order_by("corrected_at", "pk")


__all__ = [
    "Gap",
    "completeness",
    "corrections_for",
    "corrections_since",
    "period_figures",
    "periods_from",
    "periods_of_years",
    "record_publication",
    "refuse_if_signed_off",
    "register_checks",
    "register_figures",
    "signed_off_labels",
    "signed_off_message",
]
