"""The main journeys of each role in the browser, with axe-core on every page and every state a
journey passes through (pages, htmx swaps, errors, results).

The demo (`seed_demo`) has 2023/24 signed off up to P9 and P10 open.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from committee import services as committee_services
from committee.choices import PackVariant
from committee.models import AgendaPack, Meeting
from contracts.selectors import get_contract
from kpis.models import KpiResult, KpiTarget
from nct_monitor.selectors import get_period
from risks.models import Risk
from savings import services as savings_services
from savings.models import SavingsPosition
from tests.e2e.conftest import axe

pytestmark = pytest.mark.django_db(transaction=True)

CONTRACTS_LINE = "Review of Contracts"


def cell_texts(row: Any) -> list[str]:
    """The row's data cells as a screen reader reads them, spaces collapsed."""
    return [
        " ".join(text.split()).replace(" ,", ",") for text in row.locator("td").all_inner_texts()
    ]


def open_from_menu(page: Any, label: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()


def position_of(title: str, period: int) -> SavingsPosition:
    return SavingsPosition.objects.get(
        line__title=title, period__year__start_year=2023, period__number=period
    )


def test_officer_starts_a_savings_period_and_edits_a_line_in_place(demo, pages):
    page = pages("officer")
    axe(page)

    open_from_menu(page, "Savings")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Savings tracker: 2023/24 P9 (December 2023)"
    )
    axe(page)

    page.get_by_role("link", name="2023/24 P10 →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Savings tracker: 2023/24 P10 (January 2024)"
    )
    expect(page.get_by_text("No savings positions are recorded for 2023/24 P10")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Start 2023/24 P10 from 2023/24 P9").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "15 positions carried forward into 2023/24 P10"
    )
    axe(page)

    position = position_of(CONTRACTS_LINE, 10)
    row = page.locator(f"#line-{position.pk}")
    row.get_by_role("link", name=f"Edit {CONTRACTS_LINE}").click()
    red = page.get_by_label(f"Red £'000 for {CONTRACTS_LINE}")
    green = page.get_by_label(f"Green £'000 for {CONTRACTS_LINE}")
    expect(red).to_have_value("0")
    expect(green).to_have_value("100")
    axe(page)

    # 40 + 0 + 50 is not the target of 100: refused, with the line and the figures named.
    red.fill("40")
    green.fill("50")
    page.get_by_role("button", name=f"Save {CONTRACTS_LINE}").click()
    error = page.locator(f"#line-{position.pk}-errors")
    expect(error).to_contain_text(
        f"{CONTRACTS_LINE}: Red + Amber + Green = 40 + 0 + 50 = 90, but the target is 100"
    )
    expect(page.get_by_label(f"Target £'000 for {CONTRACTS_LINE}")).to_have_attribute(
        "aria-invalid", "true"
    )
    axe(page)
    position.refresh_from_db()
    assert (position.red, position.green) == (0, 100_000)
    expect(page.locator("#tile-red .nct-tile__figure")).to_have_text("£1.247m")

    page.get_by_label(f"Green £'000 for {CONTRACTS_LINE}").fill("60")
    page.get_by_label(f"Comments for {CONTRACTS_LINE}").fill("Two contracts slip to 2024/25.")
    page.get_by_role("button", name=f"Save {CONTRACTS_LINE}").click()
    expect(page.locator("#savings-tracker .govuk-notification-banner--success")).to_contain_text(
        f"{CONTRACTS_LINE}: 2023/24 P10 position saved."
    )
    axe(page)

    row = page.locator(f"#line-{position.pk}")
    assert cell_texts(row)[:6] == [
        "100, change 0",
        "40, change +40",
        "0, change 0",
        "60, change −40",
        "0, change 0",
        "40, change +40 NNC £17,664.00 WNC £22,336.00",
    ]
    expect(row.locator(".govuk-tag")).to_have_text("Red")
    assert cell_texts(page.locator("#group-1-total"))[:6] == [
        "3,872, change 0",
        "1,287, change +40",
        "300, change 0",
        "2,285, change −40",
        "0, change 0",
        "1,287, change +40 NNC £568,339.20 WNC £718,660.80",
    ]
    assert cell_texts(page.locator("#grand-total"))[:6] == [
        "7,672, change 0",
        "1,287, change +40",
        "1,370, change 0",
        "5,015, change −40",
        "0, change 0",
        "1,287, change +40 NNC £568,339.20 WNC £718,660.80",
    ]
    expect(page.locator("#tile-shortfall")).to_contain_text("£1.287m")
    expect(page.locator("#tile-shortfall")).to_contain_text("NNC £568,339.20 · WNC £718,660.80")
    position.refresh_from_db()
    assert (position.red, position.amber, position.green) == (40_000, 0, 60_000)


