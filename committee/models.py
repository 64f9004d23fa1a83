"""Committees, their meetings and agendas, officer reports, minutes and agenda packs."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committee.choices import (
    AppendixKind,
    ExemptParagraph,
    MeetingStatus,
    MemberRole,
    PackStatus,
    PackVariant,
    ReportStatus,
    SectionKind,
)
from nct_monitor import work


class Committee(models.Model):
    """A committee that oversees the contract, such as the Children's Trust Joint Committee."""

    name = models.CharField(max_length=200, unique=True)
    administrator = models.CharField(
        max_length=300, blank=True, help_text="The committee administrator and how to contact them."
    )
    # Who the pack's information page sends each kind of question to.
    administrator_email = models.EmailField(blank=True)
    monitoring_officer_email = models.EmailField(
        blank=True, help_text="For members' questions about declarations of interest."
    )
    press_email = models.EmailField(blank=True, help_text="For press and media enquiries.")
    enquiries_email = models.EmailField(
        blank=True, help_text="For the public's enquiries about meetings."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A councillor on a committee, with the council they represent and their role on it."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200, help_text="As printed, e.g. Councillor Fiona Baker.")
    council = models.ForeignKey("contracts.Council", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"],
                name="committee_member_once",
                violation_error_message="This councillor is already a member of the committee.",
            )
        ]

    def __str__(self) -> str:
        if self.role == MemberRole.MEMBER:
            return self.name
        return f"{self.name} ({self.get_role_display()})"


class Meeting(models.Model):
    """A meeting of a committee. Draft until its public agenda pack is published."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    time = models.TimeField()
    venue = models.CharField(max_length=300)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    proper_officer = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who issues the agenda, e.g. the Monitoring Officer of the host council.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date"],
                name="meeting_once_a_day",
                violation_error_message="The committee already meets on that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%-d %B %Y}"


class AgendaItem(models.Model):
    """An item of business on a meeting's agenda, with the papers that go with it, if any.

    An item presents either an officer report, the minutes of an earlier meeting, or no paper
    (apologies, declarations, urgent business). An exempt item names its Schedule 12A paragraph
    and appears in the public pack by title and paragraph only. An item is exempt when it is
    marked exempt or its report is (`is_exempt`): either one keeps its papers out of the public
    pack, so a clerk who forgets one of the two never publishes exempt information.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    subject = models.CharField(max_length=300)
    presenting_officers = models.CharField(max_length=300, blank=True)
    exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph.choices, null=True, blank=True
    )
    minutes_of = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For the item that approves the minutes of an earlier meeting.",
    )
    report = models.OneToOneField(
        "OfficerReport", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_item"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_number_once",
                violation_error_message="Another item of this meeting already has that number.",
            ),
            models.CheckConstraint(
                condition=models.Q(exempt=False) | models.Q(exempt_paragraph__isnull=False),
                name="exempt_item_has_paragraph",
                violation_error_message=(
                    "An exempt item must name its paragraph of Schedule 12A to the Local "
                    "Government Act 1972."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(minutes_of__isnull=True) | models.Q(report__isnull=True),
                name="agenda_item_one_paper",
                violation_error_message="An item presents either minutes or a report, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.subject}"

    @property
    def label(self) -> str:
        return f"{self.number:02d}"

    @property
    def has_papers(self) -> bool:
        return self.report_id is not None or self.minutes_of_id is not None

    @property
    def is_exempt(self) -> bool:
        """Whether the item's papers are exempt: the item or its report says so.

        Everything that decides between the public and the exempt pack asks this, never the
        item's own `exempt` field alone.
        """
        return bool(self.exempt_paragraphs)

    @property
    def exempt_paragraphs(self) -> list[int]:
        """The Schedule 12A paragraphs that make the item exempt, from the item and its report."""
        paragraphs = set()
        if self.exempt and self.exempt_paragraph:
            paragraphs.add(self.exempt_paragraph)
        report = self.report if self.report_id is not None else None
        if report is not None and report.exempt and report.exempt_paragraph:
            paragraphs.add(report.exempt_paragraph)
        return sorted(paragraphs)

    @property
    def exempt_paragraphs_label(self) -> str:
        """'paragraph 3', or 'paragraphs 1 and 3' when the item and its report name two."""
        numbers = [str(number) for number in self.exempt_paragraphs]
        if len(numbers) <= 1:
            return f"paragraph {''.join(numbers)}"
        return f"paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"


class OfficerReport(models.Model):
    """An officer report to a committee: its cover table, numbered sections, recommendations and
    appendices generated from live data as at a chosen period.

    A report is written as a draft and marked final when ready; a meeting's pack cannot be
    published while any of its reports is still a draft.
    """

    title = models.CharField(max_length=300)
    authors = models.TextField(help_text="Names, posts and contact details, one per line.")
    executive_members = models.TextField(blank=True, help_text="One per line.")
    key_decision = models.BooleanField(default=False)
    eligible_for_call_in = models.BooleanField(default=False)
    equality_implications = models.BooleanField(default=False)
    exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph.choices, null=True, blank=True
    )
    data_period = models.ForeignKey(
        "nct_monitor.Period",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The period the appendices and generated figures are taken as at.",
    )
    status = models.CharField(
        max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt=False) | models.Q(exempt_paragraph__isnull=False),
                name="exempt_report_has_paragraph",
                violation_error_message=(
                    "A report with exempt information must name its paragraph of Schedule 12A."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportSection(models.Model):
    """A section of a report, written in Markdown (sanitised when shown).

    Its kind says which section of the councils' report template it is, so a report can be
    checked for the sections the template requires before it is final. `number` is the
    section's place in the report; the printed numbers are derived from it
    (`committee.report_template.outline`): the implications print together as one numbered
    section, and the resources and financial implications start with paragraphs generated
    from the figures as at the report's period, never stored here.
    """

    report = models.ForeignKey(OfficerReport, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=32, choices=SectionKind.choices, default=SectionKind.GENERAL)
    heading = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Markdown. Paragraphs are numbered 1.1, 1.2… (7.1.1… in the implications)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="report_section_number_once",
                violation_error_message="The report already has a section with that number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class ReportAppendix(models.Model):
    """An appendix generated from live data when the report is shown or printed."""

    report = models.ForeignKey(OfficerReport, on_delete=models.CASCADE, related_name="appendices")
    letter = models.CharField(max_length=2)
    kind = models.CharField(max_length=32, choices=AppendixKind.choices)
    title = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "letter"],
                name="report_appendix_letter_once",
                violation_error_message="The report already has an appendix with that letter.",
            )
        ]

    def __str__(self) -> str:
        return f"Appendix {self.letter}: {self.title}"


