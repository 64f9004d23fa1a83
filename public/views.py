"""The public site: the committee's meetings, agendas, published packs, reports and minutes.

No page here needs a sign-in, and none shows anything that is not published: a meeting's
agenda and papers appear once its public pack is published; a report only when it is final
and neither it nor its item is exempt; an exempt item by its subject and its Schedule 12A
paragraph, never its papers. Every page is rendered once per state of the record
(`public.caching`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View

from committee import selectors as committee
from public import caching, documents

if TYPE_CHECKING:
    from committee.models import AgendaItem, Meeting

SITE_TITLE = "Committee papers"


class PublicView(View):
    """A public GET page, served from the cache when the record has not changed."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return caching.cached_page(request, lambda: self.render(request, **kwargs))

    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        raise NotImplementedError


def _meeting(pk: int) -> Meeting:
    meeting = committee.public_meetings().filter(pk=pk).first()
    if meeting is None:
        raise Http404("There is no such meeting.")
    return meeting


class MeetingListView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        today = timezone.localdate()
        meetings = list(committee.public_meetings())
        upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
        past = [m for m in meetings if m.date < today]
        return TemplateResponse(
            request,
            "public/meeting_list.html",
            {"title": SITE_TITLE, "upcoming": upcoming, "past": past, "today": today},
        )


class PublicItem:
    """An agenda item as the public sees it: exempt papers withheld, by paragraph."""

    def __init__(self, item: AgendaItem) -> None:
        self.item = item
        self.withheld = item.is_exempt
        report = item.report if item.report_id is not None else None
        self.report = report if report is not None and not self.withheld else None


def meeting_context(meeting: Meeting) -> dict[str, Any]:
    items = [PublicItem(item) for item in committee.public_agenda(meeting)]
    withheld = {entry.item.number: entry.item for entry in items if entry.withheld}
    minutes, minute_items = committee.public_minutes(meeting)
    return {
        "title": f"{meeting.committee.name}, {meeting.date:%-d %B %Y}",
        "meeting": meeting,
        "today": timezone.localdate(),
        "published": committee.is_published(meeting),
        "items": items,
        "pack": committee.published_public_pack(meeting),
        "minutes": minutes,
        "members_present": list(minutes.members_present.select_related("council"))
        if minutes
        else [],
        "minute_items": [(entry, withheld.get(entry.number)) for entry in minute_items],
    }


class MeetingDetailView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        meeting = _meeting(kwargs["pk"])
        return TemplateResponse(request, "public/meeting_detail.html", meeting_context(meeting))


class PackView(View):
    """A published public pack: the frozen file, byte for byte, as it was published."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pack = committee.public_pack_by_pk(pk)
        if pack is None:
            raise Http404("There is no such published pack.")
        try:
            pdf = committee.stored_pack_pdf(pack)
        except committee.PackFileUnavailable as problem:
            raise Http404(str(problem)) from problem
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = content_disposition_header(False, pack.filename)
        response["Content-Disposition"] = disposition or "inline"
        response["X-Content-SHA256"] = pack.sha256
        response["Cache-Control"] = "public, max-age=86400, immutable"
        return response


def _report(pk: int) -> Any:
    report = committee.public_report(pk)
    if report is None:
        raise Http404("There is no such published report.")
    return report


class ReportView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        report = _report(kwargs["pk"])
        return TemplateResponse(request, "public/report.html", documents.report_context(report))


class ReportPdfView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        report = _report(kwargs["pk"])
        response = HttpResponse(committee.report_pdf_bytes(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="report-{report.pk}.pdf"'
        return response


class CalendarView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        meetings = list(committee.public_meetings())
        body = documents.meetings_calendar(request, meetings)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="meetings.ics"'
        return response


class FeedView(PublicView):
    def render(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        body = documents.documents_feed(request, committee.published_public_packs())
        return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
