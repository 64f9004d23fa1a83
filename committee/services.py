"""Writes for committees, meetings, agendas, reports, minutes and agenda packs.

A published pack is frozen: nothing here rebuilds, changes or deletes it. Republishing builds a
new version, which is published with a reason; the earlier version stays, marked superseded.
A pack is published only while it still matches the data it was built from, and a build that
stopped without finishing is treated as failed, so it can be discarded or built again.
"""

from __future__ import annotations

import hashlib
from datetime import date, time
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from committee import report_template
from committee.choices import (
    MeetingStatus,
    PackStatus,
    PackVariant,
    ReportStatus,
    SectionKind,
)
from committee.models import (
    AgendaItem,
    AgendaPack,
    Committee,
    CommitteeMember,
    Meeting,
    MinuteItem,
    Minutes,
    OfficerReport,
    ReportAppendix,
    ReportSection,
)
from committee.packs import fingerprint_changes, pack_document, render_pdf
from committee.selectors import publication_problems
from nct_monitor.audit import AnyUser, delete_with_history, save_with_history
from nct_monitor.records import record_publication
from nct_monitor.storage import disk_full


def _require(user: AnyUser | None, permission: str, doing: str) -> None:
    # Commands pass no user: they run with the operator's authority.
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(f"Your role cannot {doing}.")


# Committees, members and meetings


@transaction.atomic
def save_committee(
    *, committee: Committee | None = None, name: str, user: AnyUser | None, **contacts: str
) -> Committee:
    """Create or update a committee: its name, administrator and the contacts its packs print
    (administrator, administrator_email, monitoring_officer_email, press_email,
    enquiries_email)."""
    _require(user, "committee.change_committee", "manage committees")
    committee = committee or Committee()
    committee.name = name
    for field_name in COMMITTEE_CONTACTS:
        setattr(committee, field_name, contacts.pop(field_name, getattr(committee, field_name)))
    if contacts:
        raise TypeError(f"Unknown committee fields: {', '.join(sorted(contacts))}")
    return save_with_history(committee, user=user)


COMMITTEE_CONTACTS = (
    "administrator",
    "administrator_email",
    "monitoring_officer_email",
    "press_email",
    "enquiries_email",
)


@transaction.atomic
def save_member(
    *,
    member: CommitteeMember | None = None,
    committee: Committee,
    user: AnyUser | None,
    **fields: Any,
) -> CommitteeMember:
    """Create or update a committee member (name, council, role, order, is_active)."""
    _require(user, "committee.change_committeemember", "manage committee members")
    member = member or CommitteeMember(committee=committee)
    for name, value in fields.items():
        setattr(member, name, value)
    return save_with_history(member, user=user)


@transaction.atomic
def save_meeting(
    *,
    meeting: Meeting | None = None,
    committee: Committee,
    date: date,
    time: time,
    venue: str,
    proper_officer: str = "",
    user: AnyUser | None,
) -> Meeting:
    """Create or update a meeting."""
    _require(user, "committee.change_meeting", "manage meetings")
    meeting = meeting or Meeting(committee=committee)
    meeting.date, meeting.time, meeting.venue = date, time, venue
    meeting.proper_officer = proper_officer
    return save_with_history(meeting, user=user)


@transaction.atomic
def save_agenda_item(
    *,
    item: AgendaItem | None = None,
    meeting: Meeting,
    user: AnyUser | None,
    **fields: Any,
) -> AgendaItem:
    """Create or update an agenda item (number, subject, presenting officers, exempt and its
    paragraph, the minutes or report it presents). Numbers are unique within a meeting."""
    _require(user, "committee.change_agendaitem", "manage agendas")
    item = item or AgendaItem(meeting=meeting)
    for name, value in fields.items():
        setattr(item, name, value)
    if not item.exempt:
        item.exempt_paragraph = None
    if item.minutes_of_id is not None and item.minutes_of_id == meeting.pk:
        raise ValidationError({"minutes_of": "A meeting cannot approve its own minutes."})
    return save_with_history(item, user=user)


@transaction.atomic
def delete_agenda_item(*, item: AgendaItem, user: AnyUser | None) -> None:
    _require(user, "committee.delete_agendaitem", "manage agendas")
    delete_with_history(item, user=user)


# Reports


@transaction.atomic
def save_report(
    *, report: OfficerReport | None = None, user: AnyUser | None, **fields: Any
) -> OfficerReport:
    """Create or update a report's cover details and the period its figures are taken at.

    Editing a final report makes it a draft again, so it is checked once more before it is
    published.
    """
    _require(user, "committee.change_officerreport", "edit officer reports")
    report = report or OfficerReport()
    for name, value in fields.items():
        setattr(report, name, value)
    if not report.exempt:
        report.exempt_paragraph = None
    if "status" not in fields and report.pk:
        report.status = ReportStatus.DRAFT
    return save_with_history(report, user=user)


