"""Dates are typed as day, month and year in three boxes (the GOV.UK date input)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.urls import reverse

from committee.models import Meeting
from nct_monitor.forms import DateInput, Form
from tests.committee.factories import CommitteeFactory


class ReviewForm(Form):
    reviewed_on = forms.DateField(label="Date reviewed", widget=DateInput())


def test_a_date_shows_as_day_month_and_year_boxes_in_a_fieldset():
    html = ReviewForm(initial={"reviewed_on": datetime.date(2024, 3, 6)}).as_div()
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date reviewed' in html
    assert 'type="date"' not in html
    for name, label, value in (
        ("day", "Day", "6"),
        ("month", "Month", "3"),
        ("year", "Year", "2024"),
    ):
        assert f'name="reviewed_on_{name}"' in html
        assert f">{label}</label>" in html
        box = f'name="reviewed_on_{name}" type="text" inputmode="numeric" spellcheck="false"'
        assert f'{box} value="{value}"' in html


def test_the_three_boxes_clean_to_one_date():
    form = ReviewForm(
        data={"reviewed_on_day": "6", "reviewed_on_month": "03", "reviewed_on_year": "2024"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reviewed_on"] == datetime.date(2024, 3, 6)


def test_a_date_that_does_not_exist_is_refused_by_name_and_the_typed_values_stay():
    form = ReviewForm(
        data={"reviewed_on_day": "31", "reviewed_on_month": "2", "reviewed_on_year": "2024"}
    )
    assert not form.is_valid()
    assert form.errors["reviewed_on"] == [
        "Date reviewed must be a real date, with a day, month and year, like 6 3 2024"
    ]
    html = form.as_div()
    assert (
        'name="reviewed_on_day" type="text" inputmode="numeric" spellcheck="false" value="31"'
        in html
    )
    assert "govuk-input--error" in html and "govuk-form-group--error" in html


def test_a_missing_part_is_refused_and_an_empty_date_is_required():
    partial = ReviewForm(
        data={"reviewed_on_day": "6", "reviewed_on_month": "", "reviewed_on_year": "2024"}
    )
    assert not partial.is_valid()
    assert "must be a real date" in partial.errors["reviewed_on"][0]
    empty = ReviewForm(data={})
    assert not empty.is_valid()
    assert empty.errors["reviewed_on"] == ["Enter date reviewed"]


@pytest.mark.django_db
def test_a_clerk_adds_a_meeting_typing_its_date_in_three_boxes(clerk_client, contract):
    committee = CommitteeFactory()
    url = reverse("committee:meeting_add", args=[committee.pk])
    page = clerk_client.get(url).content.decode()
    assert 'name="date_day"' in page and 'name="date_year"' in page
    response = clerk_client.post(
        url,
        {
            "date_day": "5",
            "date_month": "6",
            "date_year": "2024",
            "time": "14:00",
            "venue": "Council Chamber",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(committee=committee).date == datetime.date(2024, 6, 5)
    refused = clerk_client.post(
        url,
        {
            "date_day": "5",
            "date_month": "13",
            "date_year": "2024",
            "time": "14:00",
            "venue": "Elsewhere",
        },
    )
    assert refused.status_code == 200
    assert "Date must be a real date" in refused.content.decode()
    assert Meeting.objects.filter(committee=committee).count() == 1
