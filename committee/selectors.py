"""Reads for committee pages: meetings with their packs, and figures for reports.

Other apps read the committee here: the next meeting, the packs published last, and the
`Meeting` and `AgendaPack` they return, by those names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet

from committee import packs
from committee.choices import MeetingStatus, PackStatus, PackVariant, ReportStatus
from committee.models import (
    AgendaItem,
    AgendaPack,
    Meeting,
    MinuteItem,
    Minutes,
    OfficerReport,
)
from committee.packs import fingerprint_changes, pack_document
from nct_monitor.caching import TIMEOUT, generation


def exemption_mismatch(item: AgendaItem) -> str | None:
    """How an item and its report disagree about exempt information, if they do.

    Either one marked exempt keeps the papers out of the public pack (`AgendaItem.is_exempt`),
    but the agenda and the report's cover table must say the same before the pack is published.
    """
    report = item.report if item.report_id is not None else None
    if report is None:
        return None
    where = f"Item {item.label}, {item.subject}"
    if report.exempt and not item.exempt:
        return (
            f"{where}: the report “{report.title}” contains exempt information (paragraph "
            f"{report.exempt_paragraph} of Schedule 12A) but the item is not marked exempt. "
            "Mark the item exempt, or correct the report's cover details."
        )
    if item.exempt and not report.exempt:
        return (
            f"{where}: the item is exempt (paragraph {item.exempt_paragraph} of Schedule 12A) "
            f"but the report “{report.title}” says it contains no exempt information. Correct "
            "the report's cover details, or the item."
        )
    if item.exempt and item.exempt_paragraph != report.exempt_paragraph:
        return (
            f"{where}: the item is exempt under paragraph {item.exempt_paragraph} of Schedule "
            f"12A but the report “{report.title}” gives paragraph {report.exempt_paragraph}. "
            "Make them agree."
        )
    return None


def publication_problems(meeting: Meeting) -> list[str]:
    """Why a meeting's pack cannot be published yet, if it cannot."""
    problems = []
    items = list(
        meeting.items.select_related("report", "minutes_of__minutes").prefetch_related(
            "report__sections"
        )
    )
    if not items:
        problems.append("The agenda has no items.")
    for item in items:
        if item.report is not None and item.report.status != ReportStatus.FINAL:
            problems.append(
                f"Item {item.label}: the report “{item.report.title}” is still a draft; mark it "
                "final first."
            )
        mismatch = exemption_mismatch(item)
        if mismatch:
            problems.append(mismatch)
        if item.minutes_of is not None and not hasattr(item.minutes_of, "minutes"):
            problems.append(
                f"Item {item.label}: the minutes of {item.minutes_of} are not recorded."
            )
    return problems


def meetings_with_packs() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee").prefetch_related(
        Prefetch(
            "packs",
            queryset=AgendaPack.objects.filter(status=PackStatus.PUBLISHED).order_by("variant"),
            to_attr="published_packs",
        )
    )


@dataclass
class PackRow:
    """A version of a pack as the meeting page shows it.

    `stopped` says why a build still marked building has stopped (it is shown, and treated,
    as failed); `changes` lists what changed in the data since a built, unpublished version
    was built, so the clerk builds a new one instead.
    """

    pack: AgendaPack
    stopped: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def building(self) -> bool:
        return self.pack.status == PackStatus.BUILDING and not self.stopped

    @property
    def can_discard(self) -> bool:
        return not self.pack.is_frozen and not self.building


@dataclass
class ExemptionMismatch:
    """An agenda item whose exempt information disagrees with its report's."""

    item: AgendaItem
    message: str


def pack_rows(meeting: Meeting, packs: list[AgendaPack], *, check_changes: bool) -> list[PackRow]:
    """The packs with their stopped builds found and, when asked, their changes since built.

    The data is rendered once per variant that has a built, unpublished version.
    """
    current: dict[str, dict[str, Any]] = {}
    rows = []
    for pack in packs:
        row = PackRow(pack, stopped=pack.build_stopped())
        if check_changes and pack.status == PackStatus.BUILT:
            if pack.variant not in current:
                exempt = pack.variant == PackVariant.EXEMPT
                current[pack.variant] = pack_document(meeting, exempt=exempt).fingerprint
            row.changes = fingerprint_changes(pack.fingerprint, current[pack.variant])
        rows.append(row)
    return rows


