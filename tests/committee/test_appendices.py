"""Appendices come from the same selectors as the apps' own pages, as at the report's period."""

from __future__ import annotations

import pytest

from committee.appendices import build_appendix
from risks.choices import RiskStatus
from tests.factories import period
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def test_the_risk_extract_lists_high_and_very_high_open_risks_and_counts_the_rest():
    RiskFactory(ref="CR 01", current_probability=5, current_impact=4)  # 20 very high
    RiskFactory(ref="CR 02", current_probability=3, current_impact=4)  # 12 high
    RiskFactory(ref="CR 03", current_probability=2, current_impact=2)  # 4 medium
    RiskFactory(
        ref="CR 04",
        current_probability=5,
        current_impact=5,
        status=RiskStatus.CLOSED,
        status_date="2023-01-01",
    )

    content = build_appendix("risk_extract", period("2023/24 P9"))

    groups = {
        band.key: [p.risk.ref for p in positions] for band, positions in content.context["groups"]
    }
    assert groups == {"very_high": ["CR 01"], "high": ["CR 02"]}
    assert {band.key: count for band, count in content.context["counted"]} == {
        "medium": 1,
        "low": 0,
    }
    assert content.context["open_count"] == 3


def test_a_period_with_no_risks_says_so_instead_of_printing_an_empty_table():
    content = build_appendix("risk_extract", period("2023/24 P9"))
    assert not content.has_data
    assert content.empty_message == "No open risks are recorded on the register at 2023/24 P9."
