"""Writes to the register: reviews, status and actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from nct_monitor.services import sign_off_period
from risks import services
from risks.choices import ActionStatus, RiskStatus
from risks.models import Risk, RiskReview
from risks.services import fields_of
from tests.factories import period
from tests.risks.factories import RiskActionFactory, RiskFactory
from tests.risks.helpers import review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _october_2024(on_day):
    on_day(2024, 10, 15)  # 2024/25 P7


def test_a_review_for_the_latest_period_becomes_the_current_score_and_position():
    risk = RiskFactory(current_probability=3, current_impact=4)

    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1), position="Demand rising")

    risk.refresh_from_db()
    assert (risk.current_probability, risk.current_impact) == (4, 4)
    assert risk.current_score.value == 16
    assert risk.current_position == "Demand rising"
    assert risk.further_actions == "Keep under review"


def test_a_first_review_keeps_the_score_the_register_held_before_it():
    risk = RiskFactory(current_probability=3, current_impact=4)

    first = review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    assert first.previous_score is not None and first.previous_score.value == 12


def test_a_later_review_does_not_keep_a_score_before_it():
    risk = RiskFactory()
    review(risk, "2024/25 P5", 3, 4, on=date(2024, 9, 1))

    second = review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    assert second.previous_score is None


def test_recording_a_period_again_corrects_its_review():
    risk = RiskFactory()
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    review(risk, "2024/25 P6", 4, 5, on=date(2024, 10, 2))

    assert RiskReview.objects.filter(risk=risk).count() == 1
    risk.refresh_from_db()
    assert risk.current_score.value == 20


def test_a_review_for_an_earlier_period_leaves_the_current_score_alone():
    risk = RiskFactory()
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    review(risk, "2024/25 P3", 2, 4, on=date(2024, 7, 1))

    risk.refresh_from_db()
    assert risk.current_score.value == 16


def test_a_review_added_before_the_first_one_takes_over_its_starting_score():
    risk = RiskFactory(current_probability=3, current_impact=4)
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    earlier = review(risk, "2024/25 P3", 2, 4, on=date(2024, 7, 1))

    assert earlier.previous_score is not None and earlier.previous_score.value == 12


def test_a_signed_off_period_s_review_cannot_be_recorded(officer):
    risk = RiskFactory(current_probability=3, current_impact=4)
    sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    with pytest.raises(ValidationError) as refused:
        review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))

    assert refused.value.message_dict["period"] == [
        "2024/25 P6 is signed off, so its data cannot be changed. An administrator can "
        "reopen it, giving a reason."
    ]
    assert not RiskReview.objects.exists()
    risk.refresh_from_db()
    assert risk.current_score.value == 12


def test_a_review_of_a_signed_off_period_cannot_be_corrected(officer):
    risk = RiskFactory()
    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))
    sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    with pytest.raises(ValidationError, match="signed off"):
        review(risk, "2024/25 P6", 2, 2, on=date(2024, 10, 1))

    assert RiskReview.objects.get().score.value == 16


def test_a_period_not_yet_started_cannot_be_reviewed():
    risk = RiskFactory()

    with pytest.raises(ValidationError) as refused:
        review(risk, "2024/25 P8", 4, 4, on=date(2024, 10, 1))

    assert refused.value.message_dict["period"] == [
        "2024/25 P8 has not started yet; review a period up to this one."
    ]


def test_a_review_dated_before_the_risk_was_raised_is_refused():
    risk = RiskFactory(date_raised=date(2024, 9, 10))

    with pytest.raises(ValidationError) as refused:
        review(risk, "2024/25 P6", 4, 4, on=date(2024, 9, 1))

    assert refused.value.message_dict["reviewed_on"] == [
        f"The date reviewed cannot be before {risk.ref} was raised on 10/09/2024."
    ]


def test_a_closed_risk_is_not_reviewed():
    risk = RiskFactory(status=RiskStatus.CLOSED, status_date=date(2024, 5, 1))

    with pytest.raises(ValidationError, match="is closed, so it is no longer reviewed"):
        review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1))


def test_closing_a_risk_needs_its_date(officer):
    risk = RiskFactory()

    with pytest.raises(ValidationError) as refused:
        services.set_risk_status(
            risk=risk, status=RiskStatus.CLOSED, status_date=None, user=officer
        )

    assert "give the date it was closed" in refused.value.message_dict["status_date"][0]
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def test_a_risk_cannot_close_before_it_was_raised(officer):
    risk = RiskFactory(date_raised=date(2022, 5, 9))

    with pytest.raises(ValidationError) as refused:
        services.set_risk_status(
            risk=risk, status=RiskStatus.CLOSED, status_date=date(2022, 5, 1), user=officer
        )

    assert refused.value.message_dict["status_date"] == [
        f"Risk {risk.ref} cannot be closed on 01/05/2022, before it was raised on 09/05/2022."
    ]


def test_reopening_a_risk_clears_its_date(officer):
    risk = RiskFactory(status=RiskStatus.TRANSFERRED, status_date=date(2024, 5, 1))

    services.set_risk_status(
        risk=risk, status=RiskStatus.OPEN, status_date=date(2024, 5, 1), user=officer
    )

    risk.refresh_from_db()
    assert (risk.status, risk.status_date) == (RiskStatus.OPEN, None)


def test_every_change_to_a_risk_is_in_its_history_with_who_and_why(officer):
    risk = RiskFactory()

    review(risk, "2024/25 P6", 4, 4, on=date(2024, 10, 1), user=officer)

    latest = risk.history.order_by("-history_id").first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Reviewed for 2024/25 P6"
    assert (latest.current_probability, latest.current_impact) == (4, 4)


def test_saving_a_risk_unchanged_writes_nothing():
    risk = RiskFactory()
    before = risk.history.count()

    _, changed = services.save_risk(data=fields_of(risk), user=None)

    assert changed is False
    assert risk.history.count() == before


def test_a_risk_s_number_is_stored_in_one_spelling():
    data = replace(fields_of(RiskFactory.build()), ref=" for  05 ")

    risk, _ = services.save_risk(data=data, user=None)

    assert risk.ref == "FOR 05"
    assert Risk.objects.get().ref == "FOR 05"


def test_a_probability_outside_1_to_5_is_not_saved():
    data = replace(fields_of(RiskFactory.build()), current_probability=6)

    with pytest.raises(ValidationError) as refused:
        services.save_risk(data=data, user=None)

    assert "current_probability" in refused.value.message_dict
    assert not Risk.objects.exists()


def test_an_action_past_its_due_date_and_not_complete_is_overdue():
    action = RiskActionFactory(due_date=date(2024, 10, 14))

    assert action.is_overdue_on(date(2024, 10, 15)) is True
    assert action.is_overdue_on(date(2024, 10, 14)) is False


def test_a_complete_action_is_never_overdue(officer):
    action = RiskActionFactory(due_date=date(2024, 1, 1))

    services.save_action(
        risk=action.risk,
        action=action,
        description=action.description,
        owner=action.owner,
        due_date=action.due_date,
        status=ActionStatus.COMPLETE,
        user=officer,
    )

    action.refresh_from_db()
    assert action.is_overdue_on(date(2024, 10, 15)) is False