@transaction.atomic
def save_report_for_item(
    *,
    report: OfficerReport | None,
    item: AgendaItem | None,
    user: AnyUser | None,
    fields: dict[str, Any],
) -> OfficerReport:
    """Save a report; a new one for an agenda item is attached to that item."""
    report = save_report(report=report, user=user, **fields)
    if item is not None and item.report_id is None:
        if item.minutes_of_id is not None:
            raise ValidationError(f"Item {item.label} presents minutes, not a report.")
        item.report = report
        save_with_history(item, user=user, reason="Report attached")
    return report


def _touch_report(report: OfficerReport, user: AnyUser | None) -> None:
    if report.status == ReportStatus.FINAL:
        report.status = ReportStatus.DRAFT
        save_with_history(report, user=user, reason="Changed after it was marked final")


@transaction.atomic
def save_section(
    *,
    section: ReportSection | None = None,
    report: OfficerReport,
    number: int,
    heading: str,
    body: str,
    kind: str | None = None,
    user: AnyUser | None,
) -> ReportSection:
    """Create or update a section of a report at its place `number`; without a `kind`, a new
    section is general and an existing one keeps its kind.

    A section put at a place another section holds goes before it: that section and those
    after it move one place on, so a missing section of the template can be added where the
    template puts it.
    """
    _require(user, "committee.change_reportsection", "edit officer reports")
    section = section or ReportSection(report=report)
    others = report.sections.exclude(pk=section.pk) if section.pk else report.sections.all()
    if others.filter(number=number).exists():
        # From the last one back, so no two sections ever hold one place.
        for later in others.filter(number__gte=number).order_by("-number"):
            later.number += 1
            save_with_history(later, user=user, reason="Moved on by a section put before it")
    section.number, section.heading, section.body = number, heading, body
    section.kind = kind or section.kind or SectionKind.GENERAL
    save_with_history(section, user=user)
    _touch_report(report, user)
    return section


@transaction.atomic
def delete_section(*, section: ReportSection, user: AnyUser | None) -> None:
    _require(user, "committee.delete_reportsection", "edit officer reports")
    report = section.report
    delete_with_history(section, user=user)
    _touch_report(report, user)


@transaction.atomic
def save_appendix(
    *,
    appendix: ReportAppendix | None = None,
    report: OfficerReport,
    letter: str,
    kind: str,
    title: str,
    user: AnyUser | None,
) -> ReportAppendix:
    """Add or change a generated appendix."""
    _require(user, "committee.change_reportappendix", "edit officer reports")
    appendix = appendix or ReportAppendix(report=report)
    appendix.letter, appendix.kind, appendix.title = letter.strip().upper(), kind, title
    save_with_history(appendix, user=user)
    _touch_report(report, user)
    return appendix


@transaction.atomic
def delete_appendix(*, appendix: ReportAppendix, user: AnyUser | None) -> None:
    _require(user, "committee.delete_reportappendix", "edit officer reports")
    report = appendix.report
    delete_with_history(appendix, user=user)
    _touch_report(report, user)


def report_problems(report: OfficerReport) -> list[str]:
    """Why a report is not ready to be final, if it is not: each section the councils' report
    template requires that it lacks, and each section left empty."""
    problems = []
    sections = list(report.sections.all())
    if not sections:
        problems.append(f"“{report.title}” has no sections.")
    for missing in report_template.missing_required(sections):
        problems.append(
            f"“{report.title}” has no {missing.label} section, which the report template "
            "requires (write “None” if there is nothing to say)."
        )
    numbers = report_template.printed_numbers(sections)
    for section in sorted(sections, key=lambda section: section.number):
        if not section.body.strip():
            problems.append(
                f"Section {numbers[section.pk]} ({section.heading}) of “{report.title}” is empty."
            )
    return problems


@transaction.atomic
def mark_report_final(*, report: OfficerReport, user: AnyUser | None) -> OfficerReport:
    """Mark a report final, once it has every section the report template requires."""
    _require(user, "committee.change_officerreport", "edit officer reports")
    problems = report_problems(report)
    if problems:
        raise ValidationError(problems)
    report.status = ReportStatus.FINAL
    return save_with_history(report, user=user, reason="Marked final")


# Minutes


