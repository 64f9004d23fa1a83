"""The rules for KPI figures, targets, definitions and rectification plans.

Each rule reads and never writes: it returns what to store, or raises a ValidationError naming
the field that is wrong. `check_result` and `check_target` are the rules for a figure, shared by
the forms, the importers and the services, so the page and the return agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from kpis.choices import Frequency, Unit
from kpis.models import KpiDefinition, KpiResult, RectificationPlan, plain_number
from kpis.selectors import scorecard
from nct_monitor.choices import PeriodStatus
from nct_monitor.models import FinancialYear, Period
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_period

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")
# A stated value agrees with its numerator and denominator when it is within this of the
# value computed from them, i.e. they agree to 1 decimal place (66.7 for 2 ÷ 3 as a
# percentage, 66.67 too; 67 does not).
AGREEMENT = Decimal("0.05")
# Figures are stored with 12 digits before the point; a value computed from a numerator and
# denominator can be larger than either, so it is checked too.
TOO_LARGE = Decimal("999999999999.995")

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def compute_value(kpi: KpiDefinition, numerator: Decimal, denominator: Decimal) -> Decimal:
    """Numerator ÷ denominator (× 100 for a percentage), rounded to 2 decimal places."""
    ratio = numerator / denominator
    if kpi.unit == Unit.PERCENT:
        ratio *= HUNDRED
    return ratio.quantize(PLACES, rounding=ROUND_HALF_UP)


def check_period_for(kpi: KpiDefinition, period: PeriodRef) -> str | None:
    """Why `kpi` cannot have a result at `period`, or None."""
    if kpi.frequency == Frequency.QUARTERLY and not period.is_quarter_end:
        return (
            f"{kpi.code} is reported quarterly, at a quarter end (period 3, 6, 9 or 12, or "
            f"Q1 to Q4); {period.label} is not a quarter end."
        )
    return None


def check_figure(kpi: KpiDefinition, value: Decimal, *, what: str = "value") -> str | None:
    """Why `value` cannot be a result of `kpi` (a negative count, outside its range, too large
    to store), or None."""
    if abs(value) >= TOO_LARGE:
        return (
            f"{kpi.code}'s {what} {plain_number(value)} is too large: a KPI figure must be less "
            "than 1,000,000,000,000."
        )
    if kpi.unit == Unit.COUNT:
        if value < 0:
            return (
                f"{kpi.code} is a count, so it cannot be negative; {plain_number(value)} is not "
                "allowed."
            )
        if value != value.to_integral_value():
            return (
                f"{kpi.code} is a count, so its {what} must be a whole number, "
                f"not {plain_number(value)}."
            )
    low, high = kpi.bounds
    outside = (low is not None and value < low) or (high is not None and value > high)
    if outside:
        return f"{kpi.code} allows {kpi.range_text}: {kpi.format(value)} is outside that."
    return None


def check_result(
    *,
    kpi: KpiDefinition,
    period: PeriodRef,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> Decimal:
    """The value to store for a result, or ValidationError naming each field that is wrong.

    With a numerator and denominator the value is computed from them; a value stated as well
    must agree with it (to 1 decimal place). Each message names the KPI.
    """
    errors: Errors = {}
    if message := check_period_for(kpi, period):
        _add(errors, "period", message)
    for field, figure in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if figure is not None and _places(figure) > 2:
            _add(errors, field, f"{kpi.code}'s {field} has more than 2 decimal places.")
    if numerator is None and denominator is None:
        if value is None:
            _add(errors, "value", f"Enter {kpi.code}'s value, or its numerator and denominator.")
        elif "value" not in errors and (message := check_figure(kpi, value)):
            _add(errors, "value", message)
    elif kpi.unit == Unit.COUNT:
        _add(
            errors,
            "numerator",
            f"{kpi.code} is a count: enter its value, without a numerator and denominator.",
        )
    elif numerator is None:
        _add(
            errors,
            "numerator",
            f"Enter {kpi.code}'s numerator as well as its denominator, or neither.",
        )
    elif denominator is None:
        _add(
            errors,
            "denominator",
            f"Enter {kpi.code}'s denominator as well as its numerator, or neither.",
        )
    else:
        if numerator < 0:
            _add(
                errors,
                "numerator",
                f"{kpi.code}'s numerator cannot be below 0; it is {plain_number(numerator)}.",
            )
        if denominator == 0:
            _add(
                errors,
                "denominator",
                f"{kpi.code}'s denominator is 0, so no value can be computed from it.",
            )
        elif denominator < 0:
            _add(
                errors,
                "denominator",
                f"{kpi.code}'s denominator cannot be below 0; it is {plain_number(denominator)}.",
            )
        if not errors:
            computed = compute_value(kpi, numerator, denominator)
            if value is not None and abs(value - computed) > AGREEMENT:
                _add(
                    errors,
                    "value",
                    f"{kpi.code}'s stated value {kpi.format(value)} does not agree with its "
                    f"numerator and denominator: {plain_number(numerator)} ÷ "
                    f"{plain_number(denominator)} gives {kpi.format(computed)}. Correct one of "
                    "them, or leave the value blank to have it computed.",
                )
            elif message := check_figure(kpi, computed):
                computed_from = "computed from its numerator and denominator"
                _add(errors, "value", f"{message.removesuffix('.')} ({computed_from}).")
            value = computed
    if errors:
        raise ValidationError(errors)
    assert value is not None
    return value.quantize(PLACES)


def check_target(kpi: KpiDefinition, *, target: Decimal | None, tolerance: Decimal | None) -> None:
    """ValidationError naming each field when a target or tolerance cannot be used."""
    errors: Errors = {}
    if target is None:
        _add(errors, "target", f"Enter {kpi.code}'s target.")
    elif _places(target) > 2:
        _add(errors, "target", f"{kpi.code}'s target has more than 2 decimal places.")
    elif message := check_figure(kpi, target, what="target"):
        _add(errors, "target", message.replace("is outside that", "cannot be its target"))
    if tolerance is None:
        _add(errors, "tolerance", f"Enter {kpi.code}'s tolerance (0 for none).")
    elif tolerance < 0:
        _add(
            errors,
            "tolerance",
            f"{kpi.code}'s tolerance cannot be below 0; it is {plain_number(tolerance)}.",
        )
    elif _places(tolerance) > 2:
        _add(errors, "tolerance", f"{kpi.code}'s tolerance has more than 2 decimal places.")
    if errors:
        raise ValidationError(errors)


def signed_off_results(kpi: KpiDefinition, year: FinancialYear) -> list[str]:
    """Labels of the KPI's results in signed-off periods of the year, which its target rates."""
    periods = (
        KpiResult.objects.filter(kpi=kpi, period__year=year, period__status=PeriodStatus.SIGNED_OFF)
        .order_by("period__number")
        .values_list("period__number", flat=True)
    )
    return [PeriodRef(year.start_year, number).label for number in periods]


