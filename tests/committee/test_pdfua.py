"""Agenda packs are PDF/UA-1 in structure: one logical tree, artifacts, scopes, headings, links."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from itertools import pairwise

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from committee.markup import render_markdown
from committee.packs import pack_html, render_pdf
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

ROWS = "\n".join(f"| Proposal {n} | {n * 1000} |" for n in range(1, 90))
LONG_TABLE = f"The proposals:\n\n| Proposal | Saving |\n| --- | --- |\n{ROWS}"
LETTERED = "The Committee is asked to:\n\n- a) note the report\n- b) agree the plan"


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    report = ReportFactory(title="A report with a long table")
    report.sections.filter(number=1).update(body=LONG_TABLE)
    report.sections.filter(number=2).update(body=LETTERED)
    AgendaItemFactory(meeting=meeting, number=2, subject="The long table", report=report)
    AgendaItemFactory(
        meeting=meeting,
        number=3,
        subject="Sale of a children's home",
        exempt=True,
        exempt_paragraph=3,
        report=ReportFactory(title="Confidential: sale of a children's home"),
    )
    return meeting


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def kids(element) -> list:
    k = resolve(element.get("/K"))
    if k is None:
        return []
    return [resolve(kid) for kid in (k if isinstance(k, ArrayObject) else [k])]


def elements(node) -> Iterator[DictionaryObject]:
    """Structure elements in reading order."""
    for kid in kids(node):
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            yield kid
            yield from elements(kid)


def struct_tree(reader: PdfReader) -> list[DictionaryObject]:
    return list(elements(resolve(reader.trailer["/Root"]["/StructTreeRoot"])))


def tagged_mcids(reader: PdfReader) -> set[tuple[int, int]]:
    """(page index, MCID) for each piece of content the structure tree holds."""
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found = set()
    for element in struct_tree(reader):
        for kid in kids(element):
            if isinstance(kid, int):
                found.add((pages[element.raw_get("/Pg").idnum], kid))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                found.add((pages[kid.raw_get("/Pg").idnum], int(kid["/MCID"])))
    return found


def marked_text(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    """(page index, text, MCID or None for an artifact) for each piece of text shown."""
    shown = []
    for index, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, args, cm, tm, stack=stack):
            if operator == b"BDC":
                stack.append(int(resolve(args[1])["/MCID"]))
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC":
                stack.pop()

        def text(value, cm, tm, font, size, stack=stack, index=index):
            if value.strip():
                shown.append((index, value, stack[-1] if stack else None))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return shown


def pack(meeting, *, exempt=False) -> PdfReader:
    pdf, _ = render_pdf(pack_html(meeting, exempt=exempt))
    return PdfReader(io.BytesIO(pdf))


def test_a_table_across_a_page_break_is_one_table_element(meeting):
    reader = pack(meeting)
    shown = marked_text(reader)
    tables = [
        element
        for element in struct_tree(reader)
        if element["/S"] == "/Table" and "Proposal 89" in _text(reader, element, shown)
    ]
    assert len(tables) == 1
    table_pages = {_page_of(reader, element) for element in elements(tables[0])}
    assert len(table_pages) > 1  # the table does run over a page break
    heads = [element for element in elements(tables[0]) if element["/S"] == "/THead"]
    assert len(heads) == 1  # the header row repeated on the next page is an artifact


def test_every_table_header_has_a_scope(meeting):
    reader = pack(meeting)
    scopes = [
        resolve(element["/A"]).get("/Scope")
        for element in struct_tree(reader)
        if element["/S"] == "/TH"
    ]
    assert scopes and None not in scopes
    assert set(scopes) == {"/Row", "/Column"}  # the report details table heads its rows


def test_heading_levels_never_skip(meeting):
    reader = pack(meeting)
    levels = [
        int(element["/S"][2:])
        for element in struct_tree(reader)
        if re.fullmatch(r"/H[1-6]", element["/S"])
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in pairwise(levels))


def test_link_annotations_say_where_they_go(meeting):
    reader = pack(meeting)
    contents = [
        str(resolve(annotation).get("/Contents", ""))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert contents
    assert not [text for text in contents if re.fullmatch(r"item-\d+(-end)?", text)]
    assert "Start page of item 02: The long table" in contents


def test_page_footers_are_artifacts_and_all_other_text_is_in_the_tree(meeting):
    reader = pack(meeting)
    shown = marked_text(reader)
    footers = [mcid for _, text, mcid in shown if re.fullmatch(r"Page \d+", text.strip())]
    assert footers and footers == [None] * len(footers)
    tagged = tagged_mcids(reader)
    untagged = [
        text for page, text, mcid in shown if mcid is not None and (page, mcid) not in tagged
    ]
    assert untagged == []


def test_report_titles_are_bookmarks_under_their_items(meeting):
    reader = pack(meeting)
    outline = reader.outline
    titles = [entry["/Title"] for entry in outline if isinstance(entry, dict)]
    assert titles == ["Agenda", "Agenda Item 2"]
    assert [entry["/Title"] for entry in outline[2]] == ["A report with a long table"]


def test_the_xmp_declares_pdf_ua_part_1(meeting):
    xmp = resolve(pack(meeting).trailer["/Root"]["/Metadata"]).get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)


def test_the_exempt_pack_is_pdf_ua_too(meeting):
    reader = pack(meeting, exempt=True)
    tree = struct_tree(reader)
    shown = marked_text(reader)
    assert all("/Scope" in resolve(element["/A"]) for element in tree if element["/S"] == "/TH")
    levels = [int(e["/S"][2:]) for e in tree if re.fullmatch(r"/H[1-6]", e["/S"])]
    assert all(after - before <= 1 for before, after in pairwise(levels))
    footers = [mcid for _, text, mcid in shown if re.fullmatch(r"Page \d+", text.strip())]
    assert footers and footers == [None] * len(footers)
    assert "Confidential: sale of a children's home" in [
        _text(reader, element, shown) for element in tree if element["/S"] == "/H3"
    ]


def test_every_page_of_the_exempt_pack_is_marked_not_for_publication(meeting):
    marking = "NOT FOR PUBLICATION: exempt information under paragraph 3 of Schedule 12A"
    reader = pack(meeting, exempt=True)
    shown = marked_text(reader)

    marked = {page for page, text, mcid in shown if text.strip() == marking}
    assert marked == set(range(len(reader.pages)))
    # A running head, so an artifact like the page numbers, never content.
    assert all(mcid is None for _, text, mcid in shown if text.strip() == marking)
    public = pack(meeting)
    assert "NOT FOR PUBLICATION" not in "".join(page.extract_text() for page in public.pages)


def test_a_list_lettered_by_hand_has_one_marker():
    html = render_markdown("- a) note the report\n- b) agree the plan")
    assert html == '<ol type="a">\n<li>note the report</li>\n<li>agree the plan</li>\n</ol>'


def test_a_lettered_list_prints_its_letters_not_numbers_wherever_it_stands():
    # Minutes' resolutions are lettered too, and are not report paragraphs.
    html = (
        '<html lang="en-GB"><head><title>Minutes</title></head><body><h1>Minutes</h1>'
        + render_markdown("Resolved: that\n\n- a) the plan be noted; and\n- b) approved.")
        + "</body></html>"
    )
    pdf, _ = render_pdf(html)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    assert "a." in text and "b." in text
    assert "1." not in text


def _page_of(reader: PdfReader, element) -> int:
    pages = [page.indirect_reference.idnum for page in reader.pages]
    return pages.index(element.raw_get("/Pg").idnum)


def _text(reader: PdfReader, element, shown: list[tuple[int, str, int | None]]) -> str:
    """The text of an element's content, through the page's marked content."""
    wanted = {
        (_page_of(reader, part), kid)
        for part in [element, *elements(element)]
        for kid in kids(part)
        if isinstance(kid, int)
    }
    for part in [element, *elements(element)]:
        for kid in kids(part):
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                wanted.add((_page_of(reader, kid), int(kid["/MCID"])))
    return "".join(text for page, text, mcid in shown if (page, mcid) in wanted)
