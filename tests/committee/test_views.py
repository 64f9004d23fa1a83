from __future__ import annotations

import pytest
from django.urls import reverse

from committee.choices import PackStatus
from committee.models import AgendaPack
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies")
    AgendaItemFactory(meeting=meeting, number=5, subject="Savings", report=ReportFactory())
    return meeting


def test_a_clerk_builds_and_publishes_the_pack_from_the_meeting_page(clerk_client, meeting):
    response = clerk_client.post(
        reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"}
    )
    assert response.status_code == 302
    pack = AgendaPack.objects.get(meeting=meeting)
    assert pack.status == PackStatus.BUILT  # tasks run at once in tests
    panel = clerk_client.get(
        reverse("committee:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "Preview" in panel and "Publish" in panel

    response = clerk_client.post(reverse("committee:pack_publish", args=[pack.pk]), {"reason": ""})
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.status == PackStatus.PUBLISHED


def test_a_member_downloads_a_published_pack_but_not_a_preview(
    clerk_client, member_client, meeting
):
    clerk_client.post(reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"})
    pack = AgendaPack.objects.get(meeting=meeting)
    assert member_client.get(reverse("committee:pack_download", args=[pack.pk])).status_code == 403

    clerk_client.post(reverse("committee:pack_publish", args=[pack.pk]), {"reason": ""})
    response = member_client.get(reverse("committee:pack_download", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Content-SHA256"] == pack.sha256


def _published_pack(clerk_client, meeting) -> AgendaPack:
    clerk_client.post(reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"})
    pack = AgendaPack.objects.get(meeting=meeting)
    clerk_client.post(reverse("committee:pack_publish", args=[pack.pk]), {"reason": ""})
    pack.refresh_from_db()
    return pack


def test_a_published_pack_whose_file_is_missing_is_explained_not_rebuilt(
    clerk_client, member_client, meeting
):
    pack = _published_pack(clerk_client, meeting)
    pack.file.storage.delete(pack.file.name)

    response = member_client.get(reverse("committee:pack_download", args=[pack.pk]))

    assert response.status_code == 503
    assert "cannot be read" in response.content.decode()
    pack.refresh_from_db()
    assert not pack.file.storage.exists(pack.file.name)  # nothing was regenerated


def test_a_published_pack_whose_file_was_altered_is_not_served(
    clerk_client, member_client, meeting
):
    pack = _published_pack(clerk_client, meeting)
    with pack.file.storage.open(pack.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 not the published pack")

    response = member_client.get(reverse("committee:pack_download", args=[pack.pk]))

    assert response.status_code == 503
    assert "does not match the SHA-256" in response.content.decode()
    assert b"%PDF" not in response.content


def test_a_member_cannot_build_a_pack(member_client, meeting):
    assert member_client.post(reverse("committee:pack_build", args=[meeting.pk])).status_code == 403
    assert not AgendaPack.objects.exists()


def test_an_officer_cannot_publish_a_pack(officer_client, clerk_client, meeting):
    clerk_client.post(reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"})
    pack = AgendaPack.objects.get(meeting=meeting)
    assert officer_client.post(reverse("committee:pack_publish", args=[pack.pk])).status_code == 403


def test_the_packs_panel_polls_while_a_pack_builds(clerk_client, meeting, clerk):
    AgendaPack.objects.create(meeting=meeting, variant="public", version=1, progress=30)
    html = clerk_client.get(reverse("committee:pack_panel", args=[meeting.pk])).content.decode()
    assert 'hx-trigger="load delay:1s"' in html
    assert '<progress class="nct-progress" max="100" value="30"' in html


def test_the_report_page_shows_the_numbered_sections(member_client, meeting):
    report = meeting.items.get(number=5).report
    html = member_client.get(reverse("committee:report_detail", args=[report.pk])).content.decode()
    assert "1. Purpose of Report" in html
    assert "1.1." in html
    assert "Edit the cover details" not in html


def test_a_duplicate_item_number_shows_an_error_on_the_form(clerk_client, meeting):
    response = clerk_client.post(
        reverse("committee:agendaitem_add", args=[meeting.pk]), {"number": 5, "subject": "Another"}
    )
    assert response.status_code == 200
    assert "Another item of this meeting already has that number." in response.content.decode()


def test_an_officer_writes_a_section_of_a_report(officer_client, meeting):
    report = meeting.items.get(number=5).report
    response = officer_client.post(
        reverse("committee:reportsection_add", args=[report.pk]),
        {"number": 3, "heading": "Next steps", "kind": "general", "body": "Monitoring continues."},
    )
    assert response.status_code == 302
    assert report.sections.filter(number=3, heading="Next steps").exists()


def test_the_meeting_list_runs_the_same_queries_for_one_or_many_meetings(member_client, contract):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert member_client.get(reverse("committee:meeting_list")).status_code == 200
        return len(context)

    MeetingFactory(date=date(2024, 1, 1))
    one = count()
    for day in range(2, 30):
        MeetingFactory(date=date(2024, 1, day))
    assert count() == one


def test_a_member_sees_no_unpublished_pack_on_the_meeting_page(
    clerk_client, member_client, meeting
):
    clerk_client.post(reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"})
    html = member_client.get(
        reverse("committee:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "No pack has been published for this meeting yet." in html
    assert "Pack versions" not in html
