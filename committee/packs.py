"""The agenda pack and the officer report as HTML, and their PDFs through WeasyPrint.

The whole pack is one HTML document rendered once: the agenda's page ranges are computed in
the same layout with `target-counter`, the papers start at "Page 1" after the cover, every
agenda item starts a new page with a bookmark, and the PDF is tagged (PDF/UA-1) with its title
and language. Merging separate PDFs would lose the tags, so nothing is merged.

The document is put together from parts (the cover and agenda, the corrections to published
figures, each item's papers), and a pack records the SHA-256 of each part it was built from:
its fingerprint. Publishing compares it with the parts as the data renders them now, so a pack
that no longer matches its data is never published. Nothing in a part depends on when it was
rendered, only on the data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string

from committee.appendices import AppendixContent, build_appendix
from committee.choices import PackVariant, SectionKind
from committee.markup import Paragraph, numbered_paragraphs, render_markdown
from committee.models import (
    AgendaItem,
    AgendaPack,
    Meeting,
    MinuteItem,
    Minutes,
    OfficerReport,
    ReportAppendix,
    ReportSection,
)
from committee.pdfua import recording_structure
from committee.report_template import OutlineEntry, financial_paragraphs, outline
from nct_monitor.models import Period
from nct_monitor.records import corrections_since

Progress = Callable[[int], None]


@dataclass
class RenderedSection:
    """A section as printed: its number, heading and paragraphs, and for the implications
    heading (which has no section of its own) the implications under it."""

    number: str
    heading: str
    section: ReportSection | None
    paragraphs: list[Paragraph]
    subsections: list[RenderedSection] = field(default_factory=list)

    @property
    def generated_count(self) -> int:
        """How many of the paragraphs are written from the figures (they come first)."""
        return sum(paragraph.generated for paragraph in self.paragraphs)


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


def _rendered_section(entry: OutlineEntry, period: Period) -> RenderedSection:
    section = entry.section
    paragraphs = []
    if section is not None:
        if section.kind == SectionKind.FINANCIAL:
            # Generated now from the figures, so the paragraph follows the forecast.
            paragraphs = numbered_paragraphs(
                entry.number, "\n\n".join(financial_paragraphs(period)), generated=True
            )
        paragraphs += numbered_paragraphs(entry.number, section.body, start=len(paragraphs) + 1)
    return RenderedSection(
        number=entry.number,
        heading=entry.heading,
        section=section,
        paragraphs=paragraphs,
        subsections=[_rendered_section(child, period) for child in entry.children],
    )


def rendered_report(report: OfficerReport) -> RenderedReport:
    """The report ready to show; `report` should have sections and appendices prefetched."""
    return RenderedReport(
        report=report,
        sections=[
            _rendered_section(entry, report.data_period) for entry in outline(report.sections.all())
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
    withheld: bool  # exempt (the item or its report), and this is the public pack
    report: RenderedReport | None
    minutes: Minutes | None
    minute_items: list[MinuteItem]

    @property
    def has_papers(self) -> bool:
        return not self.withheld and (self.report is not None or self.minutes is not None)


def previous_pack_published_at(meeting: Meeting) -> datetime | None:
    """When the committee last published a public pack for an earlier meeting, if it has."""
    return (
        AgendaPack.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__date__lt=meeting.date,
            variant=PackVariant.PUBLIC,
            published_at__isnull=False,
        )
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def pack_context(meeting: Meeting, *, exempt: bool) -> dict[str, Any]:
    """Everything the pack template needs, in a fixed number of queries."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    items = list(meeting.items.select_related("report", "minutes_of__committee").order_by("number"))
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
        withheld = item.is_exempt and not exempt
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
    # Corrections made since the committee's last pack, so members read each one once.
    since = previous_pack_published_at(meeting)
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "members": members,
        "items": pack_items,
        "exempt": exempt,
        "exempt_marking": _exempt_marking(items) if exempt else "",
        "title": (
            f"{'Exempt' if exempt else 'Public'} Document Pack: {meeting.committee.name}, "
            f"{meeting.date:%-d %B %Y}"
        ),
        "section_kinds": SectionKind,
        "corrections": list(corrections_since(since)),
        "corrections_since": since,
    }


COVER = "cover"
CORRECTIONS = "corrections"


@dataclass
class PackPart:
    """A part of the pack's HTML, and how a change to it is named."""

    key: str  # "cover", "corrections" or "item-<pk>"
    label: str  # "The cover and agenda", "Item 4, Review of …"
    html: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


@dataclass
class PackDocument:
    """A pack's HTML, the parts it is made of, and the periods its reports' figures are at."""

    title: str
    html: str
    parts: list[PackPart]
    periods: list[Period] = field(default_factory=list)

    @property
    def fingerprint(self) -> dict[str, Any]:
        return {
            "sha256": hashlib.sha256(self.html.encode()).hexdigest(),
            "parts": [
                {"key": part.key, "label": part.label, "sha256": part.sha256} for part in self.parts
            ],
        }


def _exempt_marking(items: list[AgendaItem]) -> str:
    """What every page of the exempt pack says at its head: not for publication, and why."""
    numbers = sorted({number for item in items for number in item.exempt_paragraphs})
    if not numbers:
        return "NOT FOR PUBLICATION"
    listed = [str(number) for number in numbers]
    which = (
        f"paragraph {listed[0]}"
        if len(listed) == 1
        else f"paragraphs {', '.join(listed[:-1])} and {listed[-1]}"
    )
    return f"NOT FOR PUBLICATION: exempt information under {which} of Schedule 12A"


