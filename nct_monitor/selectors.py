"""Reads of financial years and periods."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from nct_monitor.choices import PeriodStatus
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef, parse_period_number, parse_year, year_label
from nct_monitor.product import product_apps


def _range_text() -> str:
    years = list(FinancialYear.objects.values_list("start_year", flat=True))
    if not years:
        return "no financial years are set up"
    return f"years run from {year_label(years[0])} to {year_label(years[-1])}"


def get_year(year: str | int | FinancialYear) -> FinancialYear:
    """The financial year written `2023/24` (or its start year); ValidationError if none."""
    if isinstance(year, FinancialYear):
        return year
    try:
        start_year = parse_year(year)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_year") from None
    try:
        return FinancialYear.objects.get(start_year=start_year)
    except FinancialYear.DoesNotExist:
        raise ValidationError(
            f"There is no financial year {year_label(start_year)}: {_range_text()}.",
            code="unknown_year",
        ) from None


def get_period(year: str | int | FinancialYear, number: str | int) -> Period:
    """The period `number` of `year`; ValidationError naming what does not exist."""
    financial_year = get_year(year)
    try:
        period_number = parse_period_number(number)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_period") from None
    return Period.objects.select_related("year").get(year=financial_year, number=period_number)


def get_period_by_ref(ref: PeriodRef) -> Period:
    return get_period(ref.start_year, ref.number)


def periods_of_year(year: FinancialYear) -> QuerySet[Period]:
    return year.periods.select_related("year", "status_changed_by").order_by("number")


def years_with_periods() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.prefetch_related("periods", "periods__status_changed_by")


def latest_signed_off_period() -> Period | None:
    """The latest period that has been signed off, the default for dashboards and reports."""
    return (
        Period.objects.select_related("year")
        .filter(status=PeriodStatus.SIGNED_OFF)
        .order_by("-year__start_year", "-number")
        .first()
    )


def period_choices() -> list[tuple[str, str]]:
    """(`2024:6`, `2024/25 P6 (September 2024)`) for every period, for pickers."""
    return [
        (f"{period.year.start_year}:{period.number}", f"{period.label} ({period.month_label})")
        for period in Period.objects.select_related("year")
    ]


def latest_period_with_data() -> Period | None:
    """The latest period any app holds data for, as each app declares in `period_data`.

    Rows marked `illustrative` (invented for the demonstration) do not count, so pages open at
    the latest real figures.
    """
    held = Q(pk__in=[])
    for config in product_apps():
        for source in config.period_data:
            model_name, field = source.rsplit(".", 1)
            model = config.get_model(model_name)
            rows = model._default_manager.all()
            if any(f.name == "illustrative" for f in model._meta.get_fields()):
                rows = rows.filter(illustrative=False)
            held |= Q(pk__in=rows.values(field))
    return (
        Period.objects.select_related("year")
        .filter(held)
        .order_by("-year__start_year", "-number")
        .first()
    )


def default_period(today: date | None = None) -> Period:
    """The period every page opens at, by one rule: the latest period that holds data, else
    the latest signed off, else the period `today` falls in, else the nearest before it (or
    the contract's first period when today is before them all)."""
    found = latest_period_with_data() or latest_signed_off_period()
    if found is not None:
        return found
    ref = PeriodRef.containing(today or timezone.localdate())
    periods = Period.objects.select_related("year")
    found = (
        periods.filter(
            Q(year__start_year__lt=ref.start_year)
            | Q(year__start_year=ref.start_year, number__lte=ref.number)
        )
        .order_by("-year__start_year", "-number")
        .first()
    ) or periods.order_by("year__start_year", "number").first()
    if found is None:
        raise Period.DoesNotExist("The contract has no periods.")
    return found
