"""A pack records what it was built from, and is published only while its data still says so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import services
from committee.choices import AppendixKind, PackStatus
from committee.models import AgendaPack
from committee.packs import pack_document, pack_html
from nct_monitor.models import Correction, Publication
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position

pytestmark = pytest.mark.django_db

TITLE = "Review of realisation of 2023/24 NCT savings proposals"


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    report = ReportFactory(title=TITLE)
    report.appendices.create(letter="A", kind=AppendixKind.SAVINGS_RAG, title="Savings RAG")
    position(SavingsLineFactory(title="Residential placements"), "2023/24 P9", red=100, green=400)
    AgendaItemFactory(meeting=meeting, number=4, subject=TITLE, report=report)
    return meeting


def built(meeting, clerk, variant="public") -> AgendaPack:
    pack = services.start_pack_build(meeting=meeting, variant=variant, user=clerk)
    return services.build_pack_file(pack=pack)


def refusal(pack, clerk) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.publish_pack(pack=pack, user=clerk)
    assert AgendaPack.objects.get(pk=pack.pk).status == PackStatus.BUILT
    return refused.value.messages


def test_a_built_pack_records_the_sha256_of_each_part_it_was_built_from(meeting, clerk):
    pack = built(meeting, clerk)

    parts = {part["key"]: part for part in pack.fingerprint["parts"]}
    item = meeting.items.get(number=4)
    assert list(parts) == [
        "cover",
        "corrections",
        f"item-{meeting.items.get(number=1).pk}",
        f"item-{item.pk}",
    ]
    assert parts[f"item-{item.pk}"]["label"] == f"Item 4, {TITLE}"
    assert all(len(part["sha256"]) == 64 for part in parts.values())
    assert len(pack.fingerprint["sha256"]) == 64


def test_the_same_data_always_renders_the_same_fingerprint(meeting):
    first = pack_document(meeting, exempt=False)
    second = pack_document(meeting, exempt=False)
    assert first.html == second.html
    assert first.fingerprint == second.fingerprint


def test_an_unchanged_pack_publishes_and_records_its_period_as_published(meeting, clerk):
    pack = services.publish_pack(pack=built(meeting, clerk), user=clerk)

    assert pack.status == PackStatus.PUBLISHED
    publication = Publication.objects.get()
    assert publication.period == period("2023/24 P9")
    assert publication.title == (
        "Public Document Pack: Children's Trust Joint Committee, 6 March 2024"
    )
    assert publication.published_on == date(2024, 3, 6)
    assert publication.url == reverse("committee:pack_download", args=[pack.pk])


def test_publishing_records_each_distinct_report_period_once(meeting, clerk):
    AgendaItemFactory(meeting=meeting, number=5, subject="Second", report=ReportFactory())
    AgendaItemFactory(
        meeting=meeting,
        number=6,
        subject="Third",
        report=ReportFactory(data_period=period("2023/24 P8")),
    )

    services.publish_pack(pack=built(meeting, clerk), user=clerk)

    labels = sorted(p.period.label for p in Publication.objects.select_related("period__year"))
    assert labels == ["2023/24 P8", "2023/24 P9"]


def test_publishing_is_refused_after_a_report_section_changed_naming_the_item(meeting, clerk):
    pack = built(meeting, clerk)
    report = meeting.items.get(number=4).report
    section = report.sections.get(number=1)
    services.save_section(
        section=section,
        report=report,
        number=1,
        heading=section.heading,
        body="To update the Committee on the savings at period 9.",
        user=clerk,
    )
    services.mark_report_final(report=report, user=clerk)

    assert refusal(pack, clerk) == [f"Item 4, {TITLE}, has changed since this pack was built."]


def test_publishing_is_refused_after_the_savings_an_appendix_shows_changed(meeting, clerk):
    pack = built(meeting, clerk)
    position(SavingsLineFactory(title="Agency staffing"), "2023/24 P9", red=50, green=50)

    assert refusal(pack, clerk) == [f"Item 4, {TITLE}, has changed since this pack was built."]


def test_savings_of_another_period_leave_the_pack_publishable(meeting, clerk):
    pack = built(meeting, clerk)
    position(SavingsLineFactory(title="Agency staffing"), "2023/24 P10", red=50, green=50)

    assert services.publish_pack(pack=pack, user=clerk).status == PackStatus.PUBLISHED


def test_publishing_the_public_pack_is_refused_after_its_report_was_made_exempt(meeting, clerk):
    pack = built(meeting, clerk)
    item = meeting.items.get(number=4)
    services.save_agenda_item(
        item=item, meeting=meeting, user=clerk, exempt=True, exempt_paragraph=3
    )
    services.save_report(report=item.report, user=clerk, exempt=True, exempt_paragraph=3)
    services.mark_report_final(report=item.report, user=clerk)

    assert refusal(pack, clerk) == [
        "The cover and agenda have changed since this pack was built.",
        f"Item 4, {TITLE}, has changed since this pack was built.",
    ]


def test_an_item_added_after_the_build_refuses_publishing(meeting, clerk):
    pack = built(meeting, clerk)
    AgendaItemFactory(meeting=meeting, number=9, subject="Any other business")

    assert refusal(pack, clerk) == [
        "The cover and agenda have changed since this pack was built.",
        "Item 9, Any other business, is new on the agenda since this pack was built.",
    ]


def test_a_pack_that_records_nothing_it_was_built_from_is_not_published(meeting, clerk):
    pack = built(meeting, clerk)
    AgendaPack.objects.filter(pk=pack.pk).update(fingerprint={})

    assert refusal(pack, clerk) == [
        "This version does not record what it was built from, so it cannot be checked against "
        "the data: build a new version."
    ]


def _correction(*, figure: str, at: datetime, clerk) -> Correction:
    publication = Publication.objects.create(
        period=period("2023/24 P9"),
        title="Public Document Pack: Children's Trust Joint Committee, 16 January 2024",
        published_on=date(2024, 1, 16),
        figures={figure: "£1.274m"},
    )
    return Correction.objects.create(
        publication=publication,
        period=period("2023/24 P9"),
        figure=figure,
        old_value="£1.274m",
        new_value="£1.247m",
        reason="The red total was misprinted: the lines add up to £1.247m.",
        corrected_by=clerk,
        corrected_at=at,
    )


def test_the_pack_lists_corrections_after_the_agenda_and_before_the_papers(meeting, clerk):
    clerk.first_name, clerk.last_name = "Sam", "Clerk"
    clerk.save()
    _correction(
        figure="Savings red 2023/24", at=datetime(2024, 2, 1, 9, 0, tzinfo=UTC), clerk=clerk
    )

    html = pack_html(meeting, exempt=False)

    corrections = html[html.index("Corrections to published figures") : html.index("Agenda Item 4")]
    assert html.index("<caption>Agenda</caption>") < html.index("Corrections to published figures")
    for text in [
        "Savings red 2023/24",
        "2023/24 P9",
        "£1.274m",
        "£1.247m",
        "The red total was misprinted: the lines add up to £1.247m.",
        "Sam Clerk",
        "1 February 2024",
    ]:
        assert text in corrections


def test_the_pack_lists_only_corrections_since_the_committees_previous_pack(meeting, clerk):
    earlier = MeetingFactory(committee=meeting.committee, date=date(2024, 1, 16))
    AgendaItemFactory(meeting=earlier, number=1, subject="Apologies")
    AgendaPack.objects.create(
        meeting=earlier,
        variant="public",
        version=1,
        status=PackStatus.PUBLISHED,
        published_at=datetime(2024, 1, 20, tzinfo=UTC),
    )
    _correction(figure="Before the last pack", at=datetime(2024, 1, 18, tzinfo=UTC), clerk=clerk)
    _correction(figure="After the last pack", at=datetime(2024, 2, 1, tzinfo=UTC), clerk=clerk)

    html = pack_html(meeting, exempt=False)

    assert "After the last pack" in html
    assert "Before the last pack" not in html
    assert "since the committee's last pack was published on 20 January 2024" in html


def test_a_pack_with_no_corrections_has_no_corrections_section(meeting):
    assert "Corrections to published figures" not in pack_html(meeting, exempt=False)


def test_a_correction_recorded_after_the_build_refuses_publishing(meeting, clerk):
    pack = built(meeting, clerk)
    _correction(figure="Savings red 2023/24", at=datetime(2024, 2, 1, tzinfo=UTC), clerk=clerk)

    assert refusal(pack, clerk) == [
        "The corrections to published figures have changed since this pack was built."
    ]


def test_the_meeting_and_publish_pages_offer_a_new_version_of_an_out_of_date_pack(
    clerk_client, meeting, clerk
):
    pack = built(meeting, clerk)
    position(SavingsLineFactory(title="Agency staffing"), "2023/24 P9", red=50, green=50)
    build_url = reverse("committee:pack_build", args=[meeting.pk])

    panel = clerk_client.get(
        reverse("committee:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "Out of date" in panel
    assert f"Item 4, {TITLE}, has changed since this pack was built." in panel
    assert f'action="{build_url}"' in panel and "Build a new version" in panel
    assert reverse("committee:pack_publish", args=[pack.pk]) not in panel

    response = clerk_client.post(reverse("committee:pack_publish", args=[pack.pk]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Item 4, {TITLE}, has changed since this pack was built." in html
    assert "Build a new version" in html and f'action="{build_url}"' in html
    assert AgendaPack.objects.get(pk=pack.pk).status == PackStatus.BUILT
    # The refusal is said once, and the page offers no Publish button for a pack it refuses.
    assert html.count("has changed since this pack was built") == 1
    assert ">Publish</button>" not in html
    page = clerk_client.get(reverse("committee:pack_publish", args=[pack.pk])).content.decode()
    assert page.count("has changed since this pack was built") == 1
    assert ">Publish</button>" not in page and "cannot be published" in page

    clerk_client.post(build_url, {"variant": "public"})
    new = AgendaPack.objects.get(meeting=meeting, version=2)
    clerk_client.post(reverse("committee:pack_publish", args=[new.pk]), {"reason": ""})
    new.refresh_from_db()
    assert new.status == PackStatus.PUBLISHED