def meeting_page(meeting: Meeting, *, user: Any) -> dict[str, Any]:
    """The agenda, minutes and packs of a meeting, for its page and its packs panel."""
    items = list(meeting.items.select_related("report", "minutes_of__committee").order_by("number"))
    can_build = user.has_perm("committee.add_agendapack")
    packs = list(
        meeting.packs.select_related("built_by", "published_by").order_by("variant", "-version")
    )
    if not can_build:
        # Versions not yet published are the clerks' drafts; readers see what was published.
        packs = [pack for pack in packs if pack.is_frozen]
    rows = pack_rows(meeting, packs, check_changes=can_build)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    mismatches = [
        ExemptionMismatch(item, message)
        for item in items
        if (message := exemption_mismatch(item)) is not None
    ]
    return {
        "meeting": meeting,
        "items": items,
        "minutes": minutes,
        "minute_items": list(minutes.items.all()) if minutes else [],
        "members_present": list(minutes.members_present.select_related("council"))
        if minutes
        else [],
        "packs": packs,
        "pack_rows": rows,
        "public_packs": [p for p in packs if p.variant == PackVariant.PUBLIC],
        "exempt_packs": [p for p in packs if p.variant == PackVariant.EXEMPT],
        "has_exempt_items": any(item.is_exempt for item in items),
        "exemption_mismatches": mismatches,
        "building": any(row.building for row in rows),
        "problems": publication_problems(meeting),
        "can_build": can_build,
    }


def can_read_report(report: OfficerReport, user: Any) -> bool:
    """Drafts are for those who write and publish reports (officers, clerks, administrators);
    committee members read a report once it is final, exempt ones included."""
    return report.status == ReportStatus.FINAL or user.has_perm("committee.change_officerreport")


def item_for_report(report: OfficerReport) -> AgendaItem | None:
    return AgendaItem.objects.select_related("meeting__committee").filter(report=report).first()


class PackFileUnavailable(Exception):
    """A built pack's stored file is missing, unreadable or no longer matches its SHA-256."""


def stored_pack_pdf(pack: AgendaPack) -> bytes:
    """The pack's stored PDF, checked against the SHA-256 recorded when it was built.

    A frozen pack is never regenerated, so a missing or altered file is refused rather than
    served or rebuilt: it has to be restored from a backup.
    """
    if not pack.file:
        raise PackFileUnavailable(f"Version {pack.version} of this pack has no stored file.")
    try:
        with pack.file.open("rb") as handle:
            pdf = handle.read()
    except OSError as error:
        raise PackFileUnavailable(
            f"The stored file of version {pack.version} of this pack cannot be read "
            f"({error.strerror or error}). Restore it from a backup."
        ) from error
    if pack.sha256 and hashlib.sha256(pdf).hexdigest() != pack.sha256:
        raise PackFileUnavailable(
            f"The stored file of version {pack.version} of this pack does not match the SHA-256 "
            f"recorded when it was built ({pack.sha256}), so it is not served. Restore it from "
            "a backup."
        )
    return pdf


def next_meeting(today: date) -> Meeting | None:
    """The first meeting on or after `today`."""
    return (
        Meeting.objects.select_related("committee").filter(date__gte=today).order_by("date").first()
    )


def last_meeting(today: date) -> Meeting | None:
    """The latest meeting before `today`, for when none is scheduled."""
    return (
        Meeting.objects.select_related("committee").filter(date__lt=today).order_by("-date").first()
    )


def latest_published_packs(limit: int = 3) -> list[AgendaPack]:
    """The packs published last, newest first."""
    return list(
        AgendaPack.objects.filter(status=PackStatus.PUBLISHED)
        .select_related("meeting__committee")
        .order_by("-published_at")[:limit]
    )


# The public site: what the councils have published, and nothing else.


def public_meetings() -> QuerySet[Meeting]:
    """Every meeting of the calendar, newest first; papers only for those published."""
    return Meeting.objects.select_related("committee").order_by("-date", "-time")


