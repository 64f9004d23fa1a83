"""The savings pages as officers and councillors use them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nct_monitor import services as period_services
from nct_monitor.models import ImportRun
from savings import demo
from savings.importers import COLUMNS
from savings.models import SavingsLine, SavingsPosition
from tests.factories import period
from tests.savings.factories import SavingsLineFactory, position
from tests.spreadsheets import read_xlsx, xlsx

pytestmark = pytest.mark.django_db

TRACKER = reverse("savings:tracker", kwargs={"year": 2023, "period": 9})
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def demo_p9(contract):
    demo.load()
    return period("2023/24 P9")


def fostering() -> SavingsPosition:
    return SavingsPosition.objects.get(line__title="Increase in In house Fostering")


def edit_data(item: SavingsPosition, **figures: str) -> dict[str, str]:
    """The edit form's fields for a position, figures in £'000 as typed."""
    values = {
        "target": str(item.target / 1000),
        "red": str(item.red / 1000),
        "amber": str(item.amber / 1000),
        "green": str(item.green / 1000),
        "mitigations": str(item.mitigations / 1000),
        "comment": item.comment,
        "version": str(item.version),
    }
    values.update(figures)
    return {f"p{item.pk}-{name}": value for name, value in values.items()}


def test_savings_opens_at_the_latest_period_with_positions(officer_client, demo_p9):
    response = officer_client.get(reverse("savings:index"))

    assert response.status_code == 302
    assert response["Location"] == "/savings/2023-24/p9/"


def test_the_tracker_shows_lines_totals_and_council_shares(member_client, demo_p9):
    page = member_client.get(TRACKER).content.decode()

    assert "Savings tracker: 2023/24 P9 (December 2023)" in page
    assert "Review of Contracts" in page
    assert "Total: NCT savings proposals" in page and "3,872" in page
    assert "TOTAL SAVINGS" in page and "7,672" in page and "5,055" in page
    assert "NNC £550,675.20" in page and "WNC £696,324.80" in page
    assert "65.9% of target" in page


def test_a_committee_member_sees_the_tracker_read_only(member_client, demo_p9):
    page = member_client.get(TRACKER).content.decode()
    item = fostering()

    assert reverse("savings:savingsposition_edit", args=[item.pk]) not in page
    assert "Upload a return" not in page and "Add a line" not in page
    response = member_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]), edit_data(item, red="0")
    )
    assert response.status_code == 403
    assert fostering().red == Decimal("620000.00")


def test_an_officer_gets_an_edit_row_in_place(officer_client, demo_p9):
    item = fostering()

    response = officer_client.get(reverse("savings:savingsposition_edit", args=[item.pk]), **HTMX)

    html = response.content.decode()
    assert html.strip().startswith("<tr")
    assert f'name="p{item.pk}-red"' in html and 'value="620"' in html
    assert f'hx-post="{reverse("savings:savingsposition_edit", args=[item.pk])}"' in html


def test_saving_an_edit_row_refreshes_totals_movement_and_shares(officer_client, demo_p9):
    item = fostering()

    response = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="500", amber="120", mitigations="100", comment="Some carers found"),
        **HTMX,
    )

    assert response["HX-Retarget"] == "#savings-tracker"
    html = response.content.decode()
    assert "Increase in In house Fostering: 2023/24 P9 position saved." in html
    # Red total 1,247 − 120 = 1,127; shortfall 1,127 − 100 = 1,027, split 44.16 / 55.84.
    assert "1,127" in html and "1,027" in html
    assert "NNC £453,523.20" in html and "WNC £573,476.80" in html
    saved = fostering()
    assert (saved.red, saved.amber, saved.mitigations, saved.comment) == (
        Decimal("500000.00"),
        Decimal("120000.00"),
        Decimal("100000.00"),
        "Some carers found",
    )


def test_an_edit_row_with_an_error_names_the_line_and_the_figure(officer_client, demo_p9):
    item = fostering()

    response = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="600"),
        **HTMX,
    )

    html = response.content.decode()
    assert html.strip().startswith("<tr")
    assert (
        "Increase in In house Fostering: Red + Amber + Green = 600 + 0 + 0 = 600, but the "
        "target is 620 (£&#x27;000). They must be equal."
    ) in html
    assert fostering().red == Decimal("620000.00")


def test_an_edit_row_refuses_text_and_negative_figures_by_name(officer_client, demo_p9):
    item = fostering()

    html = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="lots", mitigations="-5"),
        **HTMX,
    ).content.decode()

    assert (
        "Increase in In house Fostering: Red must be an amount in £&#x27;000, such as 1,247 or "
        "0.5, not &#x27;lots&#x27;."
    ) in html
    assert "Increase in In house Fostering: Mitigations cannot be negative (-5)." in html


def test_an_edit_row_refuses_amounts_finer_than_a_pound(officer_client, demo_p9):
    item = fostering()

    html = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="619.9995", amber="0.0005"),
        **HTMX,
    ).content.decode()

    assert (
        "Increase in In house Fostering: Red must be to the pound: at most 3 decimal places in "
        "£&#x27;000 (619.9995)."
    ) in html


def test_without_javascript_the_edit_page_saves_and_returns_to_the_line(officer_client, demo_p9):
    item = fostering()
    url = reverse("savings:savingsposition_edit", args=[item.pk])

    page = officer_client.get(url).content.decode()
    response = officer_client.post(url, edit_data(item, red="520", amber="100"))

    assert "Edit Increase in In house Fostering" in page and "govuk-error-summary" not in page
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}#line-{item.pk}"
    assert fostering().amber == Decimal("100000.00")


def test_without_javascript_an_error_shows_the_error_summary(officer_client, demo_p9):
    item = fostering()

    page = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, mitigations="700"),
    ).content.decode()

    assert "govuk-error-summary" in page
    assert "Increase in In house Fostering: Mitigations (700) are more than Red (620)" in page


def test_a_signed_off_period_is_read_only_with_a_notice(officer_client, officer, demo_p9):
    period_services.sign_off_period(period=demo_p9, user=officer)
    item = fostering()

    page = officer_client.get(TRACKER).content.decode()
    response = officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="0", green="620"),
    )

    assert "2023/24 P9 is signed off, so its savings are read-only." in page
    assert reverse("savings:savingsposition_edit", args=[item.pk]) not in page
    assert "Upload a return" not in page
    assert response.status_code == 302
    assert fostering().red == Decimal("620000.00")


def test_an_officer_starts_the_next_period_from_the_last(officer_client, demo_p9):
    p10 = reverse("savings:tracker", kwargs={"year": 2023, "period": 10})
    page = officer_client.get(p10).content.decode()

    response = officer_client.post(reverse("savings:period_start", args=[2023, 10]))

    assert "Start 2023/24 P10 from 2023/24 P9" in page
    assert response.status_code == 302
    assert SavingsPosition.objects.filter(period=period("2023/24 P10")).count() == 15
    after = officer_client.get(p10).content.decode()
    assert "15 lines are carried forward from an earlier period and not yet reviewed." in after


def test_a_rating_moved_lists_the_line_with_its_comment(officer_client, contract):
    line = SavingsLineFactory(title="Fostering")
    position(line, "2023/24 P8", amber=620)
    position(line, "2023/24 P9", red=620, comment="No new carers")

    page = officer_client.get(TRACKER).content.decode()

    assert "Rating changes since 2023/24 P8" in page
    assert "No new carers" in page
    assert "was Amber" in page


def test_an_officer_adds_a_line(officer_client, contract):
    response = officer_client.post(
        reverse("savings:savingsline_add", args=[2023, 9]),
        {
            "ref": "",
            "title": "Review of Contracts",
            "sro": "Louise De Chiara",
            "group": "NCT savings proposals",
            "target": "100",
            "red": "",
            "amber": "",
            "green": "100",
            "mitigations": "",
            "comment": "",
        },
    )

    assert response.status_code == 302
    assert SavingsPosition.objects.get().green == Decimal("100000.00")


def test_an_officer_uploads_previews_and_confirms_a_return(officer_client, contract):
    upload_page = officer_client.get(reverse("savings:import") + "?period=2023:9").content.decode()
    data = xlsx([COLUMNS, ["", "Review of Contracts", "", "NCT", 100, 0, 0, 100, 0, ""]])

    response = officer_client.post(
        reverse("savings:import"),
        {"period": "2023:9", "file": SimpleUploadedFile("p9.xlsx", data)},
    )

    assert reverse("savings:template") in upload_page
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("import_run", args=[run.pk])
    preview = officer_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Check what will be imported" in preview and "Review of Contracts (new line)" in preview
    assert SavingsLine.objects.count() == 0
    officer_client.post(reverse("import_confirm", args=[run.pk]))
    assert SavingsPosition.objects.get().green == Decimal("100000.00")


def test_the_upload_page_refuses_a_signed_off_period(officer_client, officer, contract):
    period_services.sign_off_period(period=period("2023/24 P9"), user=officer)
    data = xlsx([COLUMNS, ["", "A", "", "NCT", 1, 0, 0, 1, 0, ""]])

    page = officer_client.post(
        reverse("savings:import"), {"period": "2023:9", "file": SimpleUploadedFile("p.xlsx", data)}
    ).content.decode()

    assert "2023/24 P9 is signed off, so its data cannot be changed." in page
    assert not ImportRun.objects.exists()


def test_a_member_cannot_upload_a_return(member_client, contract):
    assert member_client.get(reverse("savings:import")).status_code == 403


def test_the_tracker_downloads_as_a_return_and_as_csv(member_client, demo_p9):
    xlsx_response = member_client.get(reverse("savings:tracker_export", args=[2023, 9, "xlsx"]))
    csv_response = member_client.get(reverse("savings:tracker_export", args=[2023, 9, "csv"]))

    rows = read_xlsx(xlsx_response.content)
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="savings-2023-24-p9.xlsx"'
    assert rows[-1][:9] == [None, "TOTAL SAVINGS", None, None, 7672, 1247, 1370, 5055, 0]
    assert (
        csv_response.content.decode()
        .splitlines()[-1]
        .startswith(",TOTAL SAVINGS,,,7672,1247,1370,5055,0,,1247,550675.20,696324.80")
    )


def test_the_blank_template_downloads(member_client):
    response = member_client.get(reverse("savings:template"))

    assert read_xlsx(response.content) == [COLUMNS]


def test_a_lines_page_shows_its_history_as_a_table_and_a_chart(member_client, contract):
    line = SavingsLineFactory(title="Fostering")
    position(line, "2023/24 P8", amber=620)
    position(line, "2023/24 P9", red=620)

    page = member_client.get(reverse("savings:savingsline_detail", args=[line.pk])).content.decode()

    assert "<svg" in page and "Fostering: red, amber and green by period" in page
    assert "2023/24 P8" in page and "2023/24 P9" in page
    assert "NNC £273,792.00" in page and "WNC £346,208.00" in page  # the P9 shortfall of 620
    assert "Retire line" not in page


def test_the_change_history_of_a_position_shows_before_and_after(officer_client, demo_p9):
    item = fostering()
    officer_client.post(
        reverse("savings:savingsposition_edit", args=[item.pk]),
        edit_data(item, red="600", amber="20"),
    )

    page = officer_client.get(
        reverse("savings:savingsposition_history", args=[item.pk])
    ).content.decode()

    assert "Edited on the 2023/24 P9 tracker" in page
    assert "620,000.00" in page and "600,000.00" in page


def test_an_officer_retires_a_line(officer_client, demo_p9):
    line = fostering().line

    response = officer_client.post(
        reverse("savings:savingsline_retire", args=[line.pk]),
        {"retired_on": "2024-01-31", "reason": "Replaced by the fostering programme"},
    )

    assert response.status_code == 302
    assert SavingsLine.objects.get(pk=line.pk).is_retired


def test_the_tracker_needs_the_same_queries_for_1_and_200_lines(
    officer_client, contract, django_assert_num_queries
):
    def lines(count: int) -> None:
        SavingsPosition.objects.all().delete()
        SavingsLine.objects.all().delete()
        for number in range(count):
            line = SavingsLineFactory(group=f"Group {number % 3}")
            position(line, "2023/24 P8", amber=10)
            position(line, "2023/24 P9", red=5, green=5, mitigations=1)

    lines(1)
    officer_client.get(TRACKER)  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(TRACKER).status_code == 200
    lines(200)

    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get(TRACKER)

    assert response.content.decode().count('class="govuk-table__row" id="line-') == 200


def test_cancelling_an_edit_row_brings_back_the_line(officer_client, demo_p9):
    item = fostering()

    html = officer_client.get(
        reverse("savings:savingsposition_row", args=[item.pk]), **HTMX
    ).content.decode()

    assert html.strip().startswith(f'<tr class="govuk-table__row" id="line-{item.pk}">')
    assert "Increase in In house Fostering" in html and "nct-edit-row" not in html


def test_a_period_without_positions_says_so(member_client, contract):
    page = member_client.get(TRACKER).content.decode()

    assert "No savings positions are recorded for 2023/24 P9 (December 2023)." in page
    assert "Start 2023/24 P9" not in page


def test_a_member_cannot_start_a_period(member_client, demo_p9):
    response = member_client.post(reverse("savings:period_start", args=[2023, 10]))

    assert response.status_code == 403
    assert not SavingsPosition.objects.filter(period=period("2023/24 P10")).exists()


def test_a_large_return_is_checked_and_applied_in_the_background(
    settings, officer_client, contract
):
    settings.NCT_IMPORT_INLINE_BYTES = 10  # every file counts as large
    data = xlsx([COLUMNS, ["S1", "Review of Contracts", "", "NCT", 100, 0, 0, 100, 0, ""]])

    officer_client.post(
        reverse("savings:import"), {"period": "2023:9", "file": SimpleUploadedFile("p.xlsx", data)}
    )
    run = ImportRun.objects.get()
    officer_client.post(reverse("import_confirm", args=[run.pk]))

    assert ImportRun.objects.get().status == "applied"
    assert SavingsLine.objects.get().ref == "S1"


def test_the_preview_names_lines_the_return_leaves_without_a_position(officer_client, demo_p9):
    data = xlsx(
        [COLUMNS, ["", "Review of Contracts", "", "NCT savings proposals", 100, 0, 0, 100, 0, ""]]
    )

    officer_client.post(
        reverse("savings:import"), {"period": "2023:10", "file": SimpleUploadedFile("p.xlsx", data)}
    )

    preview = officer_client.get(
        reverse("import_run", args=[ImportRun.objects.get().pk])
    ).content.decode()
    assert "14 line(s) of 2023/24 P9 are not in this return and will have no 2023/24 P10" in preview