def check_target_open(kpi: KpiDefinition, year: FinancialYear) -> None:
    """ValidationError when changing the year's target would re-rate a signed-off result."""
    locked = signed_off_results(kpi, year)
    if locked:
        raise ValidationError(
            f"{kpi.code}'s {year.label} target cannot change: it rates results in signed-off "
            f"periods ({', '.join(locked)}). An administrator can reopen those periods.",
            code="period_signed_off",
        )


def check_results_fit(definition: KpiDefinition) -> None:
    """ValidationError when a changed definition no longer fits the results it already has: a
    result at a period its frequency does not report, or a figure outside its range."""
    errors: Errors = {}
    results = KpiResult.objects.filter(kpi=definition).select_related("period__year")
    for result in results:
        if message := check_period_for(definition, result.period.ref):
            _add(errors, "frequency", f"It has a result for {result.period.label}: {message}")
            break
    for result in results:
        if message := check_figure(definition, result.value):
            _add(
                errors, "minimum", f"Its result for {result.period.label} would not fit: {message}"
            )
            break
    if errors:
        raise ValidationError(errors)


def breach_for(kpi: KpiDefinition, period: Period) -> tuple[Period, Period]:
    """The first and last periods of the KPI's persistent breach as at `period`, or
    ValidationError when it is not in one."""
    row = scorecard(period, kpis=KpiDefinition.objects.filter(pk=kpi.pk)).rows[0]
    start = row.assessment.breach_start
    if start is None:
        raise ValidationError(
            f"{kpi.code} is not in persistent breach as at {period.label}, so there is no "
            "breach to plan for."
        )
    end = row.assessment.as_of
    return get_period(start.start_year, start.number), get_period(end.start_year, end.number)


def check_plan(plan: RectificationPlan) -> None:
    """Tidy a plan's owner and actions, then ValidationError naming each field that is wrong."""
    for name in ("owner", "actions"):
        setattr(plan, name, (getattr(plan, name) or "").strip())
    plan.full_clean(validate_unique=False)
