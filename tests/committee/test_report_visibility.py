"""Drafts are for those who write and publish reports; members read final reports, exempt too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee.choices import ReportStatus
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Draft: options for the residential homes"


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(
        meeting=meeting,
        number=1,
        subject="Residential homes",
        report=ReportFactory(title=DRAFT_TITLE, status=ReportStatus.DRAFT),
    )
    AgendaItemFactory(
        meeting=meeting,
        number=2,
        subject="A placement decision",
        exempt=True,
        exempt_paragraph=1,
        report=ReportFactory(title="Placement costs", exempt=True, exempt_paragraph=1),
    )
    return meeting


def report_urls(meeting, number):
    report = meeting.items.get(number=number).report
    return [
        reverse("committee:report_detail", args=[report.pk]),
        reverse("committee:report_pdf", args=[report.pk]),
    ]


def test_a_member_cannot_read_a_draft_report_nor_see_its_title(meeting, member_client):
    for url in report_urls(meeting, 1):
        assert member_client.get(url).status_code == 404, url
    page = member_client.get(reverse("committee:meeting_detail", args=[meeting.pk]))
    html = page.content.decode()
    assert DRAFT_TITLE not in html
    assert "A report is being written" in html


@pytest.mark.parametrize("who", ["officer_client", "clerk_client", "admin_client"])
def test_those_who_write_and_publish_reports_read_drafts(meeting, who, request):
    client = request.getfixturevalue(who)
    for url in report_urls(meeting, 1):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()
    assert DRAFT_TITLE in html


def test_a_member_reads_a_final_exempt_report(meeting, member_client):
    for url in report_urls(meeting, 2):
        assert member_client.get(url).status_code == 200, url
