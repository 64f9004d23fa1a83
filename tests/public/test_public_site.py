"""The public site: anyone reads what the councils published, and nothing else."""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from committee import packs, services
from committee.models import AgendaPack, Meeting, MinuteItem, Minutes
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Placement costs of a named child"
SECRET_BODY = "The provider has offered a placement at a weekly cost of £9,870."
SECRET_MINUTE = "The committee agreed the weekly cost of the placement."
ATOM = "{http://www.w3.org/2005/Atom}"


def publish(meeting, clerk, variant="public", reason=""):
    pack = services.start_pack_build(meeting=meeting, variant=variant, user=clerk)
    pack = services.build_pack_file(pack=pack)
    return services.publish_pack(pack=pack, user=clerk, reason=reason)


@pytest.fixture
def anyone():
    return Client()


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    AgendaItemFactory(meeting=meeting, number=2, subject="Savings", report=ReportFactory())
    secret = ReportFactory(title=SECRET_TITLE, exempt=True, exempt_paragraph=1)
    secret.sections.filter(number=1).update(body=SECRET_BODY)
    AgendaItemFactory(
        meeting=meeting,
        number=3,
        subject="A placement decision",
        exempt=True,
        exempt_paragraph=1,
        report=secret,
    )
    return meeting


@pytest.fixture
def published(meeting, clerk):
    return publish(meeting, clerk)


def public_report(meeting, number):
    return meeting.items.get(number=number).report


