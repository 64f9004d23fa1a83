"""The agenda pack and the officer report as HTML, and their PDFs through WeasyPrint.

The whole pack is one HTML document rendered once: the agenda's page ranges are computed in
the same layout with `target-counter`, the papers start at "Page 1" after the cover, every
agenda item starts a new page with a bookmark, and the PDF is tagged (PDF/UA-1) with its title
and language. Merging separate PDFs would lose the tags, so nothing is merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string

from committee.appendices import AppendixContent, build_appendix
from committee.choices import SectionKind
from committee.markup import Paragraph, numbered_paragraphs, render_markdown
from committee.models import (
    AgendaItem,
    Meeting,
    MinuteItem,
    Minutes,
    OfficerReport,
    ReportAppendix,
    ReportSection,
)

Progress = Callable[[int], None]


@dataclass
class RenderedSection:
    section: ReportSection
    paragraphs: list[Paragraph]


@dataclass
class RenderedAppendix:
    appendix: ReportAppendix
    content: AppendixContent


@dataclass
class RenderedReport:
    """A report with its sections numbered and its appendices built as at its period."""

    report: OfficerReport
    sections: list[RenderedSection]
    appendices: list[RenderedAppendix]


def rendered_report(report: OfficerReport) -> RenderedReport:
    """The report ready to show; `report` should have sections and appendices prefetched."""
    return RenderedReport(
        report=report,
        sections=[
            RenderedSection(section, numbered_paragraphs(section.number, section.body))
            for section in report.sections.all()
        ],
        appendices=[
            RenderedAppendix(appendix, build_appendix(appendix.kind, report.data_period))
            for appendix in report.appendices.all()
        ],
    )


def report_queryset() -> Any:
    return OfficerReport.objects.select_related("data_period__year").prefetch_related(
        Prefetch("sections", queryset=ReportSection.objects.order_by("number")),
        Prefetch("appendices", queryset=ReportAppendix.objects.order_by("letter")),
    )


@dataclass
class PackItem:
    item: AgendaItem
    withheld: bool  # exempt, and this is the public pack
    report: RenderedReport | None
    minutes: Minutes | None
    minute_items: list[MinuteItem]

    @property
    def has_papers(self) -> bool:
        return not self.withheld and (self.report is not None or self.minutes is not None)


def pack_context(meeting: Meeting, *, exempt: bool) -> dict[str, Any]:
    """Everything the pack template needs, in a fixed number of queries."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    items = list(meeting.items.select_related("minutes_of__committee").order_by("number"))
    reports = {
        report.pk: report
        for report in report_queryset().filter(
            pk__in=[item.report_id for item in items if item.report_id]
        )
    }
    minutes_by_meeting = {
        minutes.meeting_id: minutes
        for minutes in Minutes.objects.filter(
            meeting_id__in=[item.minutes_of_id for item in items if item.minutes_of_id]
        )
        .select_related("meeting__committee")
        .prefetch_related("members_present__council", "items")
    }
    pack_items = []
    for item in items:
        withheld = item.exempt and not exempt
        report = reports.get(item.report_id) if item.report_id and not withheld else None
        minutes = (
            minutes_by_meeting.get(item.minutes_of_id)
            if item.minutes_of_id and not withheld
            else None
        )
        pack_items.append(
            PackItem(
                item=item,
                withheld=withheld,
                report=rendered_report(report) if report is not None else None,
                minutes=minutes,
                minute_items=list(minutes.items.all()) if minutes is not None else [],
            )
        )
    members = list(meeting.committee.members.filter(is_active=True).select_related("council"))
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "members": members,
        "items": pack_items,
        "exempt": exempt,
        "title": (
            f"{'Exempt' if exempt else 'Public'} Document Pack: {meeting.committee.name}, "
            f"{meeting.date:%-d %B %Y}"
        ),
        "section_kinds": SectionKind,
    }


def pack_html(meeting: Meeting, *, exempt: bool) -> str:
    return render_to_string("committee/pack/pack.html", pack_context(meeting, exempt=exempt))


def report_html(report: OfficerReport) -> str:
    """A report alone as a printable document: the same content as its page and its pack item."""
    report = report_queryset().get(pk=report.pk)
    item = AgendaItem.objects.select_related("meeting__committee").filter(report=report).first()
    return render_to_string(
        "committee/pack/report_document.html",
        {
            "rendered": rendered_report(report),
            "item": item,
            "meeting": item.meeting if item else None,
            "title": report.title,
            "section_kinds": SectionKind,
        },
    )


def _stylesheet() -> str:
    path = finders.find("committee/pack.css")
    if not path:
        raise FileNotFoundError("committee/pack.css is missing from the static files.")
    return str(path)


def _page_labels(document: Any, pdf: Any) -> None:
    """PDF page labels that match the printed numbers: the cover, then 1, 2, 3…"""
    import pydyf

    names = [page._page_box.page_type.name for page in document.pages]
    nums = pydyf.Array()
    nums.extend([0, pydyf.Dictionary({"P": pydyf.String("Cover")})])
    if "papers" in names:
        nums.extend([names.index("papers"), pydyf.Dictionary({"S": "/D", "St": 1})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})


def render_pdf(html: str, *, progress: Progress | None = None) -> tuple[bytes, int]:
    """(PDF bytes, page count) for a pack or report document, tagged as PDF/UA-1."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    report = progress or (lambda percent: None)
    # One font configuration per render, shared by the stylesheet and the document.
    fonts = FontConfiguration()
    stylesheet = CSS(filename=_stylesheet(), font_config=fonts)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/ua-1"
    )
    report(70)
    pdf = document.write_pdf(finisher=_page_labels, pdf_variant="pdf/ua-1")
    report(95)
    return pdf, len(document.pages)


__all__ = ["pack_context", "pack_html", "render_markdown", "render_pdf", "report_html"]
