"""The contract's KPIs: definitions, targets per year, results per period, rectification plans.

Ratings, directions of travel and persistent breaches are never stored: `kpis.rag` computes
them from the results and targets whenever they are shown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from kpis.choices import Frequency, PlanStatus, Polarity, Unit
from nct_monitor.models import FinancialYear, Period

# Figures (max_digits=14, decimal_places=2) are kept to 2 decimal places: a percentage
# computed from a numerator and denominator is rounded to 2 places, and a typed value may have
# at most 2.


class KpiDefinition(models.Model):
    """A contractual KPI (`KPI 1` … `KPI 21`): what it measures and how it is rated.

    The allowed range (minimum, maximum) is what a result may be; a blank bound is no limit.
    Administrators edit definitions; officers set targets and enter results.
    """

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1)], help_text="1 for KPI 1."
    )
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    minimum = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The lowest result allowed; blank for none.",
    )
    maximum = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The highest result allowed; blank for none.",
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.ForeignKey(
        FinancialYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True, help_text="How the KPI is measured and why.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = "KPI definition"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=True)
                | models.Q(maximum__isnull=True)
                | models.Q(minimum__lte=models.F("maximum")),
                name="kpi_minimum_not_above_maximum",
                violation_error_message="The minimum cannot be above the maximum.",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"KPI {self.number}"

    @property
    def is_quarterly(self) -> bool:
        return self.frequency == Frequency.QUARTERLY

    @property
    def range_text(self) -> str:
        """`0% to 100%`, `0 days or more`, `any value`."""
        low_value, high_value = self.bounds
        low = None if low_value is None else self.format(low_value)
        high = None if high_value is None else self.format(high_value)
        if low and high:
            return f"{low} to {high}"
        if low:
            return f"{low} or more"
        if high:
            return f"up to {high}"
        return "any value"

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest result allowed: a percentage is 0% to 100% unless its
        definition says otherwise."""
        if self.unit == Unit.PERCENT:
            return (
                Decimal(0) if self.minimum is None else self.minimum,
                Decimal(100) if self.maximum is None else self.maximum,
            )
        return self.minimum, self.maximum

    def format(self, value: Decimal | None) -> str:
        """A figure in the KPI's unit: `68%`, `120 days`, `1`."""
        if value is None:
            return ""
        text = plain_number(value)
        if self.unit == Unit.PERCENT:
            return f"{text}%"
        if self.unit == Unit.DAYS:
            return f"{text} day" if value == 1 else f"{text} days"
        return text

    def format_points(self, value: Decimal | None) -> str:
        """A tolerance, in the KPI's unit: `5 percentage points`, `10 days`, `1`."""
        if value is None:
            return ""
        if self.unit == Unit.PERCENT:
            text = plain_number(value)
            return f"{text} percentage point" if value == 1 else f"{text} percentage points"
        return self.format(value)

    def clean(self) -> None:
        if self.unit == Unit.COUNT and self.minimum is not None and self.minimum < 0:
            raise ValidationError({"minimum": "A count cannot be below 0."})


def plain_number(value: Decimal) -> str:
    """68.50 → `68.5`, 120.00 → `120`: the figure as a person would write it."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class KpiTarget(models.Model):
    """A KPI's target and tolerance for one financial year.

    The tolerance is in the KPI's unit (percentage points for a percentage). A year without a
    target rates every result of that year `no_target`.
    """

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.PROTECT, related_name="targets")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    tolerance = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demonstration, not from the Trust's or council's papers.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi__number", "year__start_year"]
        verbose_name = "KPI target"
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "year"],
                name="kpi_target_once_per_year",
                violation_error_message="That KPI already has a target for this year.",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0),
                name="kpi_tolerance_not_negative",
                violation_error_message="A tolerance cannot be below 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} target {self.year.label}"


class KpiResult(models.Model):
    """A KPI's result for a period (a quarterly KPI's at its quarter end, period 3, 6, 9 or 12).

    With a numerator and denominator the value is computed from them (a percentage for a
    percentage KPI), so the stored value always agrees with them. `version` goes up with every
    change, so an edit made on a result someone else has since changed is refused rather than
    lost.
    """

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.PROTECT, related_name="results")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commentary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demonstration, not from the Trust's or council's papers.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi__number", "period__year__start_year", "period__number"]
        verbose_name = "KPI result"
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period"],
                name="kpi_result_once_per_period",
                violation_error_message="That KPI already has a result for this period.",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True, denominator__isnull=True)
                | models.Q(numerator__isnull=False, denominator__gt=0),
                name="kpi_result_numerator_with_positive_denominator",
                violation_error_message="Give both a numerator and a denominator above 0, "
                "or neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period.label}"

    def clean(self) -> None:
        if self.kpi.is_quarterly and not self.period.ref.is_quarter_end:
            raise ValidationError(
                {
                    "period": f"{self.kpi.code} is reported quarterly, at period 3, 6, 9 or 12; "
                    f"{self.period.label} is not a quarter end."
                }
            )


class RectificationPlan(models.Model):
    """What the Trust will do about a persistent breach: owner, actions, due date, status.

    It is linked to the KPI and to the breach's run of red periods, from its first period to
    the period it was recorded at; a breach whose run starts at `breach_start` has this plan.
    """

    kpi = models.ForeignKey(
        KpiDefinition, on_delete=models.PROTECT, related_name="rectification_plans"
    )
    breach_start = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", verbose_name="first red period"
    )
    breach_end = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", verbose_name="breach as at"
    )
    owner = models.CharField(max_length=200)
    actions = models.TextField()
    due_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED
    )
    progress = models.TextField(blank=True, verbose_name="progress update")
    illustrative = models.BooleanField(
        default=False,
        help_text="Invented for the demonstration, not from the Trust's or council's papers.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi__number", "breach_start__year__start_year", "breach_start__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "breach_start"],
                name="rectification_plan_once_per_breach",
                violation_error_message="That breach already has a rectification plan.",
            )
        ]

    def __str__(self) -> str:
        return f"Rectification plan for {self.kpi.code} (breach from {self.first_label})"

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not completed."""
        return self.status != PlanStatus.COMPLETED and self.due_date < date.today()

    @property
    def first_label(self) -> str:
        """The breach's first red period (`2023/24 Q4` for a quarterly KPI)."""
        from kpis.rag import due_label

        return due_label(self.breach_start.ref, self.kpi.frequency)

    @property
    def as_at_label(self) -> str:
        from kpis.rag import due_label

        return due_label(self.breach_end.ref, self.kpi.frequency)
