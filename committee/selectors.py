"""Reads for committee pages: meetings with their packs, and figures for reports."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet

from committee.choices import PackStatus, PackVariant
from committee.models import AgendaItem, AgendaPack, Meeting, OfficerReport
from committee.services import publication_problems


def meetings_with_packs() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee").prefetch_related(
        Prefetch(
            "packs",
            queryset=AgendaPack.objects.filter(status=PackStatus.PUBLISHED).order_by("variant"),
            to_attr="published_packs",
        )
    )


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
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    building = any(pack.status == PackStatus.BUILDING for pack in packs)
    return {
        "meeting": meeting,
        "items": items,
        "minutes": minutes,
        "minute_items": list(minutes.items.all()) if minutes else [],
        "members_present": list(minutes.members_present.select_related("council"))
        if minutes
        else [],
        "packs": packs,
        "public_packs": [p for p in packs if p.variant == PackVariant.PUBLIC],
        "exempt_packs": [p for p in packs if p.variant == PackVariant.EXEMPT],
        "has_exempt_items": any(item.exempt for item in items),
        "building": building,
        "problems": publication_problems(meeting),
        "can_build": can_build,
    }


def financial_implications_paragraph(report: OfficerReport) -> str | None:
    """A paragraph stating the period's forecast pressure and each council's share of it.

    Returns None when the report's period has no forecast.
    """
    from committee.appendices import forecast_figures

    figures = forecast_figures(report.data_period)
    if figures is None:
        return None
    shares = " and ".join(
        f"{council} ({percentage}%) {share}" for council, percentage, share in figures["shares"]
    )
    return (
        f"The forecast outturn pressure at {figures['label']} is {figures['total']}. Unless "
        f"mitigations are found, the councils fund it in their contract shares: {shares}."
    )


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