def test_officer_sees_no_edit_controls_on_the_signed_off_period(demo, pages):
    page = pages("officer")
    axe(page)  # the overview, where signing in lands
    page.goto(f"{page.base_url}/savings/2023-24/p9/")
    expect(page.locator("#signed-off-notice")).to_contain_text("2023/24 P9 is signed off")
    axe(page)
    expect(page.locator("#savings-table")).to_contain_text(CONTRACTS_LINE)
    expect(page.get_by_role("link", name=re.compile(r"^Edit "))).to_have_count(0)
    expect(page.get_by_role("link", name="Upload a return")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a line")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Start"))).to_have_count(0)

    page.goto(f"{page.base_url}/kpis/2023-24/p9/results/")
    expect(
        page.get_by_text("2023/24 P9 is signed off, so its results are read-only")
    ).to_be_visible()
    axe(page)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Save results")).to_have_count(0)


def test_officer_sets_a_kpi_target_and_enters_a_result_that_the_scorecard_rates(demo, pages):
    page = pages("officer")
    axe(page)  # the overview, where signing in lands
    open_from_menu(page, "KPIs")
    # The scorecard opens where the results end: the demo's illustrative year.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI scorecard: 2024/25 P9 (December 2024)"
    )
    expect(page.locator(".nct-illustrative-tag").first).to_have_text("Illustrative")
    axe(page)
    page.goto(f"{page.base_url}/kpis/2023-24/p9/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI scorecard: 2023/24 P9 (December 2023)"
    )

    page.get_by_role("link", name="Targets 2023/24").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI targets and tolerances for 2023/24"
    )
    axe(page)
    page.get_by_label("KPI 1 target").fill("70")
    page.get_by_label("KPI 1 tolerance").fill("5")
    page.get_by_role("button", name="Save targets").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2023/24 KPI targets saved"
    )
    axe(page)
    expect(page.get_by_label("KPI 1 target")).to_have_value("70")
    assert KpiTarget.objects.get(kpi__number=1, year__start_year=2023).target == 70

    page.goto(f"{page.base_url}/kpis/2023-24/p10/")
    axe(page)
    page.get_by_role("link", name="Enter results for 2023/24 P10").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI results for 2023/24 P10 (January 2024)"
    )
    axe(page)
    page.get_by_label("KPI 1 value").fill("67")
    page.get_by_label("KPI 1 commentary").fill("Two teams short of staff in January.")
    page.get_by_role("button", name="Save results").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI scorecard: 2023/24 P10 (January 2024)"
    )
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2023/24 P10 KPI results saved"
    )
    axe(page)
    row = page.locator("#kpi-1")
    assert cell_texts(row)[1:3] == [
        "67%",
        "70% amber down to 65%, tolerance 5 percentage points",
    ]
    # The rating is said in words and shown in the amber tag's colour (67 is within 5 of 70).
    rating = row.locator(".nct-rating")
    expect(rating).to_have_text("Amber")
    expect(rating).to_have_css("background-color", "rgb(253, 228, 215)")
    result = KpiResult.objects.get(kpi__number=1, period__year__start_year=2023, period__number=10)
    assert result.value == 67


