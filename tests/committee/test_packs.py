"""Agenda packs: one render, page ranges that agree with the footers, exempt items withheld."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from committee.packs import pack_html, render_pdf, report_html
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

LONG = "\n\n".join(f"Paragraph {n} of a long section about the contract." * 8 for n in range(40))


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    long_report = ReportFactory(title="A long report")
    long_report.sections.filter(number=1).update(body=LONG)
    AgendaItemFactory(meeting=meeting, number=2, subject="A long report", report=long_report)
    short_report = ReportFactory(title="A short report")
    short_report.sections.filter(number__gt=2).delete()  # a page: its purpose and recommendation
    AgendaItemFactory(meeting=meeting, number=3, subject="A short report", report=short_report)
    AgendaItemFactory(
        meeting=meeting,
        number=4,
        subject="Sale of a children's home",
        exempt=True,
        exempt_paragraph=3,
        report=ReportFactory(title="Confidential: sale of a children's home"),
    )
    return meeting


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_agenda_page_ranges_agree_with_the_page_footers(meeting):
    pdf, pages = render_pdf(pack_html(meeting, exempt=False))
    texts = pdf_text(pdf)
    cover = texts[0]
    ranges = {
        int(n): (int(a), int(b or a))
        for n, a, b in re.findall(r"0(\d) .*? (\d+)(?: - (\d+))?\n", cover)
    }
    footer = {
        i: int(m.group(1))
        for i, text in enumerate(texts)
        if (m := re.search(r"Page (\d+)\s*$", text))
    }
    starts = {
        int(m.group(1)): footer[i]
        for i, text in enumerate(texts)
        if (m := re.search(r"Agenda Item (\d+)", text))
    }
    assert set(ranges) == {2, 3}
    assert ranges[2][0] == starts[2] == 1
    assert ranges[2][1] > ranges[2][0]  # the long report runs over several pages
    assert ranges[3][0] == starts[3] == ranges[2][1] + 1
    assert ranges[3][1] == footer[pages - 1]
    assert 0 not in footer  # the cover has no "Page N" footer


def test_a_one_page_item_prints_its_page_alone_and_a_longer_one_its_range(meeting):
    pdf, _pages = render_pdf(pack_html(meeting, exempt=False))
    texts = pdf_text(pdf)
    agenda = texts[0]
    last_page = re.search(r"Page (\d+)\s*$", texts[-1]).group(1)
    long_item = re.search(r"02 A long report .*?(\d+) - (\d+)\n", agenda)
    assert long_item and int(long_item.group(2)) > int(long_item.group(1)) == 1
    short_item = re.search(r"03 A short report .*?([\d -]+)\n", agenda)
    # The short report fits on its one page: "5", never "5 - 5".
    assert short_item and short_item.group(1).strip() == str(int(long_item.group(2)) + 1)
    assert short_item.group(1).strip() == last_page


def test_page_labels_match_the_printed_numbers(meeting):
    pdf, pages = render_pdf(pack_html(meeting, exempt=False))
    reader = PdfReader(io.BytesIO(pdf))
    labels = reader.page_labels
    # The agenda and its information page are the cover; the papers are numbered from 1.
    assert labels[:2] == ["Cover", "Cover"]
    assert "Members' declarations of interest" in reader.pages[1].extract_text()
    for index in range(2, pages):
        printed = re.search(r"Page (\d+)\s*$", reader.pages[index].extract_text()).group(1)
        assert labels[index] == printed


def test_the_pack_is_tagged_with_its_title_language_and_a_bookmark_per_item(meeting):
    pdf, _ = render_pdf(pack_html(meeting, exempt=False))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert (
        reader.metadata["/Title"]
        == "Public Document Pack: Children's Trust Joint Committee, 6 March 2024"
    )
    titles = [entry["/Title"] for entry in reader.outline if isinstance(entry, dict)]
    assert titles == ["Agenda", "Agenda Item 2", "Agenda Item 3"]


def test_the_public_pack_names_an_exempt_item_and_its_paragraph_but_leaves_out_its_papers(meeting):
    pdf, _ = render_pdf(pack_html(meeting, exempt=False))
    text = "\n".join(pdf_text(pdf))
    assert "Sale of a children's home" in text
    assert "paragraph 3 of Schedule 12A" in text
    assert "Confidential: sale of a children's home" not in text
    assert "Agenda Item 4" not in text


def test_the_exempt_pack_includes_the_exempt_papers(meeting):
    pdf, _ = render_pdf(pack_html(meeting, exempt=True))
    text = "\n".join(pdf_text(pdf))
    assert "Exempt Document Pack" in text
    assert "Agenda Item 4" in text
    assert "Confidential: sale of a children's home" in text


def test_markdown_with_script_or_raw_html_is_sanitised(meeting):
    report = ReportFactory(title="Hostile text")
    report.sections.filter(number=1).update(
        body='Fine **text** <script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[link](javascript:alert(1))"
    )
    html = report_html(report)
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<strong>text</strong>" in html


def test_a_report_alone_prints_the_same_sections_as_its_page(meeting):
    report = ReportFactory(title="A standalone report")
    pdf, _ = render_pdf(report_html(report))
    text = "\n".join(pdf_text(pdf))
    assert "1. Purpose of Report" in text
    assert "1.1." in text and "To update the Committee." in text
    assert "2. Recommendations" in text