@transaction.atomic
def save_minutes(
    *,
    meeting: Meeting,
    members_present: list[CommitteeMember],
    officers_present: str,
    user: AnyUser | None,
) -> Minutes:
    """Record who attended a meeting."""
    _require(user, "committee.change_minutes", "record minutes")
    outsiders = [m for m in members_present if m.committee_id != meeting.committee_id]
    if outsiders:
        raise ValidationError(
            {"members_present": f"{outsiders[0].name} is not a member of {meeting.committee}."}
        )
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    minutes.officers_present = officers_present
    save_with_history(minutes, user=user)
    minutes.members_present.set(members_present)
    return minutes


@transaction.atomic
def save_minute_item(
    *,
    item: MinuteItem | None = None,
    minutes: Minutes,
    number: int,
    title: str,
    body: str,
    user: AnyUser | None,
) -> MinuteItem:
    _require(user, "committee.change_minuteitem", "record minutes")
    item = item or MinuteItem(minutes=minutes)
    item.number, item.title, item.body = number, title, body
    return save_with_history(item, user=user)


# Agenda packs


@transaction.atomic
def start_pack_build(*, meeting: Meeting, variant: str, user: AnyUser | None) -> AgendaPack:
    """A new version of the pack, to be built in the background; published versions stay.

    A build that stopped without finishing (`AgendaPack.build_stopped`) is marked failed
    first; one still running is left to finish.
    """
    _require(user, "committee.add_agendapack", "build agenda packs")
    # Lock the meeting so two clerks starting builds get distinct version numbers.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    building = AgendaPack.objects.select_for_update().filter(
        meeting=meeting, variant=variant, status=PackStatus.BUILDING
    )
    for pack in building:
        stopped = pack.build_stopped()
        if not stopped:
            raise ValidationError("A pack for this meeting is already being built.")
        _fail(pack, stopped, user=user)
    last = AgendaPack.objects.filter(meeting=meeting, variant=variant).aggregate(Max("version"))
    pack = AgendaPack(
        meeting=meeting,
        variant=variant,
        version=(last["version__max"] or 0) + 1,
        built_by=user if isinstance(user, User) else None,
    )
    return save_with_history(pack, user=user)


def attach_build_task(*, pack: AgendaPack, task_id: str) -> None:
    """Remember the background task building `pack`, so its end can be seen from the pack."""
    AgendaPack.objects.filter(pk=pack.pk).update(task_id=task_id[:64])


def report_build_progress(*, pack_id: int, percent: int | None = None) -> None:
    """A build is still running (and, with `percent`, how far it has got): its heartbeat."""
    fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
    if percent is not None:
        fields["progress"] = percent
    AgendaPack.objects.filter(pk=pack_id, status=PackStatus.BUILDING).update(**fields)


def _fail(pack: AgendaPack, error: str, *, user: AnyUser | None = None) -> None:
    # A failed pack keeps no file: only a finished render is ever stored.
    if pack.file:
        pack.file.delete(save=False)
    pack.status = PackStatus.FAILED
    pack.error = error
    pack.sha256, pack.page_count, pack.fingerprint = "", None, {}
    save_with_history(pack, user=user, reason="Build failed", clean=False)


def build_failure(error: BaseException) -> str:
    """What a pack's page says about a build that raised `error`."""
    if disk_full(error):
        return (
            "The pack could not be stored: the server's disk is full. Nothing was published "
            "and no earlier version was changed. Ask the system administrator to free space, "
            "then build the pack again."
        )
    if isinstance(error, DatabaseError):
        return (
            "The pack could not be built: the connection to the database was lost. Nothing "
            "was published. Build the pack again."
        )
    return (
        f"The pack could not be built ({type(error).__name__}). Discard this version or build "
        "the pack again."
    )


def fail_pack_build(*, pack_id: int, error: str) -> None:
    """Mark a pack that could not be built as failed, unless it has finished meanwhile."""
    with transaction.atomic():
        pack = AgendaPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is not None and pack.status == PackStatus.BUILDING:
            _fail(pack, error)