def test_officer_records_a_risk_review_that_moves_a_risk_to_very_high(demo, pages):
    page = pages("officer")
    axe(page)  # the overview, where signing in lands
    open_from_menu(page, "Risks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    axe(page)

    page.get_by_role("link", name="CR 02", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CR 02 Service Delivery Contract")
    axe(page)

    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review CR 02")
    axe(page)

    # A signed-off period is refused, with the reason beside the field.
    page.get_by_label("Period reviewed").select_option(
        label="2023/24 P9 (December 2023) – signed off"
    )
    page.get_by_label("Current probability").select_option("4")
    page.get_by_label("Current impact").select_option("4")
    reviewed = page.get_by_role("group", name="Date reviewed")
    reviewed.get_by_label("Day").fill("31")
    reviewed.get_by_label("Month").fill("1")
    reviewed.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("2023/24 P9 is signed off")
    axe(page)
    risk = Risk.objects.get(ref="CR 02")
    assert risk.reviews.count() == 0

    page.get_by_label("Period reviewed").select_option(label="2023/24 P10 (January 2024)")
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Review of CR 02 for 2023/24 P10 recorded: score 16 (very high)."
    )
    axe(page)
    history = page.get_by_role("table", name="Reviews, newest first")
    expect(history.locator("tbody tr")).to_have_count(1)
    review_row = history.locator("tbody tr").first
    expect(review_row.get_by_role("rowheader")).to_have_text("2023/24 P10")
    assert cell_texts(review_row)[1:3] == [
        "16 Very high, probability 4 × and impact 4",
        "↑ Up from 8",
    ]

    page.get_by_role("link", name="Risk register").first.click()
    axe(page)
    register_row = page.locator("tr", has=page.get_by_role("link", name="CR 02", exact=True))
    expect(register_row).to_contain_text("Current score 16 Very high")
    expect(register_row.locator(".nct-movement")).to_have_text("↑ Up")
    expect(register_row).to_contain_text("from 8")


def open_pdf(page: Any, link: Any) -> bytes:
    """Follow a link to a PDF, which the browser shows, and return the file, checked to be a
    PDF that opens; then go back to the page the link was on."""
    with page.expect_response(re.compile(r"/packs/\d+/download/$")) as opened:
        link.click()
    shown = opened.value
    assert shown.status == 200
    assert shown.headers["content-type"] == "application/pdf"
    # The browser's PDF viewer holds the file; the same request with the same session gets it.
    response = page.request.get(shown.url)
    data = response.body()
    assert data[:5] == b"%PDF-"
    assert response.headers["x-content-sha256"] == hashlib.sha256(data).hexdigest()
    assert len(PdfReader(io.BytesIO(data)).pages) > 1
    page.go_back()
    return data


def test_clerk_builds_previews_and_publishes_the_march_pack(demo_unpublished, pages):
    page = pages("clerk")
    axe(page)  # the overview, where signing in lands
    open_from_menu(page, "Committee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee meetings")
    axe(page)

    page.get_by_role("link", name="6 March 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting of Wednesday 6 March 2024")
    axe(page)

    page.get_by_role("button", name="Build the public pack").click()
    # The build is a background task; the packs panel polls until it is built.
    publish = page.get_by_role("link", name="Publish version 1")
    expect(publish).to_be_visible()
    axe(page)
    pack = AgendaPack.objects.get(meeting__date=date(2024, 3, 6), version=1)

    previewed = open_pdf(page, page.get_by_role("link", name="Preview public pack version 1 (PDF)"))
    expect(publish).to_be_visible()

    publish.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the public pack, version 1")
    axe(page)
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Version 1 of the public pack is published."
    )
    axe(page)
    pack.refresh_from_db()
    packs = page.locator("#packs-panel")
    expect(packs.locator(".govuk-tag")).to_have_text("Published")
    expect(packs.locator(".nct-hash")).to_have_text(hashlib.sha256(previewed).hexdigest())
    assert pack.sha256 == hashlib.sha256(previewed).hexdigest()
    # Publishing the public pack publishes the meeting.
    expect(page.locator(".govuk-summary-list")).to_contain_text("Published")


def test_the_meeting_page_follows_a_pack_build_until_it_can_be_published(demo_unpublished, pages):
    clerk = get_user_model().objects.get(username="clerk")
    meeting = Meeting.objects.get(date=date(2024, 3, 6))
    pack = committee_services.start_pack_build(
        meeting=meeting, variant=PackVariant.PUBLIC, user=clerk
    )
    page = pages("clerk")
    axe(page)  # the overview, where signing in lands
    page.goto(f"{page.base_url}/committee/meetings/{meeting.pk}/")
    expect(page.get_by_role("progressbar", name="Building: 0%")).to_be_visible()
    expect(page.get_by_role("button", name="Build the public pack")).to_be_disabled()
    axe(page)

    # A worker reports progress, then finishes; the panel polls and shows each state.
    AgendaPack.objects.filter(pk=pack.pk).update(progress=60)
    expect(page.get_by_role("progressbar", name="Building: 60%")).to_be_visible()
    axe(page)
    committee_services.build_pack_file(pack=pack)
    expect(page.get_by_role("link", name="Publish version 1")).to_be_visible()
    expect(page.get_by_role("button", name="Build the public pack")).to_be_enabled()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    axe(page)


def publish_march_pack() -> AgendaPack:
    """The public pack of 6 March 2024, built and published as the clerk would."""
    clerk = get_user_model().objects.get(username="clerk")
    meeting = Meeting.objects.get(date=date(2024, 3, 6))
    pack = committee_services.start_pack_build(
        meeting=meeting, variant=PackVariant.PUBLIC, user=clerk
    )
    committee_services.build_pack_file(pack=pack)
    return committee_services.publish_pack(pack=pack, user=clerk)


