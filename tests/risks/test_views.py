"""The register's pages as officers and councillors use them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nct_monitor.models import ImportRun
from nct_monitor.services import sign_off_period
from risks.choices import RiskStatus
from risks.models import Risk, RiskAction, RiskReview
from tests.factories import period
from tests.risks.factories import RiskActionFactory, RiskFactory
from tests.risks.helpers import review
from tests.spreadsheets import read_xlsx

pytestmark = pytest.mark.django_db

REGISTER = reverse("risks:risk_list")
HEATMAP = reverse("risks:heatmap")


@pytest.fixture(autouse=True)
def _october_2024(on_day):
    on_day(2024, 10, 15)  # 2024/25 P7


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def review_form(risk: Risk, **changes) -> dict:
    data = {
        "period": "2024:7",
        "probability": "4",
        "impact": "4",
        "position": "Referrals up 20% since the summer",
        "further_actions": "Weekly demand meeting",
        "reviewer": "Director of Children's Social Care",
        "reviewed_on": "2024-10-14",
    }
    data.update(changes)
    return data


def row_of(html: str, ref: str) -> str:
    """The register table's row for `ref`."""
    start = html.index(f">{ref}</a>")
    return html[start : html.index("</tr>", start)]


def test_an_officer_imports_the_register_and_a_review_shows_everywhere(
    officer_client, member_client, register_file
):
    # The officer uploads the register, checks the preview and confirms it.
    upload = SimpleUploadedFile("risk_register.csv", register_file, content_type="text/csv")
    response = officer_client.post(reverse("risks:risk_import"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.url == reverse("import_run", args=[run.pk])
    preview = page(officer_client, response.url)
    assert "27 to create, 0 to change, 0 unchanged" in preview
    officer_client.post(reverse("import_confirm", args=[run.pk]))
    assert Risk.objects.count() == 27

    # SCR 04 is high (3 × 4 = 12); the review makes it very high (4 × 4 = 16).
    risk = Risk.objects.get(ref="SCR 04")
    assert "12 High" in row_of(page(officer_client, REGISTER), "SCR 04")
    cell = '?status=open&amp;probability=4&amp;impact=4"><span class="nct-heatmap__count">'
    assert f"{cell}5</span>" in page(officer_client, HEATMAP)
    response = officer_client.post(
        reverse("risks:riskreview_add", args=[risk.pk]), review_form(risk)
    )
    assert response.status_code == 302

    for client in (officer_client, member_client):
        register = row_of(page(client, REGISTER), "SCR 04")
        assert "16 Very high" in register
        assert 'nct-movement--up"><span aria-hidden="true">↑</span> Up</span>' in register
        assert "from 12" in register
        assert f"{cell}6</span>" in page(client, HEATMAP)
        detail = page(client, reverse("risks:risk_detail", args=[risk.pk]))
        assert "SCR 04: current score by review" in detail
        assert '<th scope="row" class="govuk-table__header">2024/25 P7</th>' in detail
        history = page(client, reverse("risks:risk_history", args=[risk.pk]))
        assert "Reviewed for 2024/25 P7" in history

    member_detail = page(member_client, reverse("risks:risk_detail", args=[risk.pk]))
    assert "Record a review" not in member_detail
    assert "Import the register" not in page(member_client, REGISTER)


def test_a_councillor_cannot_record_a_review(member_client):
    risk = RiskFactory()
    url = reverse("risks:riskreview_add", args=[risk.pk])

    assert member_client.get(url).status_code == 403
    assert member_client.post(url, review_form(risk)).status_code == 403
    assert not RiskReview.objects.exists()


def test_a_councillor_cannot_upload_a_register(member_client, register_file):
    upload = SimpleUploadedFile("risk_register.csv", register_file)

    assert member_client.post(reverse("risks:risk_import"), {"file": upload}).status_code == 403
    assert not Risk.objects.exists()


def test_the_review_form_shows_a_signed_off_period_s_error(officer, officer_client):
    risk = RiskFactory()
    sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    response = officer_client.post(
        reverse("risks:riskreview_add", args=[risk.pk]), review_form(risk, period="2024:6")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "2024/25 P6 is signed off, so its data cannot be changed." in html
    assert not RiskReview.objects.exists()


def test_the_review_form_lists_a_signed_off_period_beside_other_errors(officer, officer_client):
    risk = RiskFactory()
    sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    response = officer_client.post(
        reverse("risks:riskreview_add", args=[risk.pk]),
        review_form(risk, period="2024:6", probability=""),
    )

    html = response.content.decode()
    assert '<a href="#id_period">2024/25 P6 is signed off, so its data cannot be changed.' in html
    assert '<a href="#id_probability">Select current probability</a>' in html


def test_the_review_form_needs_a_probability(officer_client):
    risk = RiskFactory()

    response = officer_client.post(
        reverse("risks:riskreview_add", args=[risk.pk]), review_form(risk, probability="")
    )

    assert "Select current probability" in response.content.decode()
    assert not RiskReview.objects.exists()


def test_the_review_form_offers_periods_up_to_now_and_marks_signed_off_ones(
    officer, officer_client
):
    risk = RiskFactory()
    sign_off_period(
        period=period("2024/25 P6"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    html = page(officer_client, reverse("risks:riskreview_add", args=[risk.pk]))

    assert '<option value="2024:7" selected>2024/25 P7 (October 2024)</option>' in html
    assert "2024/25 P6 (September 2024) – signed off" in html
    assert "2024/25 P8" not in html


def test_the_review_form_opens_at_the_next_period_to_sign_off_not_the_calendar_month(
    officer, officer_client
):
    # Today falls in 2024/25 P7; P5 is the latest signed off, so P6 is the one to review.
    risk = RiskFactory()
    sign_off_period(
        period=period("2024/25 P5"), user=officer, exceptions_reason="Gaps accepted for this test"
    )

    html = page(officer_client, reverse("risks:riskreview_add", args=[risk.pk]))

    assert '<option value="2024:6" selected>2024/25 P6 (September 2024)</option>' in html
    assert '<option value="2024:7">2024/25 P7 (October 2024)</option>' in html


def test_each_heatmap_cell_links_to_its_risks(officer_client):
    RiskFactory(ref="CR 01", current_probability=4, current_impact=4)
    RiskFactory(ref="CR 02", current_probability=4, current_impact=4)
    RiskFactory(ref="CR 03", current_probability=2, current_impact=4)

    html = page(officer_client, f"{REGISTER}?status=open&probability=4&impact=4")

    assert ">CR 01</a>" in html and ">CR 02</a>" in html
    assert ">CR 03</a>" not in html


def test_the_heatmap_toggles_to_initial_and_target_scores(officer_client):
    RiskFactory(initial_probability=5, initial_impact=5, target_probability=1, target_impact=2)

    initial = page(officer_client, f"{HEATMAP}?scores=initial")
    target = page(officer_client, f"{HEATMAP}?scores=target")

    assert "?status=open&amp;scores=initial&amp;probability=5&amp;impact=5" in initial
    assert "?status=open&amp;scores=target&amp;probability=1&amp;impact=2" in target
    assert '<a class="govuk-link" href="?scores=target" aria-current="page">' in target


def test_the_heatmap_is_a_table_a_screen_reader_can_read(officer_client):
    RiskFactory(current_probability=3, current_impact=4)

    html = page(officer_client, HEATMAP)

    assert "<caption" in html and "Open risks by current score" in html
    assert '<th scope="col" class="govuk-table__header">Impact 4' in html
    assert '<th scope="row" class="govuk-table__header">Probability 3' in html
    assert (
        '<span class="nct-heatmap__count">1</span><span class="govuk-visually-hidden"> open '
        'risk scored</span> <span class="nct-heatmap__band">12 High</span>' in html
    )


def test_the_register_filters_by_category_owner_band_status_and_search(officer_client):
    RiskFactory(ref="CR 01", category="corporate", owner="Chief Executive")
    RiskFactory(
        ref="FOR 05",
        category="finance_operational",
        owner="Director of Finance",
        current_probability=5,
        current_impact=5,
        description="Savings plans",
    )
    RiskFactory(
        ref="SCR 01",
        category="social_care",
        owner="Director of Children's Social Care",
        status=RiskStatus.CLOSED,
        status_date=date(2024, 1, 1),
    )

    def refs(query: str) -> list[str]:
        html = page(officer_client, f"{REGISTER}?{query}")
        return [ref for ref in ("CR 01", "FOR 05", "SCR 01") if f">{ref}</a>" in html]

    assert refs("category=finance_operational") == ["FOR 05"]
    assert refs("owner=Chief+Executive") == ["CR 01"]
    assert refs("band=very_high") == ["FOR 05"]
    assert refs("band=high") == ["CR 01", "SCR 01"]
    assert refs("status=closed") == ["SCR 01"]
    assert refs("q=savings") == ["FOR 05"]


def test_the_register_downloads_as_csv_with_plain_values(officer_client):
    RiskFactory(ref="FOR 05", current_probability=5, current_impact=5)

    response = officer_client.get(f"{REGISTER}?_export=csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, first = rows[0], rows[1]
    exported = dict(zip(header, first, strict=True))
    assert (exported["Risk"], exported["Current"], exported["Current band"]) == (
        "FOR 05",
        "25",
        "Very high",
    )
    assert exported["Movement"] == "new"


def test_the_register_downloads_in_the_import_layout(member_client):
    RiskFactory(ref="FOR 05")

    response = member_client.get(reverse("risks:risk_export"))

    rows = read_xlsx(response.content)
    assert rows[0][:3] == ["Risk No", "Category", "Date Raised"]
    assert rows[1][0] == "FOR 05"


def test_the_blank_template_sits_beside_the_upload(officer_client):
    upload_page = page(officer_client, reverse("risks:risk_import"))
    assert reverse("risks:import_template") in upload_page

    rows = read_xlsx(officer_client.get(reverse("risks:import_template")).content)

    assert rows == [[*rows[0]]] and rows[0][0] == "Risk No" and rows[0][-1] == "Status"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _many_risks() -> None:
    for number in range(2, 30):
        risk = RiskFactory(ref=f"FOR {number:02d}", category="finance_operational")
        review(risk, "2024/25 P6", 2, 3, on=date(2024, 10, 1))
        review(risk, "2024/25 P7", 3, 3, on=date(2024, 10, 14))
        RiskActionFactory(risk=risk)


@pytest.mark.parametrize("url", [REGISTER, HEATMAP, f"{REGISTER}?_export=csv"])
def test_the_register_and_heatmap_run_the_same_queries_for_1_or_many_risks(officer_client, url):
    first = RiskFactory(ref="CR 01")
    review(first, "2024/25 P7", 4, 4, on=date(2024, 10, 14))
    with_one = _queries(officer_client, url)

    _many_risks()

    assert _queries(officer_client, url) == with_one


def test_the_risk_page_shows_every_field_and_the_three_scores(member_client):
    risk = RiskFactory(
        ref="FOR 017",
        initial_probability=3,
        initial_impact=4,
        current_probability=4,
        current_impact=4,
        target_probability=3,
        target_impact=3,
        event="Councils do not agree",
    )

    html = page(member_client, reverse("risks:risk_detail", args=[risk.pk]))

    for text in (
        "FOR 017",
        "Councils do not agree",
        "Funding agreed for this year",
        "Review at year end",
        "1 April 2021",
        "Chief Executive",
    ):
        assert text in html
    assert '<span class="nct-matrix-mark">Initial</span>' in html
    assert '<span class="nct-matrix-mark">Current</span>' in html
    assert '<span class="nct-matrix-mark">Target</span>' in html
    assert "12 High" in html and "16 Very high" in html and "9 High" in html
    assert "No reviews are recorded yet" in html


def test_an_officer_adds_an_action_and_an_overdue_one_is_flagged(officer_client):
    risk = RiskFactory()

    response = officer_client.post(
        reverse("risks:riskaction_add", args=[risk.pk]),
        {
            "description": "Agree the placement forecast",
            "owner": "Director of Finance",
            "due_date": "2024-10-01",
            "status": "in_progress",
        },
    )

    assert response.status_code == 302
    html = page(officer_client, reverse("risks:risk_detail", args=[risk.pk]))
    assert "Agree the placement forecast" in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    action = RiskAction.objects.get()
    officer_client.post(
        reverse("risks:riskaction_edit", args=[action.pk]),
        {
            "description": action.description,
            "owner": action.owner,
            "due_date": "2024-10-01",
            "status": "complete",
        },
    )
    html = page(officer_client, reverse("risks:risk_detail", args=[risk.pk]))
    assert 'govuk-tag--red">Overdue' not in html
    assert page(officer_client, reverse("risks:riskaction_history", args=[action.pk]))


def test_an_officer_closes_a_risk_with_its_date(officer_client):
    risk = RiskFactory(date_raised=date(2022, 4, 25))

    response = officer_client.post(
        reverse("risks:risk_status", args=[risk.pk]),
        {"status": "closed", "status_date": "2024-01-19", "reason": "Agreed at NCT board"},
    )

    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.status, risk.status_date) == (RiskStatus.CLOSED, date(2024, 1, 19))
    assert risk.history.latest().history_change_reason == "Agreed at NCT board"


def test_closing_a_risk_without_a_date_shows_the_error(officer_client):
    risk = RiskFactory()

    response = officer_client.post(
        reverse("risks:risk_status", args=[risk.pk]), {"status": "closed", "status_date": ""}
    )

    assert "give the date it was closed" in response.content.decode()
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def _risk_form(**changes) -> dict:
    data = {
        "ref": "FOR 018",
        "category": "finance_operational",
        "risk_type": "Financial risk",
        "owner": "Director of Finance and Resources",
        "date_raised": "2024-09-01",
        "description": "Placement costs rise faster than the contract sum",
        "initial_probability": "4",
        "initial_impact": "4",
        "current_probability": "4",
        "current_impact": "4",
        "target_probability": "2",
        "target_impact": "4",
    }
    data.update(changes)
    return data


def test_an_officer_adds_a_risk_by_hand(officer_client):
    response = officer_client.post(reverse("risks:risk_add"), _risk_form())

    risk = Risk.objects.get()
    assert response.url == reverse("risks:risk_detail", args=[risk.pk])
    assert (risk.ref, risk.current_score.value) == ("FOR 018", 16)


def test_a_second_risk_with_the_same_number_is_refused(officer_client):
    RiskFactory(ref="FOR 018")

    response = officer_client.post(reverse("risks:risk_add"), _risk_form(ref="for 018"))

    assert "The register already has a risk numbered FOR 018." in response.content.decode()
    assert Risk.objects.count() == 1


def test_a_councillor_cannot_add_or_edit_a_risk(member_client):
    risk = RiskFactory()

    assert member_client.post(reverse("risks:risk_add"), _risk_form()).status_code == 403
    assert member_client.get(reverse("risks:risk_edit", args=[risk.pk])).status_code == 403
    assert member_client.post(reverse("risks:risk_status", args=[risk.pk]), {}).status_code == 403


def test_a_review_s_changes_are_kept(officer, officer_client):
    risk = RiskFactory()
    first = review(risk, "2024/25 P7", 4, 4, on=date(2024, 10, 14), user=officer)
    review(risk, "2024/25 P7", 4, 5, on=date(2024, 10, 14), user=officer)

    html = page(officer_client, reverse("risks:riskreview_history", args=[first.pk]))

    assert "Current impact" in html and "Review for 2024/25 P7" in html


def test_an_unknown_risk_is_not_found(officer_client):
    assert officer_client.get(reverse("risks:risk_detail", args=[999])).status_code == 404


def test_the_navigation_leads_to_the_register(member_client):
    assert '<a class="govuk-service-navigation__link" href="/risks/"' in page(
        member_client, REGISTER
    )
