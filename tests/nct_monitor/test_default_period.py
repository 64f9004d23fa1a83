"""Every page opens at one period, chosen by one rule (`default_period`)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from nct_monitor.choices import PeriodStatus
from nct_monitor.models import Period
from nct_monitor.selectors import default_period
from risks.models import Risk
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, result
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db


def _sign_off(label: str) -> None:
    Period.objects.filter(pk=period(label).pk).update(status=PeriodStatus.SIGNED_OFF)


def test_pages_open_at_the_latest_period_any_app_holds_data_for(contract):
    position(SavingsLineFactory(), "2023/24 P7", green=10)
    result(KpiDefinitionFactory(), "2023/24 P9", "60")
    risk: Risk = RiskFactory()
    review(risk, "2023/24 P8", 3, 3, on=date(2023, 11, 30))

    assert default_period() == period("2023/24 P9")


def test_data_in_a_later_period_wins_over_an_earlier_sign_off(contract):
    _sign_off("2023/24 P6")
    position(SavingsLineFactory(), "2023/24 P8", green=10)

    assert default_period() == period("2023/24 P8")


def test_without_data_pages_open_at_the_latest_signed_off_period(contract):
    _sign_off("2023/24 P6")

    assert default_period(today=date(2024, 5, 20)) == period("2023/24 P6")


def test_without_data_or_sign_off_pages_open_at_the_period_today_falls_in(contract):
    assert default_period(today=date(2024, 5, 20)) == period("2024/25 P2")


def test_after_the_contract_s_last_year_pages_open_at_its_last_period(contract):
    assert default_period(today=date(2040, 1, 1)) == period("2026/27 P12")


def test_before_the_contract_s_first_year_pages_open_at_its_first_period(contract):
    assert default_period(today=date(2001, 1, 1)) == period("2020/21 P1")


@pytest.mark.parametrize(
    "url_name", ["kpis:index", "kpis:breaches_index", "kpis:results_index", "savings:index"]
)
def test_every_section_opens_at_the_same_period(officer_client, contract, url_name):
    position(SavingsLineFactory(), "2023/24 P7", green=10)
    result(KpiDefinitionFactory(), "2023/24 P9", "60")

    response = officer_client.get(reverse(url_name))

    assert response.status_code == 302
    assert "/p9/" in response["Location"]
    assert "2023" in response["Location"]


def test_the_dashboard_opens_at_the_same_period(member_client, contract):
    position(SavingsLineFactory(), "2023/24 P7", green=10)
    result(KpiDefinitionFactory(), "2023/24 P9", "60")

    response = member_client.get(reverse("home"))

    assert response.context["period"] == period("2023/24 P9")
