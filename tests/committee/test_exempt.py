"""An item is exempt when the item or its report says so; the public pack never prints it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import services
from committee.packs import pack_html
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Placement costs of a named child"
SECRET_BODY = "The provider has offered a placement at a weekly cost of £9,870."


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    report = ReportFactory(title=SECRET_TITLE, exempt=True, exempt_paragraph=1)
    report.sections.filter(number=1).update(body=SECRET_BODY)
    # The clerk did not mark the item exempt: only its report says so.
    AgendaItemFactory(meeting=meeting, number=2, subject="A placement decision", report=report)
    return meeting


def test_the_public_pack_withholds_an_item_whose_report_alone_is_exempt(meeting):
    html = pack_html(meeting, exempt=False)

    assert SECRET_TITLE not in html
    assert SECRET_BODY not in html
    assert "Agenda Item 2" not in html
    assert "A placement decision" in html
    assert (
        "Exempt information: paragraph 1 of Schedule 12A; the papers are not included in the "
        "public pack." in html
    )


def test_the_exempt_pack_prints_the_report_the_public_pack_withholds(meeting):
    html = pack_html(meeting, exempt=True)

    assert "Agenda Item 2" in html
    assert SECRET_TITLE in html
    assert SECRET_BODY in html


def test_an_item_takes_its_paragraphs_from_whichever_of_it_and_its_report_is_exempt(meeting):
    item = meeting.items.get(number=2)
    assert item.is_exempt
    assert item.exempt_paragraphs == [1]

    item.exempt, item.exempt_paragraph = True, 3
    assert item.exempt_paragraphs_label == "paragraphs 1 and 3"

    item.report.exempt, item.report.exempt_paragraph = False, None
    assert item.exempt_paragraphs_label == "paragraph 3"

    item.exempt, item.exempt_paragraph = False, None
    assert not item.is_exempt


def test_publishing_is_refused_while_an_item_and_its_report_disagree(meeting, clerk):
    pack = services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    pack = services.build_pack_file(pack=pack)

    with pytest.raises(ValidationError) as refused:
        services.publish_pack(pack=pack, user=clerk)

    assert refused.value.messages == [
        f"Item 02, A placement decision: the report “{SECRET_TITLE}” contains exempt "
        "information (paragraph 1 of Schedule 12A) but the item is not marked exempt. Mark the "
        "item exempt, or correct the report's cover details."
    ]


def test_an_item_and_its_report_naming_different_paragraphs_is_a_problem(meeting, clerk):
    services.save_agenda_item(
        item=meeting.items.get(number=2),
        meeting=meeting,
        user=clerk,
        exempt=True,
        exempt_paragraph=3,
    )

    assert services.publication_problems(meeting) == [
        f"Item 02, A placement decision: the item is exempt under paragraph 3 of Schedule 12A "
        f"but the report “{SECRET_TITLE}” gives paragraph 1. Make them agree."
    ]


def test_the_meeting_page_shows_the_clerk_each_disagreement_with_links_to_fix_it(
    clerk_client, meeting
):
    item = meeting.items.get(number=2)

    html = clerk_client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()

    warning = html[html.index('id="exemption-mismatches"') :]
    assert "not agree about exempt information" in warning
    assert "the item is not marked exempt" in warning
    assert reverse("committee:agendaitem_edit", args=[meeting.pk, item.pk]) in warning
    assert reverse("committee:report_edit", args=[item.report_id]) in warning
    assert "Exempt: paragraph 1" in html  # the agenda shows the item as exempt
    assert "Build the exempt pack" in html


def test_a_member_sees_no_warning_about_exemptions(member_client, meeting):
    html = member_client.get(
        reverse("committee:meeting_detail", args=[meeting.pk])
    ).content.decode()
    assert "exemption-mismatches" not in html


def test_an_item_and_report_that_agree_raise_no_problem(meeting, clerk):
    services.save_agenda_item(
        item=meeting.items.get(number=2),
        meeting=meeting,
        user=clerk,
        exempt=True,
        exempt_paragraph=1,
    )
    assert services.publication_problems(meeting) == []