class Minutes(models.Model):
    """The minutes of a meeting: who attended and what was resolved, item by item."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    members_present = models.ManyToManyField(CommitteeMember, blank=True, related_name="+")
    officers_present = models.TextField(blank=True, help_text="One per line: name and post.")
    history = HistoricalRecords(m2m_fields=[members_present])

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class MinuteItem(models.Model):
    """One minuted item: its number, title and what was said and resolved (Markdown)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown, including any resolutions.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"],
                name="minute_item_number_once",
                violation_error_message="The minutes already have an item with that number.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AgendaPack(models.Model):
    """A rendered agenda pack PDF, public or exempt, in numbered versions.

    Once published, a pack is frozen: its file and SHA-256 are kept and never regenerated.
    Republishing makes a new version with a reason; the earlier one is kept as superseded.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    variant = models.CharField(max_length=8, choices=PackVariant.choices)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=PackStatus.choices, default=PackStatus.BUILDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="packs/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why this version was republished.")
    error = models.TextField(blank=True)
    fingerprint = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "What the pack was built from: the SHA-256 of each part's HTML (the cover and "
            "agenda, the corrections, each item's papers) and of the whole document."
        ),
    )
    heartbeat_at = models.DateTimeField(
        default=timezone.now, help_text="When the build last showed it was still running."
    )
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task that builds the pack."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "variant", "version"],
                name="agenda_pack_version_once",
                violation_error_message="That version of the pack already exists.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_variant_display()} pack v{self.version}, {self.meeting}"

    @property
    def is_frozen(self) -> bool:
        return self.status in {PackStatus.PUBLISHED, PackStatus.SUPERSEDED}

    def build_stopped(self, *, now: datetime | None = None) -> str:
        """Why a pack still marked building has stopped without finishing; "" while it runs.

        A worker that is killed never marks its pack failed, so the pack tells: its build
        beats (`heartbeat_at`) while it runs, even through the one long layout call, and its
        task's result says when the task ended (see `nct_monitor.work`).
        """
        if self.status != PackStatus.BUILDING:
            return ""
        return work.stopped(
            work="The build",
            unfinished="storing the pack",
            remedy="Discard this version or build the pack again.",
            heartbeat_at=self.heartbeat_at,
            task_id=self.task_id,
            now=now,
        )

    @property
    def filename(self) -> str:
        suffix = "-exempt" if self.variant == PackVariant.EXEMPT else ""
        return f"agenda-pack-{self.meeting.date:%Y-%m-%d}{suffix}-v{self.version}.pdf"
