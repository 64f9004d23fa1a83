"""What the public site renders beyond its pages: report PDFs, the meetings calendar and the
feed of published documents."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import feedgenerator, timezone
from icalendar import Calendar, Event

from committee import selectors as committee

if TYPE_CHECKING:
    from committee.models import AgendaPack, Meeting, OfficerReport

# A committee meeting is shown in calendars as two hours long; the papers give no end time.
MEETING_LENGTH = timedelta(hours=2)


def report_context(report: OfficerReport) -> dict[str, Any]:
    item = committee.item_for_report(report)
    return {
        "title": report.title,
        "rendered": committee.rendered_public_report(report),
        "item": item,
        "meeting": item.meeting if item else None,
    }


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def meetings_calendar(request: HttpRequest, meetings: list[Meeting]) -> bytes:
    """An iCalendar feed of the committee's meetings, each event linking to its page."""
    calendar = Calendar()
    calendar.add("prodid", "-//NCT Monitor//Committee meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Northamptonshire Children's Trust committee meetings")
    zone = timezone.get_default_timezone()
    for meeting in meetings:
        start = datetime.combine(meeting.date, meeting.time, tzinfo=zone)
        url = _absolute(request, reverse("public:meeting", args=[meeting.pk]))
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@nct-monitor.public")
        event.add("summary", f"{meeting.committee.name}")
        event.add("dtstart", start)
        event.add("dtend", start + MEETING_LENGTH)
        event.add("dtstamp", timezone.now())
        event.add("location", meeting.venue)
        event.add("url", url)
        event.add("description", f"Agenda, papers and minutes: {url}")
        calendar.add_component(event)
    # TZID on each start needs the zone itself, as a VTIMEZONE, for calendars to read it.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def documents_feed(request: HttpRequest, packs: list[AgendaPack]) -> bytes:
    """An Atom feed of the documents published last: each public pack and its reports."""
    feed = feedgenerator.Atom1Feed(
        title="Northamptonshire Children's Trust committee papers",
        link=_absolute(request, reverse("public:meeting_list")),
        description="Agenda packs and reports as they are published.",
        language=settings.LANGUAGE_CODE,
        feed_url=_absolute(request, reverse("public:feed")),
    )
    for pack in packs:
        meeting = pack.meeting
        when = pack.published_at or timezone.now()
        day = f"{meeting.date:%-d %B %Y}"
        feed.add_item(
            title=f"Agenda pack: {meeting.committee.name}, {day}",
            link=_absolute(request, reverse("public:pack", args=[pack.pk])),
            description=f"The public agenda pack, version {pack.version}, SHA-256 {pack.sha256}.",
            unique_id=f"pack-{pack.pk}",
            updateddate=when,
            pubdate=when,
        )
        for report in committee.public_reports(meeting):
            feed.add_item(
                title=f"{report.title} ({meeting.committee.name}, {day})",
                link=_absolute(request, reverse("public:report", args=[report.pk])),
                description=f"A report to the meeting of {day}.",
                unique_id=f"report-{report.pk}-pack-{pack.pk}",
                updateddate=when,
                pubdate=when,
            )
    return feed.writeString("utf-8").encode()
