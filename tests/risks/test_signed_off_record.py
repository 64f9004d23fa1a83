"""A signed-off period shows the risk register as it stood when it was signed off.

Risks are edited, rescored and closed every month, so refusing those writes would stop the
register; instead the period reads the register's history at its sign-off. Every view of the
period reads it so: the summary, its printed figures and the risk extract appendix.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from committee.appendices import risk_extract
from nct_monitor.records import period_figures
from nct_monitor.services import reopen_period, sign_off_period
from risks import selectors, services
from risks.choices import RiskStatus
from risks.models import Risk
from tests.factories import period
from tests.risks.factories import RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db

REASON = "Gaps accepted for this test"


def refs(label: str) -> dict[str, int]:
    summary = selectors.summary(as_at=period(label))
    return {item["ref"]: item["current_score"] for item in summary["risks"]}


@pytest.fixture
def signed_off(officer) -> Risk:
    """FOR 05 raised in April 2023 at 20, reviewed to 25 in P8; 2023/24 P9 signed off."""
    risk = RiskFactory(
        ref="FOR 05", date_raised=date(2023, 4, 3), current_probability=4, current_impact=5
    )
    review(risk, "2023/24 P8", 5, 5, on=date(2023, 11, 28))
    sign_off_period(period=period("2023/24 P9"), user=officer, exceptions_reason=REASON)
    return Risk.objects.get(pk=risk.pk)


def test_a_risk_added_after_sign_off_is_not_on_the_period_s_register(officer, signed_off):
    RiskFactory(ref="CR 07", date_raised=date(2023, 6, 1))

    assert refs("2023/24 P9") == {"FOR 05": 25}
    assert refs("2023/24 P10") == {"FOR 05": 25, "CR 07": 12}
    assert "Risk CR 07, current score" not in period_figures(period("2023/24 P9"))


def test_rescoring_and_renumbering_leave_the_signed_off_period_as_it_was(officer, signed_off):
    services.save_risk(
        data=replace(
            services.fields_of(signed_off),
            ref="FOR 50",
            target_probability=1,
            target_impact=1,
            date_raised=date(2024, 1, 2),
        ),
        risk=signed_off,
        user=officer,
    )
    review(Risk.objects.get(pk=signed_off.pk), "2023/24 P10", 2, 2, on=date(2024, 1, 20))

    summary = selectors.summary(as_at=period("2023/24 P9"))
    assert [(r["ref"], r["current_score"], r["target_score"]) for r in summary["risks"]] == [
        ("FOR 05", 25, 8)
    ]
    assert refs("2023/24 P10") == {"FOR 50": 4}
    assert period_figures(period("2023/24 P9"))["Risk FOR 05, current score"] == "25"


def test_a_risk_closed_inside_a_signed_off_period_stays_open_there(officer, signed_off):
    services.set_risk_status(
        risk=signed_off, status=RiskStatus.CLOSED, status_date=date(2023, 12, 1), user=officer
    )

    (item,) = selectors.register(as_at=period("2023/24 P9"))
    assert item.status == RiskStatus.OPEN
    assert "FOR 05" in str(risk_extract(period("2023/24 P9")).context)
    (later,) = selectors.register(as_at=period("2023/24 P10"))
    assert later.status == RiskStatus.CLOSED


def test_a_review_of_an_open_earlier_period_leaves_a_signed_off_one_as_it_was(signed_off):
    # P8 stayed open while P9 was signed off; correcting its review reaches P9 only by
    # reopening P9.
    review(Risk.objects.get(pk=signed_off.pk), "2023/24 P8", 2, 5, on=date(2023, 11, 28))

    assert refs("2023/24 P8") == {"FOR 05": 10}
    assert refs("2023/24 P9") == {"FOR 05": 25}


def test_reopening_and_signing_off_again_shows_the_register_as_it_then_stands(
    admin_user, officer, signed_off
):
    RiskFactory(ref="CR 07", date_raised=date(2023, 6, 1))
    reopen_period(period=period("2023/24 P9"), user=admin_user, reason="CR 07 was missed")
    assert refs("2023/24 P9") == {"FOR 05": 25, "CR 07": 12}

    sign_off_period(period=period("2023/24 P9"), user=officer, exceptions_reason=REASON)

    assert refs("2023/24 P9") == {"FOR 05": 25, "CR 07": 12}
