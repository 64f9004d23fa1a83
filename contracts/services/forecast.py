"""Writes to a period's finance forecast: its outturn pressure by category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import ForecastCategory
from contracts.models import ForecastPressure
from contracts.selectors import forecast_for_period
from contracts.services._common import _changed, _money, _raise, _save
from nct_monitor.audit import attribute
from nct_monitor.concurrency import NEW, Difference, EditConflict, Stamp, other_change
from nct_monitor.finance import format_pounds
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.services import require_open_period


@dataclass(frozen=True)
class ForecastEntry:
    """One category of a period's forecast: the pressure (None for no line) and its note."""

    amount: Decimal | None
    note: str = ""


def _forecast_period(period: Period | PeriodRef) -> Period:
    ref = period.ref if isinstance(period, Period) else period
    try:
        return require_open_period(year=ref.start_year, period=ref.number)
    except ValidationError as error:
        if getattr(error, "code", None) == "period_signed_off":
            raise
        raise ValidationError({"period": error.messages}) from None


@transaction.atomic
def set_period_forecast(
    *,
    period: Period | PeriodRef,
    pressures: Mapping[str, ForecastEntry],
    stated_total: Decimal | None = None,
    source: str = "",
    user: Any = None,
    expected: Mapping[str, Stamp] | None = None,
) -> list[ForecastPressure]:
    """Record a period's forecast outturn pressure by category; the total is computed.

    `pressures` maps each category given to its entry; an entry without an amount removes that
    category's line. A negative amount is an underspend. A signed-off period is refused. With
    `stated_total` (the total a report prints), lines that do not add up to it are refused with
    both figures. With `expected` (the version of each category's line the editor was shown;
    a category missing had none), a forecast saved after someone else added, changed or removed
    any of the period's lines is refused with an `EditConflict`, and nothing is written: the
    period's lines make one total, checked as a whole.
    """
    found = _forecast_period(period)
    errors: dict[str, list[str]] = {}
    amounts: dict[str, Decimal | None] = {}
    for category, entry in pressures.items():
        if category not in ForecastCategory.values:
            errors.setdefault("__all__", []).append(
                f"{category!r} is not a forecast category: use "
                + ", ".join(str(label).lower() for label in ForecastCategory.labels)
                + "."
            )
            continue
        label = ForecastCategory(category).label
        if entry.amount is None:
            if entry.note.strip():
                errors.setdefault(f"{category}_amount", []).append(
                    f"Enter the {label.lower()} pressure, or clear its note."
                )
            amounts[category] = None
            continue
        amounts[category] = _money(
            errors, f"{category}_amount", f"{label} pressure", entry.amount, allow_negative=True
        )
    _raise(errors)

    existing = {
        line.category: line
        for line in ForecastPressure.objects.select_for_update().filter(period=found)
    }
    if expected is not None:
        _check_forecast_versions(found, existing, expected, amounts, pressures, source)
    for category, amount in amounts.items():
        line = existing.get(category)
        if amount is None:
            if line is not None:
                attribute(line, user=user, reason="Removed")
                line.delete()
            continue
        note = pressures[category].note.strip()
        if line is None:
            line = ForecastPressure(period=found, category=category)
        elif not _changed(line, {"amount": amount, "note": note, "source": source}):
            continue
        if line.pk is not None:
            line.version += 1
        line.amount, line.note, line.source = amount, note, source
        _save(line, user=user)

    if stated_total is not None:
        figures = forecast_for_period(found)
        computed = figures.total if figures is not None else Decimal("0.00")
        if computed != stated_total:
            raise ValidationError(
                {
                    "stated_total": f"The total stated for {found.label} "
                    f"({format_pounds(stated_total)}) does not match the categories, which add "
                    f"up to {format_pounds(computed)}."
                }
            )
    return list(ForecastPressure.objects.filter(period=found))


def _check_forecast_versions(
    period: Period,
    existing: Mapping[str, ForecastPressure],
    expected: Mapping[str, Stamp],
    amounts: Mapping[str, Decimal | None],
    pressures: Mapping[str, ForecastEntry],
    source: str,
) -> None:
    """EditConflict naming each of the period's lines someone else changed since the editor
    was shown them."""
    changes = []
    for category in ForecastCategory:
        line = existing.get(category.value)
        if expected.get(category.value, NEW).matches(line):
            continue
        entry = pressures.get(category.value, ForecastEntry(None))
        yours_amount = amounts.get(category.value)
        changes.append(
            other_change(
                record=f"the {category.label.lower()} pressure of {period.label}",
                history=ForecastPressure.history.filter(  # type: ignore[attr-defined]
                    period_id=period.pk, category=category.value
                ),
                differences=(
                    Difference(
                        "Pressure",
                        format_pounds(line.amount) if line is not None else "",
                        format_pounds(yours_amount) if yours_amount is not None else "",
                    ),
                    Difference(
                        "What makes up the pressure",
                        line.note if line is not None else "",
                        entry.note.strip(),
                        long=True,
                    ),
                    Difference(
                        "Source", line.source if line is not None else "", source.strip(), long=True
                    ),
                ),
            )
        )
    if changes:
        raise EditConflict(changes)


@transaction.atomic
def create_period_forecast(
    *,
    period: Period | PeriodRef,
    pressures: Mapping[str, ForecastEntry],
    stated_total: Decimal | None = None,
    source: str = "",
    user: Any = None,
) -> list[ForecastPressure]:
    """Record the forecast of a period that has none yet (see `set_period_forecast`)."""
    found = _forecast_period(period)
    if ForecastPressure.objects.filter(period=found).exists():
        raise ValidationError(
            {"period": f"{found.label} already has a finance forecast: change that one."}
        )
    return set_period_forecast(
        period=found, pressures=pressures, stated_total=stated_total, source=source, user=user
    )