def test_a_published_meeting_reads_without_signing_in(anyone, published, meeting):
    page = anyone.get(reverse("public:meeting", args=[meeting.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Apologies for non-attendance" in html
    assert reverse("public:report", args=[public_report(meeting, 2).pk]) in html
    assert published.sha256 in html
    assert reverse("public:pack", args=[published.pk]) in html


def test_an_exempt_item_is_listed_by_subject_and_paragraph_and_nothing_more(
    anyone, published, meeting
):
    html = anyone.get(reverse("public:meeting", args=[meeting.pk])).content.decode()

    assert "A placement decision" in html
    assert "Not for publication: Schedule 12A paragraph 1" in html
    assert SECRET_TITLE not in html
    secret = public_report(meeting, 3)
    assert reverse("public:report", args=[secret.pk]) not in html
    assert anyone.get(reverse("public:report", args=[secret.pk])).status_code == 404
    assert anyone.get(reverse("public:report_pdf", args=[secret.pk])).status_code == 404


def test_the_published_pack_is_the_frozen_file_byte_for_byte(anyone, published):
    response = anyone.get(reverse("public:pack", args=[published.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with published.file.open("rb") as handle:
        assert response.content == handle.read()
    assert hashlib.sha256(response.content).hexdigest() == published.sha256
    assert response["X-Content-SHA256"] == published.sha256


def test_an_unpublished_meeting_shows_its_date_but_no_agenda_or_papers(anyone, meeting, clerk):
    services.build_pack_file(
        pack=services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    )
    built = AgendaPack.objects.get(meeting=meeting)
    savings = public_report(meeting, 2)

    html = anyone.get(reverse("public:meeting", args=[meeting.pk])).content.decode()

    assert "6 March 2024" in html
    assert "Apologies for non-attendance" not in html
    assert "Savings" not in html
    assert anyone.get(reverse("public:report", args=[savings.pk])).status_code == 404
    assert anyone.get(reverse("public:pack", args=[built.pk])).status_code == 404


def test_the_exempt_pack_is_never_served_here(anyone, published, meeting, clerk):
    exempt = publish(meeting, clerk, variant="exempt")

    assert anyone.get(reverse("public:pack", args=[exempt.pk])).status_code == 404


def test_a_public_report_reads_as_html_and_as_pdf(anyone, published, meeting):
    report = public_report(meeting, 2)

    page = anyone.get(reverse("public:report", args=[report.pk]))
    pdf = anyone.get(reverse("public:report_pdf", args=[report.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and report.title in html
    assert "To update the Committee." in html
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_report_pdf_is_rendered_once_not_on_every_request(
    anyone, published, meeting, monkeypatch
):
    report = public_report(meeting, 2)
    renders = []
    real = packs.render_pdf
    monkeypatch.setattr(packs, "render_pdf", lambda html: renders.append(1) or real(html))

    first = anyone.get(reverse("public:report_pdf", args=[report.pk])).content
    second = anyone.get(reverse("public:report_pdf", args=[report.pk])).content

    assert first == second
    assert len(renders) == 1


def test_minutes_of_an_exempt_item_are_withheld(anyone, published, meeting):
    minutes = Minutes.objects.create(meeting=meeting, officers_present="Jenine Chandler")
    MinuteItem.objects.create(minutes=minutes, number=2, title="Savings", body="Noted.")
    MinuteItem.objects.create(
        minutes=minutes, number=3, title="A placement decision", body=SECRET_MINUTE
    )

    html = anyone.get(reverse("public:meeting", args=[meeting.pk])).content.decode()

    assert "Noted." in html
    assert SECRET_MINUTE not in html
    assert html.count("Not for publication: Schedule 12A paragraph 1") == 2


def test_a_new_publication_shows_at_once_although_pages_are_cached(
    anyone, published, meeting, clerk
):
    url = reverse("public:meeting", args=[meeting.pk])
    assert published.sha256 in anyone.get(url).content.decode()
    meeting.items.filter(number=1).update(subject="Apologies for absence")

    again = publish(meeting, clerk, reason="The first item's title is corrected.")

    html = anyone.get(url).content.decode()
    assert again.sha256 in html
    assert published.sha256 not in html


def test_a_cached_page_needs_fewer_queries_the_second_time(
    anyone, published, meeting, django_assert_max_num_queries
):
    url = reverse("public:meeting", args=[meeting.pk])
    anyone.get(url)

    with django_assert_max_num_queries(4):
        response = anyone.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_the_calendar_lists_every_meeting_with_a_link_to_its_page(anyone, published, meeting):
    MeetingFactory(date=date(2024, 5, 1))

    response = anyone.get(reverse("public:calendar"))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    march = next(event for event in events if event.decoded("dtstart").date() == meeting.date)
    assert str(march["url"]).endswith(reverse("public:meeting", args=[meeting.pk]))
    assert str(march["location"]) == meeting.venue
    assert calendar.walk("VTIMEZONE"), "a TZID needs its VTIMEZONE"


def test_the_feed_lists_the_published_pack_and_its_public_reports(anyone, published, meeting):
    response = anyone.get(reverse("public:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0].startswith("Agenda pack: Children's Trust Joint Committee, 6 March 2024")
    assert any(public_report(meeting, 2).title in title for title in titles)
    assert not any(SECRET_TITLE in title for title in titles)


def test_the_rest_of_the_product_still_needs_a_sign_in(anyone, published, meeting):
    for url in (
        reverse("committee:meeting_detail", args=[meeting.pk]),
        reverse("committee:pack_download", args=[published.pk]),
        reverse("home"),
    ):
        response = anyone.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_public_pages_show_no_account_even_to_someone_signed_in(officer_client, published):
    html = officer_client.get(reverse("public:meeting_list")).content.decode()

    assert "Sign out" not in html
    assert "6 March 2024" in html


def test_the_public_site_is_read_only(anyone, published, meeting):
    response = anyone.post(reverse("public:meeting", args=[meeting.pk]))

    assert response.status_code == 405


def test_the_demo_publishes_the_march_2024_meeting_for_a_newcomer(anyone):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password="a-long-test-password", verbosity=0, stdout=quiet)

    listing = anyone.get(reverse("public:meeting_list")).content.decode()
    march = Meeting.objects.get(date=date(2024, 3, 6))
    page = anyone.get(reverse("public:meeting", args=[march.pk])).content.decode()
    pack = AgendaPack.objects.get(meeting=march, variant="public", status="published")
    assert reverse("public:meeting", args=[march.pk]) in listing
    assert "Review of realisation of 2023/24 NCT savings proposals" in page
    assert pack.sha256 in page
    assert "Minutes of 16 January 2024" in page
