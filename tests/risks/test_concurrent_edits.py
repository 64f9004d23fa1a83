"""Two officers reviewing the same risk for the same period: the second review, made without
seeing the first, is refused and shows it; nothing of it is written."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from nct_monitor.concurrency import NEW, NOTHING_SAVED, EditConflict, Stamp
from nct_monitor.roles import OFFICER
from risks import services
from risks.models import Risk, RiskReview
from tests.factories import period
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _october_2024(on_day):
    on_day(2024, 10, 15)  # 2024/25 P7, at noon


@pytest.fixture
def alex(make_user):
    return make_user(OFFICER, username="alex", first_name="Alex", last_name="Morgan")


@pytest.fixture
def risk(db):
    return RiskFactory(ref="CR 01")


def record(risk, user, probability, impact, *, expected, position="Demand rising"):
    return services.record_review(
        risk=risk,
        period=period("2024/25 P7"),
        probability=probability,
        impact=impact,
        position=position,
        further_actions="Weekly demand meeting",
        reviewer="Director of Children's Social Care",
        reviewed_on=date(2024, 10, 14),
        user=user,
        expected=expected,
    )


def test_a_review_someone_else_recorded_first_is_not_overwritten(risk, alex, officer):
    record(risk, alex, 4, 4, expected=NEW)

    with pytest.raises(EditConflict) as refused:
        record(risk, officer, 2, 4, expected=NEW, position="Demand easing")

    assert refused.value.messages == [
        "Alex Morgan added the 2024/25 P7 review of CR 01 at 12:00 on 15 October 2024, after "
        "you opened it: Current probability 4 High (75%) (you entered 2 Low (25%)); Current "
        "score 16 (you entered 8); different text in Current position.",
        NOTHING_SAVED,
    ]
    review = RiskReview.objects.get()
    assert (review.probability, review.position, review.version) == (4, "Demand rising", 1)
    assert (Risk.objects.get().current_probability, RiskReview.history.count()) == (4, 1)


def test_a_review_changed_since_it_was_shown_is_not_overwritten(risk, alex, officer):
    shown = Stamp.of(record(risk, officer, 3, 4, expected=NEW))
    record(risk, alex, 4, 4, expected=shown)

    with pytest.raises(EditConflict) as refused:
        record(risk, officer, 2, 4, expected=shown)

    assert refused.value.changes[0].action == "changed"
    review = RiskReview.objects.get()
    assert (review.probability, review.version) == (4, 2)


def test_a_review_corrected_from_the_version_shown_adds_one_to_it(risk, officer):
    shown = Stamp.of(record(risk, officer, 3, 4, expected=NEW))

    corrected = record(risk, officer, 2, 4, expected=shown)

    assert (corrected.version, Risk.objects.get().current_probability) == (2, 2)


def review_post(**changes):
    data = {
        "period": "2024:7",
        "probability": "2",
        "impact": "4",
        "position": "Demand easing",
        "further_actions": "Monthly demand meeting",
        "reviewer": "Head of Safeguarding",
        "reviewed_on": "2024-10-15",
        "versions": "",
    }
    data.update(changes)
    return data


def test_the_review_page_shows_the_current_review_and_the_other_change(officer_client, risk, alex):
    url = reverse("risks:riskreview_add", args=[risk.pk])
    opened = officer_client.get(url).context["form"]
    assert opened["versions"].value() == ""
    record(risk, alex, 4, 4, expected=NEW)

    response = officer_client.post(url, review_post())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alex Morgan added the 2024/25 P7 review of CR 01 at 12:00 on 15 October 2024" in html
    assert "Saved by Alex Morgan" in html
    assert "Demand easing" in html  # what was typed, beside theirs
    form = response.context["form"]
    saved = RiskReview.objects.get()
    # The figures are the review as saved now, at its version; who reviewed stays as typed.
    assert {
        name: form[name].value()
        for name in ("probability", "impact", "position", "reviewer", "versions")
    } == {
        "probability": "4",
        "impact": "4",
        "position": "Demand rising",
        "reviewer": "Head of Safeguarding",
        "versions": f"2024:7={saved.pk}:1",
    }
    assert (saved.probability, saved.version) == (4, 1)


def test_saving_again_from_the_refreshed_review_page_succeeds(officer_client, risk, alex):
    url = reverse("risks:riskreview_add", args=[risk.pk])
    saved = record(risk, alex, 4, 4, expected=NEW)
    officer_client.post(url, review_post())

    response = officer_client.post(url, review_post(versions=f"2024:7={saved.pk}:1"))

    assert response.status_code == 302
    review = RiskReview.objects.get()
    assert (review.probability, review.position, review.version) == (2, "Demand easing", 2)


def test_correcting_a_review_opens_the_form_on_it(officer_client, risk, alex):
    saved = record(risk, alex, 4, 3, expected=NEW, position="As reviewed")
    detail = officer_client.get(reverse("risks:risk_detail", args=[risk.pk])).content.decode()
    url = reverse("risks:riskreview_add", args=[risk.pk])
    assert f"{url}?period=2024:7" in detail

    form = officer_client.get(url, {"period": "2024:7"}).context["form"]

    assert {
        name: form[name].value() for name in ("period", "probability", "impact", "position")
    } == {"period": "2024:7", "probability": 4, "impact": 3, "position": "As reviewed"}
    assert form["versions"].value() == f"2024:7={saved.pk}:1"
