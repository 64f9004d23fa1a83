"""Demo committee, meetings, minutes and reports from `fixtures/committee.json`.

Loads what is missing and leaves alone what exists, so running it again keeps any edits made
through the pages.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from django.conf import settings

from committee import services
from committee.choices import MeetingStatus, PackVariant, ReportStatus
from committee.models import AgendaItem, Committee, CommitteeMember, Meeting, Minutes
from contracts import selectors as contracts
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_period_by_ref


def load() -> list[str]:
    data = json.loads((settings.BASE_DIR / "fixtures" / "committee.json").read_text())
    done: list[str] = []
    committee = Committee.objects.filter(name=data["committee"]["name"]).first()
    if committee is None:
        committee = services.save_committee(user=None, **data["committee"])
        done.append(f"Created the {committee}")
    councils = {council.short_name: council for council in contracts.councils()}
    for order, member in enumerate(data["members"], start=1):
        if not committee.members.filter(name=member["name"]).exists():
            services.save_member(
                committee=committee,
                user=None,
                name=member["name"],
                council=councils[member["council"]],
                role=member["role"],
                order=order,
                is_active=True,
            )
            done.append(f"Added {member['name']}")
    meetings = {}
    for entry in data["meetings"]:
        day = date.fromisoformat(entry["date"])
        meeting = Meeting.objects.filter(committee=committee, date=day).first()
        if meeting is None:
            meeting = services.save_meeting(
                committee=committee,
                date=day,
                time=time.fromisoformat(entry["time"]),
                venue=entry["venue"],
                proper_officer=entry["proper_officer"],
                user=None,
            )
            done.append(f"Created the meeting of {day:%-d %B %Y}")
        meetings[entry["date"]] = meeting
    for entry in data["meetings"]:
        meeting = meetings[entry["date"]]
        if "minutes" in entry and not Minutes.objects.filter(meeting=meeting).exists():
            _minutes(meeting, entry["minutes"], committee)
            done.append(f"Recorded the minutes of {meeting.date:%-d %B %Y}")
        for item in entry["items"]:
            if AgendaItem.objects.filter(meeting=meeting, number=item["number"]).exists():
                continue
            agenda_item = services.save_agenda_item(
                meeting=meeting,
                user=None,
                number=item["number"],
                subject=item["subject"],
                presenting_officers=item.get("presenting_officers", ""),
                minutes_of=meetings[item["minutes_of"]] if "minutes_of" in item else None,
            )
            if "report" in item:
                _report(agenda_item, data["reports"][item["report"]])
            done.append(f"Added item {agenda_item.label} to {meeting.date:%-d %B %Y}")
    return done


def publish() -> list[str]:
    """Publish the public pack of each demo meeting marked `publish`, once the periods its
    papers report are signed off and the record of published figures is in place."""
    data = json.loads((settings.BASE_DIR / "fixtures" / "committee.json").read_text())
    done = []
    for entry in data["meetings"]:
        meeting = Meeting.objects.filter(date=date.fromisoformat(entry["date"])).first()
        if entry.get("publish") and meeting is not None and _publish(meeting):
            done.append(f"Published the public pack of {meeting.date:%-d %B %Y}")
    return done


def _publish(meeting: Meeting) -> bool:
    """Build and publish the meeting's public pack, as a clerk would, unless it is published.

    The demo's March 2024 meeting is published, so the public site has papers to show.
    """
    if meeting.status == MeetingStatus.PUBLISHED:
        return False
    pack = services.start_pack_build(meeting=meeting, variant=PackVariant.PUBLIC, user=None)
    pack = services.build_pack_file(pack=pack)
    services.publish_pack(pack=pack, user=None)
    return True


def _minutes(meeting: Meeting, data: dict[str, Any], committee: Committee) -> None:
    present = list(
        CommitteeMember.objects.filter(committee=committee, name__in=data["members_present"])
    )
    minutes = services.save_minutes(
        meeting=meeting,
        members_present=present,
        officers_present=data["officers_present"],
        user=None,
    )
    for item in data["items"]:
        services.save_minute_item(minutes=minutes, user=None, **item)


def _report(item: AgendaItem, data: dict[str, Any]) -> None:
    period = get_period_by_ref(PeriodRef.parse(data["data_period"]))
    report = services.save_report_for_item(
        report=None,
        item=item,
        user=None,
        fields={
            "title": data["title"],
            "authors": data["authors"],
            "executive_members": data["executive_members"],
            "data_period": period,
        },
    )
    # The resources and financial implications store only the officers' words: their opening
    # paragraphs are written from the forecast each time the report is shown or printed.
    for number, section in enumerate(data["sections"], start=1):
        services.save_section(
            report=report,
            number=number,
            heading=section["heading"],
            body=section["body"],
            kind=section["kind"],
            user=None,
        )
    for appendix in data["appendices"]:
        services.save_appendix(report=report, user=None, **appendix)
    report.refresh_from_db()
    if report.status != ReportStatus.FINAL:
        services.mark_report_final(report=report, user=None)
