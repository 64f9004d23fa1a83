"""The committee's pages run the same queries for one row as for three."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from committee.choices import PackStatus, PackVariant
from committee.models import AgendaPack, Minutes
from tests.committee.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    MeetingFactory,
    MemberFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db


def _published_pack(meeting) -> None:
    AgendaPack.objects.create(
        meeting=meeting, variant=PackVariant.PUBLIC, version=1, status=PackStatus.PUBLISHED
    )


def _meeting_on(day: date):
    meeting = MeetingFactory(date=day)
    _published_pack(meeting)
    return meeting


def test_the_meeting_list_runs_the_same_queries_for_one_meeting_or_three(
    clerk_client, contract, django_assert_num_queries
):
    _meeting_on(date(2024, 3, 6))
    url = reverse("committee:meeting_list")
    with django_assert_num_queries(11):
        assert clerk_client.get(url).status_code == 200

    _meeting_on(date(2024, 6, 5))
    _meeting_on(date(2024, 9, 4))

    with django_assert_num_queries(11):
        assert clerk_client.get(url).status_code == 200


def test_the_committee_page_runs_the_same_queries_for_one_member_or_three(
    clerk_client, contract, django_assert_num_queries
):
    committee = CommitteeFactory()
    MemberFactory(committee=committee)
    url = reverse("committee:committee_detail", args=[committee.pk])
    with django_assert_num_queries(7):
        assert clerk_client.get(url).status_code == 200

    MemberFactory.create_batch(2, committee=committee)

    with django_assert_num_queries(7):
        assert clerk_client.get(url).status_code == 200


def test_the_meeting_page_runs_the_same_queries_for_one_report_or_three(
    clerk_client, contract, django_assert_num_queries
):
    meeting = _meeting_on(date(2024, 3, 6))
    AgendaItemFactory(meeting=meeting, report=ReportFactory())
    url = reverse("committee:meeting_detail", args=[meeting.pk])
    with django_assert_num_queries(11):
        assert clerk_client.get(url).status_code == 200

    AgendaItemFactory(meeting=meeting, report=ReportFactory())
    AgendaItemFactory(meeting=meeting, report=ReportFactory())

    with django_assert_num_queries(11):
        assert clerk_client.get(url).status_code == 200


def _minutes_of(meeting, day: date) -> None:
    earlier = MeetingFactory(date=day)
    Minutes.objects.create(meeting=earlier)
    AgendaItemFactory(meeting=meeting, minutes_of=earlier)


def test_the_meeting_page_runs_the_same_queries_for_one_set_of_minutes_or_three(
    clerk_client, contract, django_assert_num_queries
):
    meeting = _meeting_on(date(2024, 3, 6))
    _minutes_of(meeting, date(2023, 12, 6))
    url = reverse("committee:meeting_detail", args=[meeting.pk])
    with django_assert_num_queries(10):
        assert clerk_client.get(url).status_code == 200

    _minutes_of(meeting, date(2023, 9, 6))
    _minutes_of(meeting, date(2023, 6, 7))

    with django_assert_num_queries(10):
        assert clerk_client.get(url).status_code == 200
