"""The pack's information page and the committee details it prints, edited by a clerk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committee.models import Committee
from committee.packs import pack_html
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=4, subject="Savings", report=ReportFactory())
    AgendaItemFactory(
        meeting=meeting,
        number=5,
        subject="Sale of a children's home",
        exempt=True,
        exempt_paragraph=3,
        report=ReportFactory(title="Confidential: sale"),
    )
    return meeting


def _edit(client, committee, **changes):
    data = {
        "name": committee.name,
        "administrator": "Raj Sohal, Democratic Services",
        "administrator_email": "",
        "monitoring_officer_email": "",
        "press_email": "",
        "enquiries_email": "",
        **changes,
    }
    return client.post(reverse("committee:committee_edit", args=[committee.pk]), data)


def test_a_clerk_records_the_contacts_and_the_pack_prints_them(clerk_client, meeting):
    committee = meeting.committee
    response = _edit(
        clerk_client,
        committee,
        monitoring_officer_email="monitoringofficer@example.gov.uk",
        enquiries_email="democraticservices@example.gov.uk",
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.enquiries_email == "democraticservices@example.gov.uk"
    assert committee.history.count() == 2  # created, then edited: the change is audited
    page = clerk_client.get(reverse("committee:committee_detail", args=[committee.pk]))
    assert "monitoringofficer@example.gov.uk" in page.content.decode()
    html = pack_html(meeting, exempt=False)
    assert "Members' declarations of interest" in html
    assert "ask the Monitoring Officer" in html
    assert 'href="mailto:monitoringofficer@example.gov.uk"' in html
    assert "Public enquiries" in html
    assert "democraticservices@example.gov.uk" in html
    # No press contact recorded: no heading with nothing under it.
    assert "Press and media enquiries" not in html
    # The exempt item is named with its paragraph, from the agenda.
    assert "Sale of a children" in html and "paragraph 3 of Schedule 12A" in html


def test_a_bad_email_address_is_refused_on_its_field_and_nothing_is_saved(clerk_client, meeting):
    committee = meeting.committee
    response = _edit(clerk_client, committee, press_email="comms team at the council")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert response.context["form"].errors.keys() == {"press_email"}
    assert Committee.objects.get(pk=committee.pk).press_email == ""


def test_a_member_cannot_edit_the_committee(member_client, meeting):
    response = _edit(member_client, meeting.committee, press_email="press@example.gov.uk")
    assert response.status_code == 403
    assert Committee.objects.get(pk=meeting.committee.pk).press_email == ""
