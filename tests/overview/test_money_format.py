"""The dashboard writes every amount one way: £m to 3 decimals, as the papers' narrative does."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_writes_money_in_millions_only(contract, member_client):
    from contracts import demo

    demo.load()
    html = member_client.get(reverse("dashboard_period", args=[2024, 1])).content.decode()
    shares = re.findall(r'<span class="nct-share">(.*?)</span>', html)
    assert shares  # the contract sums are split between the councils
    for line in shares:
        assert re.fullmatch(r"\w+ −?£[\d,]+\.\d{3}m( · \w+ −?£[\d,]+\.\d{3}m)*", line), line
    assert not re.search(r"£[\d,]+\.\d{2}(?!\d)", html)  # no pounds and pence
    assert "£'000" not in html
