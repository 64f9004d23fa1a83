from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from committee.models import AgendaItem, ReportSection
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_removes_an_agenda_item_and_is_taken_back_to_the_meeting(clerk_client, contract):
    item = AgendaItemFactory(number=3, subject="Apologies")
    url = reverse("committee:agendaitem_delete", args=[item.meeting_id, item.pk])

    response = clerk_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("committee:meeting_detail", args=[item.meeting_id])
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Item 03 Apologies is removed from the agenda."
    ]


def test_an_agenda_item_is_not_removed_through_another_meetings_address(clerk_client, contract):
    item = AgendaItemFactory()
    other = MeetingFactory(date=item.meeting.date.replace(year=2025))
    url = reverse("committee:agendaitem_delete", args=[other.pk, item.pk])

    assert clerk_client.post(url).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_removing_takes_a_post(clerk_client, contract):
    item = AgendaItemFactory()
    url = reverse("committee:agendaitem_delete", args=[item.meeting_id, item.pk])

    assert clerk_client.get(url).status_code == 405
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_member_cannot_remove_a_section(member_client, contract):
    section = ReportFactory().sections.get(number=1)
    url = reverse("committee:reportsection_delete", args=[section.report_id, section.pk])

    assert member_client.post(url).status_code == 403
    assert ReportSection.objects.filter(pk=section.pk).exists()


def test_an_officer_removes_a_section_and_is_taken_back_to_the_report(officer_client, contract):
    section = ReportFactory().sections.get(number=2)
    url = reverse("committee:reportsection_delete", args=[section.report_id, section.pk])

    response = officer_client.post(url)

    assert response["Location"] == reverse("committee:report_detail", args=[section.report_id])
    assert not ReportSection.objects.filter(pk=section.pk).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Section 2 is removed."]
