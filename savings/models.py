"""Savings lines of a financial year and their red/amber/green position in each period."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from contracts.models import Contract
from nct_monitor.models import FinancialYear, Period
from savings.choices import Rating
from savings.rules import figure_problems, rating_of


class SavingsLine(models.Model):
    """A saving the Trust agreed to deliver in a financial year (a row of the savings table).

    The line holds what describes it; its target and RAG split are reported each period in a
    `SavingsPosition`, so a target re-profiled during the year leaves earlier periods as they
    were reported. A retired line keeps its positions and history but takes no new positions.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="savings_lines")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="savings_lines")
    # The Trust's reference. The published tables have none, so it may be blank; a line is
    # then known by its title.
    ref = models.CharField("Ref", max_length=40, blank=True)
    title = models.CharField("Savings proposal", max_length=300)
    sro = models.CharField("SRO", max_length=200, blank=True)
    group = models.CharField(max_length=200)
    retired_on = models.DateField(null=True, blank=True)
    retired_reason = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year", "title"]
        constraints = [
            models.UniqueConstraint(
                "contract",
                "year",
                "ref",
                condition=~models.Q(ref=""),
                name="savings_line_ref_unique_per_year",
                violation_error_message="Another savings line of this year has that Ref.",
            ),
            models.UniqueConstraint(
                "contract",
                "year",
                Lower("title"),
                name="savings_line_title_unique_per_year",
                violation_error_message="Another savings line of this year has that title.",
            ),
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="savings_line_has_title",
                violation_error_message="A savings line needs a title.",
            ),
            models.CheckConstraint(
                condition=~models.Q(group=""),
                name="savings_line_has_group",
                violation_error_message="A savings line needs a group.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}" if self.ref else self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class SavingsPosition(models.Model):
    """A line's position in a period: its target split into red, amber and green, and the
    mitigations found for the red part.

    Red + amber + green is the target; mitigations cannot exceed red. The shortfall (red −
    mitigations) is computed, never stored. `version` goes up with every change, so an edit
    made on figures someone else has since changed is refused rather than lost.
    """

    line = models.ForeignKey(SavingsLine, on_delete=models.PROTECT, related_name="positions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="savings_positions")
    target = models.DecimalField(max_digits=14, decimal_places=2)
    red = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    amber = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    green = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    mitigations = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    comment = models.TextField(blank=True)
    # Where the line sits in the period's table: the row order of the period's return. Each
    # period keeps its own, so a later return laid out differently leaves earlier tables as
    # they were.
    order = models.PositiveIntegerField(default=0)
    # Copied from the previous period when the period was started, and not yet reviewed.
    carried_forward = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__year__start_year", "period__number", "order", "line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "period"],
                name="savings_position_once_per_period",
                violation_error_message="This line already has a position for that period.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    target__gte=0, red__gte=0, amber__gte=0, green__gte=0, mitigations__gte=0
                ),
                name="savings_position_amounts_not_negative",
                violation_error_message="Savings amounts cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(mitigations__lte=models.F("red")),
                name="savings_position_mitigations_within_red",
                violation_error_message="Mitigations cannot exceed red.",
            ),
            models.CheckConstraint(
                condition=models.Q(target=models.F("red") + models.F("amber") + models.F("green")),
                name="savings_position_rag_is_target",
                violation_error_message="Red + amber + green must equal the target.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.title}, {self.period.label}"

    @property
    def shortfall(self) -> Decimal:
        return self.red - self.mitigations

    @property
    def rating(self) -> Rating:
        return rating_of(red=self.red, amber=self.amber)

    def clean(self) -> None:
        problems = figure_problems(
            target=self.target,
            red=self.red,
            amber=self.amber,
            green=self.green,
            mitigations=self.mitigations,
        )
        if problems:
            raise ValidationError({p.field: p.message for p in problems})
