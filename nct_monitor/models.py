"""Financial years and periods, the clock every monitoring figure is recorded against."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from nct_monitor import work
from nct_monitor.choices import ImportStatus, PeriodStatus
from nct_monitor.periods import PeriodRef, year_label


class FinancialYear(models.Model):
    """A financial year of the contract, 1 April to 31 March, written `2023/24`.

    Every year from the contract's start to the last year of the MTFP exists with its twelve
    periods; an administrator adds later years.
    """

    start_year = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2999)]
    )

    class Meta:
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return year_label(self.start_year)


class Period(models.Model):
    """A month of a financial year (period 1 is April, 12 is March), open or signed off.

    Data for a period can be written while it is open. Signing off makes it read-only; only
    an administrator can reopen it, with a reason, which the history keeps.
    """

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="periods")
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was incomplete when it was signed off anyway, and the reason given for that.
    sign_off_exceptions = models.JSONField(default=list, blank=True)
    sign_off_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_year", "number"]
        permissions = [
            ("sign_off_period", "Can sign off a period"),
            ("reopen_period", "Can reopen a signed-off period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="period_unique_per_year",
                violation_error_message="That year already has this period.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=12),
                name="period_number_1_to_12",
                violation_error_message="Periods are numbered 1 to 12.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def ref(self) -> PeriodRef:
        return PeriodRef(self.year.start_year, self.number)

    @property
    def label(self) -> str:
        return self.ref.label

    @property
    def month_label(self) -> str:
        return self.ref.month_label

    @property
    def is_signed_off(self) -> bool:
        return self.status == PeriodStatus.SIGNED_OFF

    @property
    def has_ended(self) -> bool:
        """Whether the period's month is over, today where the councils are."""
        return self.ref.has_ended(timezone.localdate())

    @property
    def sign_off_from(self) -> date:
        """The first day a period can be signed off: the day after its month ends."""
        return self.ref.next().month_start


class ImportRun(models.Model):
    """A return uploaded through the web: checked, previewed, then confirmed and applied.

    Refused runs are kept with their issues, so data quality can show which returns' figures
    (and stated totals) were refused. The file itself is deleted NCT_UPLOAD_RETENTION_DAYS
    after the run ends (`nct_monitor.importing.retention`); its name, size and SHA-256 stay.
    """

    kind = models.CharField(max_length=40)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="In bytes, as uploaded."
    )
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the stored file was deleted, its run having ended."
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    plan = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    issues = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written by the worker while it checks or applies the return; a run whose heartbeat
    # stops is shown as failed (`stopped`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task checking or applying the run."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Marked as being checked or applied; whether its worker still is, `stopped` says."""
        return self.status in {ImportStatus.CHECKING, ImportStatus.APPLYING}

    def stopped(self, *, now: datetime | None = None) -> str:
        """Why a run still marked checking or applying has stopped; "" while it runs.

        A worker that is killed never marks its run failed, so the run tells: the worker beats
        (`heartbeat_at`) while it checks or applies, and its task's result says when the task
        ended (see `nct_monitor.work`). Applying writes in one transaction, so a stopped run
        has imported nothing.
        """
        if not self.is_running:
            return ""
        return work.stopped(
            work="The check" if self.status == ImportStatus.CHECKING else "The import",
            unfinished="recording its outcome",
            remedy="Nothing was imported. Cancel this upload and upload the return again.",
            heartbeat_at=self.heartbeat_at or self.created_at,
            task_id=self.task_id,
            now=now,
        )


class Publication(models.Model):
    """The figures of a period as a published document printed them, kept when it is published.

    A committee pack records one per period its reports show. When a period is reopened and
    signed off again, each figure that no longer matches becomes a `Correction`.
    """

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="publications")
    title = models.CharField(max_length=300, help_text="As the document is named.")
    url = models.CharField(max_length=300, blank=True)
    published_on = models.DateField()
    figures = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "published_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period.label})"


class Correction(models.Model):
    """A figure a published document printed that is now different, with who and why."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="corrections"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="corrections")
    figure = models.CharField(max_length=300)
    old_value = models.CharField(max_length=100)
    new_value = models.CharField(max_length=100)
    reason = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["period", "corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.figure}: {self.old_value} → {self.new_value}"