def build_pack_file(*, pack: AgendaPack, progress: Any = None) -> AgendaPack:
    """Render a pack that is being built and store its file, SHA-256 and fingerprint.

    The file is stored only once the render has finished, together with the pack's row, and
    only while the pack is still being built: a version discarded or failed meanwhile (say,
    after its build looked stopped) keeps no file.
    """
    pack = AgendaPack.objects.select_related("meeting").get(pk=pack.pk)
    if pack.status != PackStatus.BUILDING:
        raise ValidationError(
            f"Version {pack.version} of this pack is {pack.get_status_display().lower()}; "
            "it is never rebuilt. Build a new version instead."
        )
    report = progress or (lambda percent: None)
    report(10)
    document = pack_document(pack.meeting, exempt=pack.variant == PackVariant.EXEMPT)
    report(30)
    pdf, pages = render_pdf(document.html, progress=report)
    with transaction.atomic():
        current = AgendaPack.objects.select_for_update().filter(pk=pack.pk).first()
        if current is None or current.status != PackStatus.BUILDING:
            state = "discarded" if current is None else current.get_status_display().lower()
            raise ValidationError(
                f"Version {pack.version} of this pack was {state} while it was being built; "
                "the render is not kept."
            )
        pack = current
        pack.file.save(pack.filename, ContentFile(pdf), save=False)
        try:
            pack.sha256 = hashlib.sha256(pdf).hexdigest()
            pack.page_count = pages
            pack.fingerprint = document.fingerprint
            pack.status = PackStatus.BUILT
            pack.built_at = timezone.now()
            pack.heartbeat_at = pack.built_at
            pack.progress = 100
            pack.error = ""
            pack.save()
        except BaseException:
            pack.file.delete(save=False)
            raise
    return pack


def pack_changes(pack: AgendaPack) -> list[str]:
    """What has changed in the data since a built pack was built; [] when it still matches."""
    if pack.status != PackStatus.BUILT:
        return []
    document = pack_document(pack.meeting, exempt=pack.variant == PackVariant.EXEMPT)
    return fingerprint_changes(pack.fingerprint, document.fingerprint)


def not_built(pack: AgendaPack) -> str | None:
    """Why a pack cannot be published whatever its data says, when it is not a built one."""
    if pack.status == PackStatus.BUILT:
        return None
    return (
        f"Only a built pack can be published; version {pack.version} is "
        f"{pack.get_status_display().lower()}."
    )


@transaction.atomic
def publish_pack(*, pack: AgendaPack, user: AnyUser | None, reason: str = "") -> AgendaPack:
    """Publish a built pack. Its file is frozen from now on.

    The pack is rendered again from the data as it is now and compared with what it was built
    from: when any part differs, publishing is refused, naming each part, so a pack never
    goes out saying something its data no longer says. When a version of this pack is already
    published, a reason is required; the earlier version is kept, marked superseded. The
    figures of each period the pack's reports show are recorded as published, for the
    register of corrections.
    """
    _require(user, "committee.change_agendapack", "publish agenda packs")
    pack = AgendaPack.objects.select_for_update().select_related("meeting").get(pk=pack.pk)
    unbuilt = not_built(pack)
    if unbuilt:
        raise ValidationError(unbuilt)
    problems = publication_problems(pack.meeting)
    if problems:
        raise ValidationError(problems)
    document = pack_document(pack.meeting, exempt=pack.variant == PackVariant.EXEMPT)
    changes = fingerprint_changes(pack.fingerprint, document.fingerprint)
    if changes:
        raise ValidationError(changes, code="pack_out_of_date")
    previous = AgendaPack.objects.filter(
        meeting=pack.meeting, variant=pack.variant, status=PackStatus.PUBLISHED
    ).exclude(pk=pack.pk)
    reason = reason.strip()
    if previous.exists() and not reason:
        raise ValidationError(
            {"reason": "This pack was published before: give the reason for republishing it."}
        )
    for old in previous:
        old.status = PackStatus.SUPERSEDED
        save_with_history(old, user=user, reason=f"Superseded by version {pack.version}")
    pack.status = PackStatus.PUBLISHED
    pack.published_at = timezone.now()
    pack.published_by = user if isinstance(user, User) else None
    pack.reason = reason
    save_with_history(pack, user=user, reason=reason or "Published")
    if pack.variant == PackVariant.PUBLIC and pack.meeting.status != MeetingStatus.PUBLISHED:
        meeting = pack.meeting
        meeting.status = MeetingStatus.PUBLISHED
        save_with_history(meeting, user=user, reason="Agenda pack published")
    url = reverse("committee:pack_download", args=[pack.pk])
    for period in document.periods:
        record_publication(
            period=period, title=document.title, published_on=pack.meeting.date, url=url
        )
    return pack


@transaction.atomic
def discard_pack(*, pack: AgendaPack, user: AnyUser | None) -> None:
    """Delete a built or failed version that was never published, or a build that stopped."""
    _require(user, "committee.delete_agendapack", "discard agenda packs")
    pack = AgendaPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_frozen:
        raise ValidationError(
            f"Version {pack.version} was published: published packs are kept unchanged."
        )
    if pack.status == PackStatus.BUILDING and not pack.build_stopped():
        raise ValidationError("The pack is still being built.")
    if pack.file:
        pack.file.delete(save=False)
    delete_with_history(pack, user=user)
