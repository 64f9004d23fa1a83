from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from committee import services
from committee.choices import PackStatus, ReportStatus
from committee.models import AgendaItem, AgendaPack, Minutes
from committee.selectors import publication_problems
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies")
    AgendaItemFactory(meeting=meeting, number=2, subject="Savings", report=ReportFactory())
    return meeting


def built_pack(meeting, clerk, variant="public"):
    pack = services.start_pack_build(meeting=meeting, variant=variant, user=clerk)
    return services.build_pack_file(pack=pack)


def test_an_agenda_item_number_used_twice_is_refused(meeting, clerk):
    with pytest.raises(
        ValidationError, match="Another item of this meeting already has that number"
    ):
        services.save_agenda_item(meeting=meeting, user=clerk, number=2, subject="Duplicate")
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_an_exempt_item_without_a_paragraph_is_refused(meeting, clerk):
    with pytest.raises(ValidationError, match="must name its paragraph of Schedule 12A"):
        services.save_agenda_item(
            meeting=meeting, user=clerk, number=3, subject="Home sale", exempt=True
        )
    assert not AgendaItem.objects.filter(meeting=meeting, number=3).exists()


def test_the_database_refuses_an_exempt_item_without_a_paragraph_too(meeting):
    with pytest.raises(IntegrityError):
        AgendaItem.objects.create(meeting=meeting, number=9, subject="Home sale", exempt=True)


def test_publishing_a_meeting_with_an_unfinished_report_is_refused(meeting, clerk):
    meeting.items.get(number=2).report.__class__.objects.update(status=ReportStatus.DRAFT)
    pack = built_pack(meeting, clerk)
    with pytest.raises(ValidationError, match="still a draft"):
        services.publish_pack(pack=pack, user=clerk)
    assert AgendaPack.objects.get(pk=pack.pk).status == PackStatus.BUILT


def test_a_report_without_recommendations_cannot_be_final(meeting, clerk):
    report = ReportFactory(title="No recommendations", status=ReportStatus.DRAFT, sections=False)
    with pytest.raises(ValidationError, match="has no sections"):
        services.mark_report_final(report=report, user=clerk)


def test_publishing_freezes_the_pack_and_publishes_the_meeting(meeting, clerk):
    pack = services.publish_pack(pack=built_pack(meeting, clerk), user=clerk)
    assert pack.status == PackStatus.PUBLISHED
    assert len(pack.sha256) == 64
    assert pack.meeting.status == "published"


def test_a_clerk_cannot_change_a_published_pack_and_its_file_and_hash_stay(meeting, clerk):
    pack = services.publish_pack(pack=built_pack(meeting, clerk), user=clerk)
    with pack.file.open("rb") as handle:
        before = handle.read()
    with pytest.raises(ValidationError, match="never rebuilt"):
        services.build_pack_file(pack=pack)
    with pytest.raises(ValidationError, match="published packs are kept unchanged"):
        services.discard_pack(pack=pack, user=clerk)
    with pytest.raises(ValidationError, match="Only a built pack can be published"):
        services.publish_pack(pack=pack, user=clerk)
    pack.refresh_from_db()
    with pack.file.open("rb") as handle:
        assert handle.read() == before
    assert pack.sha256 == __import__("hashlib").sha256(before).hexdigest()


def test_republishing_needs_a_reason_and_keeps_the_first_version(meeting, clerk):
    first = services.publish_pack(pack=built_pack(meeting, clerk), user=clerk)
    second = built_pack(meeting, clerk)
    assert second.version == 2
    with pytest.raises(ValidationError, match="give the reason for republishing"):
        services.publish_pack(pack=second, user=clerk)
    services.publish_pack(pack=second, user=clerk, reason="Corrected a presenting officer's name")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PackStatus.SUPERSEDED and first.file
    assert second.status == PackStatus.PUBLISHED
    assert second.reason == "Corrected a presenting officer's name"


def test_an_officer_cannot_build_or_publish_a_pack(meeting, officer):
    with pytest.raises(PermissionDenied):
        services.start_pack_build(meeting=meeting, variant="public", user=officer)


def test_editing_a_final_report_makes_it_a_draft_again(meeting, officer):
    report = meeting.items.get(number=2).report
    services.save_section(
        report=report, number=3, heading="Next steps", body="Monitoring continues.", user=officer
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_pack_waits_for_the_minutes_it_confirms_to_be_recorded(contract):
    meeting = MeetingFactory()
    recorded = MeetingFactory(date=date(2023, 12, 6))
    Minutes.objects.create(meeting=recorded)
    missing = MeetingFactory(date=date(2023, 9, 6))
    AgendaItemFactory(meeting=meeting, number=2, minutes_of=recorded)
    AgendaItemFactory(meeting=meeting, number=3, minutes_of=missing)

    assert publication_problems(meeting) == [f"Item 03: the minutes of {missing} are not recorded."]