def is_published(meeting: Meeting) -> bool:
    """Whether the meeting's public pack is published, and with it its agenda and papers."""
    return meeting.status == MeetingStatus.PUBLISHED


def published_public_pack(meeting: Meeting) -> AgendaPack | None:
    """The public pack as published now: the latest version not superseded."""
    return (
        AgendaPack.objects.filter(
            meeting=meeting, variant=PackVariant.PUBLIC, status=PackStatus.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


def public_agenda(meeting: Meeting) -> list[AgendaItem]:
    """A published meeting's agenda items, with their reports and the minutes they approve."""
    if not is_published(meeting):
        return []
    return list(meeting.items.select_related("report", "minutes_of__committee").order_by("number"))


def public_minutes(meeting: Meeting) -> tuple[Minutes | None, list[MinuteItem]]:
    """A meeting's minutes, once recorded, when they are published: the meeting's own pack is
    published, or the minutes are papers of a later meeting whose pack is."""
    presented = AgendaItem.objects.filter(
        minutes_of=meeting, meeting__status=MeetingStatus.PUBLISHED
    )
    if meeting.status != MeetingStatus.PUBLISHED and not presented.exists():
        return None, []
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return None, []
    return minutes, list(minutes.items.order_by("number"))


def public_report(pk: int) -> OfficerReport | None:
    """A report anyone may read: final, on a published meeting's agenda, and not exempt.

    An item is exempt when it or its report says so (`AgendaItem.is_exempt`); either keeps
    the report off the public site.
    """
    item = (
        AgendaItem.objects.select_related("report", "meeting__committee")
        .filter(
            report_id=pk,
            meeting__status=MeetingStatus.PUBLISHED,
            report__status=ReportStatus.FINAL,
        )
        .first()
    )
    if item is None or item.report is None or item.is_exempt:
        return None
    return item.report


def public_reports(meeting: Meeting) -> list[OfficerReport]:
    """The reports of a published meeting that anyone may read, in agenda order."""
    return [
        item.report
        for item in public_agenda(meeting)
        if item.report is not None and item.report.status == ReportStatus.FINAL
        if not item.is_exempt
    ]


def public_pack_by_pk(pk: int) -> AgendaPack | None:
    """A public pack version that was published (the current one or one it superseded)."""
    return (
        AgendaPack.objects.select_related("meeting__committee")
        .filter(
            pk=pk,
            variant=PackVariant.PUBLIC,
            status__in=[PackStatus.PUBLISHED, PackStatus.SUPERSEDED],
        )
        .first()
    )


def published_public_packs(limit: int = 50) -> list[AgendaPack]:
    """Public packs as published now, newest publication first (for the documents feed)."""
    return list(
        AgendaPack.objects.filter(variant=PackVariant.PUBLIC, status=PackStatus.PUBLISHED)
        .select_related("meeting__committee")
        .order_by("-published_at")[:limit]
    )


def publication_stamp() -> str:
    """Changes whenever a pack is published or superseded: part of the public pages' cache key.

    Packs are saved without touching the cache generation (they change no figure), so the
    public site's cache needs its own sign that something new was published.
    """
    found = AgendaPack.objects.filter(
        status__in=[PackStatus.PUBLISHED, PackStatus.SUPERSEDED]
    ).aggregate(count=Count("pk"), latest=Max("published_at"))
    latest = found["latest"].timestamp() if found["latest"] else 0
    return f"{found['count']}:{latest}"


def rendered_public_report(report: OfficerReport) -> packs.RenderedReport:
    """A report with its numbered sections and its appendices as at its period."""
    return packs.rendered_report(packs.report_queryset().get(pk=report.pk))


def report_pdf_bytes(report: OfficerReport) -> bytes:
    """The report alone as a tagged PDF, the same content as its page.

    Rendered once for each version of the record, not on every request: the key carries the
    cache generation, which every save of a report, its sections or the figures it shows bumps.
    """
    key = f"nct:report-pdf:{report.pk}:{generation()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf, _ = packs.render_pdf(packs.report_html(report))
        cache.set(key, pdf, timeout=TIMEOUT)
    return pdf  # type: ignore[no-any-return]
