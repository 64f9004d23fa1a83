"""The tracker writes £'000 as the committee pack's savings appendix does, so a figure reads the
same on the page and in the papers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from committee.appendices import build_appendix
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, SavingsPositionFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr\b.*?</tr>", re.S)
NUMERIC_CELL = re.compile(r'<td class="[^"]*govuk-table__cell--numeric[^"]*">(.*?)</td>', re.S)


def figures_of_row(html: str, title: str) -> list[str]:
    """The text of the numeric cells in the table row that names `title`."""
    row = next(row for row in ROW.findall(html) if title in row)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in NUMERIC_CELL.findall(row)]


def test_the_tracker_and_the_pack_appendix_print_a_position_in_the_same_whole_thousands(
    member_client, contract
):
    line = SavingsLineFactory(title="Review of Contracts")
    SavingsPositionFactory(
        line=line, at="2023/24 P9", target=Decimal("1247500.00"), amber=Decimal("1247500.00")
    )

    tracker = member_client.get(reverse("savings:tracker", kwargs={"year": 2023, "period": 9}))
    appendix = build_appendix("savings_rag", period("2023/24 P9"))
    pack = render_to_string(appendix.template, {"data": appendix.context})

    # Target, red, amber, green, mitigations and shortfall.
    expected = ["1,248", "0", "1,248", "0", "0", "0"]
    assert figures_of_row(tracker.content.decode(), "Review of Contracts") == expected
    assert figures_of_row(pack, "Review of Contracts") == expected
