"""The overview runs the same queries for one risk, meeting and pack as for three."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from committee.choices import PackStatus, PackVariant
from committee.models import AgendaPack
from tests.committee.factories import MeetingFactory
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db

URL = reverse("dashboard_period", args=[2024, 7])


def _rows(number: int) -> None:
    """A reviewed risk, and a meeting to come with a published pack."""
    risk = RiskFactory(ref=f"CR {number:02d}")
    review(risk, "2024/25 P7", 4, 4, on=date(2024, 10, 14))
    meeting = MeetingFactory(date=date(2030, 1, number))
    AgendaPack.objects.create(
        meeting=meeting, variant=PackVariant.PUBLIC, version=1, status=PackStatus.PUBLISHED
    )


def test_the_overview_runs_the_same_queries_for_one_row_or_three(
    contract, member_client, django_assert_num_queries
):
    _rows(1)
    member_client.get(URL)  # the session and the cache's generation, set up once
    with django_assert_num_queries(54):
        assert member_client.get(URL).status_code == 200

    _rows(2)
    _rows(3)

    with django_assert_num_queries(54):
        response = member_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CR 03" in html
    assert "3 January 2030: public pack, version 1" in html
