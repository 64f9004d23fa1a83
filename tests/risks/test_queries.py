"""The risk register runs the same queries for one risk as for three."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.risks.factories import RiskActionFactory, RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _october_2024(on_day):
    on_day(2024, 10, 15)  # 2024/25 P7


def _reviewed_risk(ref: str) -> None:
    risk = RiskFactory(ref=ref)
    review(risk, "2024/25 P6", 2, 3, on=date(2024, 10, 1))
    review(risk, "2024/25 P7", 3, 3, on=date(2024, 10, 14))
    RiskActionFactory(risk=risk)


def test_the_register_runs_the_same_queries_for_one_risk_or_three(
    officer_client, django_assert_num_queries
):
    _reviewed_risk("CR 01")
    url = reverse("risks:risk_list")
    with django_assert_num_queries(13):
        assert officer_client.get(url).status_code == 200

    _reviewed_risk("CR 02")
    _reviewed_risk("CR 03")

    with django_assert_num_queries(13):
        assert officer_client.get(url).status_code == 200