def test_member_reads_the_dashboard_drills_into_a_figure_and_downloads_the_pack(
    demo_unpublished, pages
):
    pack = publish_march_pack()
    page = pages("member")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Overview at 2023/24 P9 (December 2023)"
    )
    axe(page)
    forecast = page.get_by_role("region", name="Forecast outturn pressure")
    expect(forecast.locator(".nct-tile__figure")).to_have_text("£29.670m")
    expect(forecast.locator(".nct-share")).to_have_text("NNC £13.102m · WNC £16.568m")
    savings = page.get_by_role("region", name="Savings 2023/24")
    shortfall = savings.locator(".govuk-summary-list__row", has_text="Shortfall")
    expect(shortfall.locator("dd")).to_have_text("£1.247mNNC £0.551m · WNC £0.696m")
    expect(page.get_by_role("region", name="Contract sums")).to_contain_text("£180.009m")

    forecast.get_by_role("link", name="Forecast outturn pressure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Finance forecast 2023/24 P9 (December 2023)"
    )
    axe(page)
    total = page.locator("tr", has=page.get_by_role("rowheader", name="Total"))
    expect(total).to_contain_text("£29.670m")
    expect(total).to_contain_text("£13,102,272.00")
    expect(total).to_contain_text("£16,567,728.00")

    page.go_back()
    committee = page.get_by_role("region", name="Committee")
    link = committee.get_by_role(
        "link", name="Children's Trust Joint Committee, 6 March 2024: public pack, version 1 (PDF)"
    )
    downloaded = open_pdf(page, link)
    assert hashlib.sha256(downloaded).hexdigest() == pack.sha256

    open_from_menu(page, "Committee")
    axe(page)
    page.get_by_role("link", name="6 March 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting of Wednesday 6 March 2024")
    axe(page)
    expect(page.locator(".nct-hash")).to_have_text(pack.sha256)
    from_meeting = open_pdf(
        page, page.get_by_role("link", name="Download public pack version 1 (PDF)")
    )
    assert from_meeting == downloaded


EDIT_CONTROL = re.compile(r"^(Edit|Add|Record|Upload|Build|Publish|Start|Enter|Save|Close|Carry)\b")


def test_member_sees_no_edit_controls_and_is_refused_a_change(demo_unpublished, pages):
    officer = get_user_model().objects.get(username="officer")
    savings_services.start_period(
        period=get_period(2023, 10), contract=get_contract(), user=officer
    )
    position = position_of(CONTRACTS_LINE, 10)
    risk = Risk.objects.get(ref="CR 02")
    meeting = Meeting.objects.get(date=date(2024, 3, 6))
    # A pack built but not yet published is the clerk's draft, not for members.
    clerk = get_user_model().objects.get(username="clerk")
    draft = committee_services.start_pack_build(
        meeting=meeting, variant=PackVariant.PUBLIC, user=clerk
    )
    committee_services.build_pack_file(pack=draft)
    page = pages("member")
    axe(page)  # the overview, where signing in lands
    for path in [
        "/savings/2023-24/p10/",
        "/kpis/2023-24/p10/",
        "/kpis/targets/2023-24/",
        f"/risks/{risk.pk}/",
        f"/committee/meetings/{meeting.pk}/",
    ]:
        page.goto(page.base_url + path)
        axe(page)
        main = page.locator("main")
        expect(main.locator("form[method='post']")).to_have_count(0)
        expect(main.get_by_role("link", name=EDIT_CONTROL)).to_have_count(0)
        expect(main.get_by_role("button", name=EDIT_CONTROL)).to_have_count(0)
    expect(page.locator("#packs-panel")).to_contain_text(
        "No pack has been published for this meeting yet."
    )
    expect(page.locator("#packs-panel").get_by_role("table")).to_have_count(0)

    # Following an officer's link to an edit form, a member gets a page saying it is refused.
    response = page.goto(f"{page.base_url}/savings/positions/{position.pk}/edit/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    axe(page)

    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{page.base_url}/savings/positions/{position.pk}/edit/",
        form={
            f"p{position.pk}-target": "100",
            f"p{position.pk}-red": "100",
            f"p{position.pk}-amber": "0",
            f"p{position.pk}-green": "0",
            f"p{position.pk}-mitigations": "0",
            f"p{position.pk}-comment": "",
            f"p{position.pk}-version": str(position.version),
        },
        headers={"X-CSRFToken": csrf},
    )
    assert refused.status == 403
    assert "Your role can read but not change data." in refused.text()  # not a CSRF refusal
    position.refresh_from_db()
    assert (position.red, position.green) == (0, 100_000)