def pack_document(meeting: Meeting, *, exempt: bool) -> PackDocument:
    """The pack as it renders from the data now, part by part."""
    context = pack_context(meeting, exempt=exempt)
    cover = render_to_string("committee/pack/cover.html", context)
    corrections = (
        render_to_string("committee/pack/corrections.html", context)
        if context["corrections"]
        else ""
    )
    parts = [
        PackPart(COVER, "The cover and agenda", cover),
        PackPart(CORRECTIONS, "The corrections to published figures", corrections),
    ]
    papers = []
    for entry in context["items"]:
        # An item without papers in this pack is still a part, so an item whose papers are
        # withdrawn (say, made exempt) reads as changed rather than gone.
        paper = (
            render_to_string("committee/pack/item.html", {**context, "entry": entry})
            if entry.has_papers
            else ""
        )
        label = f"Item {entry.item.number}, {entry.item.subject}"
        parts.append(PackPart(f"item-{entry.item.pk}", label, paper))
        if paper:
            papers.append(paper)
    # render_to_string gives safe strings, so the parts go into the document as they are.
    html = render_to_string(
        "committee/pack/pack.html",
        {**context, "cover": cover, "corrections": corrections, "papers": papers},
    )
    periods: dict[int, Period] = {}
    for entry in context["items"]:
        if entry.report is not None:
            period = entry.report.report.data_period
            periods.setdefault(period.pk, period)
    return PackDocument(
        title=context["title"], html=html, parts=parts, periods=list(periods.values())
    )


def fingerprint_changes(built: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the fingerprint a pack was built from and the data's now.

    Each change is one sentence naming the part: "Item 4, Review of realisation of 2023/24
    NCT savings proposals, has changed since this pack was built."
    """
    if not built.get("parts"):
        return [
            "This version does not record what it was built from, so it cannot be checked "
            "against the data: build a new version."
        ]
    before = {part["key"]: part for part in built["parts"]}
    now = {part["key"]: part for part in current["parts"]}
    changes = []
    for key, part in now.items():
        old = before.get(key)
        if old is None:
            changes.append(f"{part['label']}, is new on the agenda since this pack was built.")
        elif old["sha256"] != part["sha256"]:
            if key.startswith("item-"):
                changes.append(f"{part['label']}, has changed since this pack was built.")
            else:
                changes.append(f"{part['label']} have changed since this pack was built.")
    for key, old in before.items():
        if key not in now:
            changes.append(f"{old['label']}, is no longer on the agenda since this pack was built.")
    if not changes and built.get("sha256") != current["sha256"]:
        changes.append("The layout of the pack has changed since this pack was built.")
    return changes


def pack_html(meeting: Meeting, *, exempt: bool) -> str:
    return pack_document(meeting, exempt=exempt).html


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
    # pydyf comes with WeasyPrint, and is only needed while a PDF is written.
    import pydyf

    names = [page._page_box.page_type.name for page in document.pages]
    nums = pydyf.Array()
    nums.extend([0, pydyf.Dictionary({"P": pydyf.String("Cover")})])
    if "papers" in names:
        nums.extend([names.index("papers"), pydyf.Dictionary({"S": "/D", "St": 1})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})


def one_page_items(document: Any) -> list[str]:
    """The agenda items (by number) whose papers start and end on the same page."""
    pages: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            pages.setdefault(anchor, index)
    return [
        anchor.removeprefix("item-")
        for anchor, start in pages.items()
        if re.fullmatch(r"item-\d+", anchor) and pages.get(f"{anchor}-end") == start
    ]


def render_pdf(html: str, *, progress: Progress | None = None) -> tuple[bytes, int]:
    """(PDF bytes, page count) for a pack or report document, tagged as PDF/UA-1.

    The agenda prints a one-page item's page as "12", not "12 - 12". Which items fit on one
    page is only known once the papers are laid out, so a pack with such an item is laid out
    a second time with the end of their ranges hidden; the cover has no page numbers and the
    papers' numbering starts after it, so hiding them moves no page.
    """
    # WeasyPrint is slow to import (its fonts and Pango); only a PDF render needs it.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    report = progress or (lambda percent: None)
    # One font configuration per render, shared by the stylesheets and the document.
    fonts = FontConfiguration()
    stylesheets = [CSS(filename=_stylesheet(), font_config=fonts)]
    source = HTML(string=html, base_url=str(settings.BASE_DIR))
    document = source.render(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")
    single = one_page_items(document) if 'class="range-end"' in html else []
    if single:
        report(50)
        hidden = ", ".join(f'.range-end[data-item="{number}"]' for number in single)
        stylesheets.append(CSS(string=f"{hidden} {{ display: none; }}", font_config=fonts))
        document = source.render(stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1")
    report(70)
    with recording_structure() as structure:
        pdf = document.write_pdf(finisher=structure.finisher(_page_labels), pdf_variant="pdf/ua-1")
    report(95)
    return pdf, len(document.pages)


__all__ = [
    "PackDocument",
    "PackPart",
    "fingerprint_changes",
    "pack_context",
    "pack_document",
    "pack_html",
    "previous_pack_published_at",
    "render_markdown",
    "render_pdf",
    "report_html",
]
