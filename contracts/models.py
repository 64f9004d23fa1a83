"""The contract, the councils that fund it and their dated shares."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from nct_monitor.finance import HUNDRED


class Council(models.Model):
    """A council that owns the Trust and funds the contract (NNC, WNC)."""

    short_name = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class Contract(models.Model):
    """The Service Delivery Contract between the councils and the Trust they own."""

    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    start_date = models.DateField()
    councils = models.ManyToManyField(Council, related_name="contracts")
    history = HistoricalRecords(m2m_fields=[councils])

    class Meta:
        ordering = ["start_date"]

    def __str__(self) -> str:
        return self.name


class ShareSchedule(models.Model):
    """The councils' shares of every cost of the contract from a date; they total 100.00%.

    Shares are dated so that a change of split applies from when it was agreed, and figures
    from before it keep the split they were reported with.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="share_schedules")
    effective_from = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "effective_from"],
                name="share_schedule_unique_date",
                violation_error_message="The contract already has shares from that date.",
            )
        ]

    def __str__(self) -> str:
        return f"Shares from {self.effective_from:%-d %B %Y}"

    def as_mapping(self) -> dict[str, Decimal]:
        return {
            share.council.short_name: share.percentage
            for share in sorted(self.shares.all(), key=lambda s: s.council.short_name)
        }

    def clean(self) -> None:
        if self.pk is None:
            return
        total = sum((share.percentage for share in self.shares.all()), Decimal(0))
        if total != HUNDRED:
            raise ValidationError(
                f"Council shares must total exactly 100.00%, but these total {total}%."
            )


class CouncilShare(models.Model):
    """One council's percentage in a share schedule."""

    schedule = models.ForeignKey(ShareSchedule, on_delete=models.CASCADE, related_name="shares")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="shares")
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "council__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "council"],
                name="council_share_once_per_schedule",
                violation_error_message="A council has one share in each schedule.",
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__gte=0, percentage__lte=100),
                name="council_share_percentage_0_to_100",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name} {self.percentage}%"
