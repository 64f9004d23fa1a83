"""A chart in the pack is a tagged /Figure whose /Alt says what it shows, and its data a Table."""

from __future__ import annotations

import pytest

from committee.choices import AppendixKind
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.committee.test_pdfua import _text, elements, marked_text, pack, struct_tree
from tests.factories import period

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(contract):
    from contracts import demo

    demo.load()
    meeting = MeetingFactory()
    report = ReportFactory(title="Contract sum 2024/25", data_period=period("2024/25 P1"))
    report.appendices.create(
        letter="A", kind=AppendixKind.CONTRACT_SUM_MTFP, title="Contract sum and MTFP"
    )
    AgendaItemFactory(meeting=meeting, number=1, subject="Contract sum", report=report)
    return meeting


def test_a_chart_is_a_figure_with_alt_text_and_its_data_stays_a_table(meeting):
    reader = pack(meeting)
    figures = [element for element in struct_tree(reader) if element["/S"] == "/Figure"]
    assert len(figures) == 1
    alt = str(figures[0].get("/Alt", ""))
    assert alt.startswith("MTFP build-up 2024/25.")
    assert "net contract sum of £177.429m" in alt  # what the chart shows, not only its title
    shown = marked_text(reader)
    data = [
        element
        for element in struct_tree(reader)
        if element["/S"] == "/Table"
        and "Data for “MTFP build-up 2024/25”" in _text(reader, element, shown)
    ]
    assert len(data) == 1
    cells = [
        _text(reader, cell, shown) for cell in elements(data[0]) if cell["/S"] in ("/TH", "/TD")
    ]
    assert "Net contract sum" in cells and "£177.429m" in cells
