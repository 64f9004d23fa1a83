"""The shared import machinery, driven through a small importer of financial years."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.module_loading import import_string

from nct_monitor import services
from nct_monitor.importing import (
    IMPORTERS,
    ImportIssue,
    ImportPlan,
    ImportRefused,
    RowReader,
    apply_return,
    check_return,
    read_sheet,
    tasks,
)
from nct_monitor.models import FinancialYear, ImportRun
from nct_monitor.periods import parse_year, year_label
from tests.spreadsheets import xlsx

CORPUS = Path(__file__).parents[1] / "data" / "bad"


class YearsImporter:
    """Adds financial years listed in a `Year` column."""

    kind = "test_years"
    title = "Years return"
    permission = "nct_monitor.add_financialyear"

    def read(
        self, data: bytes, *, filename: str, params: dict[str, Any], progress: Any
    ) -> list[int]:
        sheet = read_sheet(data, filename=filename, columns=["Year", "Note"], required=["Year"])
        issues: list[ImportIssue] = []
        years = []
        for row in sheet.rows:
            try:
                years.append(parse_year(str(row.cells["Year"])))
            except ValueError as error:
                issues.append(sheet.issue(row, "Year", str(error)))
        if issues:
            raise ImportRefused(issues)
        return years

    def plan(self, parsed: list[int], *, params: dict[str, Any]) -> ImportPlan:
        plan = ImportPlan()
        existing = set(FinancialYear.objects.values_list("start_year", flat=True))
        for start in parsed:
            plan.add("unchanged" if start in existing else "create", year_label(start))
        return plan

    def write(self, parsed: list[int], *, params: dict[str, Any], user: Any, progress: Any) -> None:
        for start in parsed:
            services.create_financial_year(start_year=start)

    def describe(self, params: dict[str, Any]) -> str:
        return "financial years"

    def success_url(self, params: dict[str, Any]) -> str:
        return reverse("period_list")


@pytest.fixture
def years_importer():
    importer = YearsImporter()
    IMPORTERS[importer.kind] = importer
    yield importer
    IMPORTERS.pop(importer.kind)


def test_headers_match_ignoring_case_and_spaces_and_extra_columns_are_ignored():
    sheet = read_sheet(
        xlsx([["  year ", "Something else"], ["2027/28", "x"]]),
        filename="r.xlsx",
        columns=["Year"],
        required=["Year"],
    )
    assert sheet.headers == {"Year": "year"}
    assert sheet.rows[0].number == 2
    assert sheet.rows[0].cells == {"Year": "2027/28"}


def test_a_missing_required_column_is_refused_by_name():
    with pytest.raises(ImportRefused) as refused:
        read_sheet(
            xlsx([["Note"], ["x"]]), filename="r.xlsx", columns=["Year", "Note"], required=["Year"]
        )
    assert [str(i) for i in refused.value.issues] == [
        "Sheet 'Return', row 1: The required column 'Year' is missing."
    ]


def test_an_empty_sheet_is_refused():
    with pytest.raises(ImportRefused, match="The sheet is empty"):
        read_sheet(xlsx([]), filename="r.xlsx", columns=["Year"], required=["Year"])


def test_headers_without_rows_are_refused():
    with pytest.raises(ImportRefused, match="headers but no data rows"):
        read_sheet(xlsx([["Year"]]), filename="r.xlsx", columns=["Year"], required=["Year"])


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        read_sheet(b"%PDF-1.7 not a sheet", filename="r.xlsx", columns=["Year"], required=["Year"])


def test_a_zip_that_would_unpack_too_large_is_refused_before_unpacking(settings, monkeypatch):
    monkeypatch.setattr("nct_monitor.importing.workbook.MAX_UNPACKED_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "0" * 5000)
    with pytest.raises(ImportRefused, match="would unpack to"):
        read_sheet(buffer.getvalue(), filename="r.xlsx", columns=["Year"], required=["Year"])


def test_a_csv_with_a_byte_order_mark_is_read():
    data = "\ufeffYear\r\n2027/28\r\n".encode()
    sheet = read_sheet(data, filename="years.csv", columns=["Year"], required=["Year"])
    assert sheet.rows[0].cells == {"Year": "2027/28"}


def test_a_repeated_column_is_refused():
    with pytest.raises(ImportRefused, match="appears twice"):
        read_sheet(
            xlsx([["Year", "YEAR"], ["2027/28", "2028/29"]]),
            filename="r.xlsx",
            columns=["Year"],
            required=["Year"],
        )


def _sheet(rows):
    return read_sheet(
        xlsx(rows), filename="r.xlsx", columns=["Amount", "Date"], required=["Amount"]
    )


def test_decimal_cells_say_what_is_wrong_and_where():
    sheet = _sheet([["Amount"], ["abc"], [-1], [1.2345], [1000], ["1,247.5"]])
    issues: list[ImportIssue] = []
    values = [
        RowReader(sheet, row, issues).decimal("Amount", places=3, minimum=Decimal(0))
        for row in sheet.rows
    ]
    assert values == [None, None, None, Decimal("1000"), Decimal("1247.5")]
    assert [str(i) for i in issues] == [
        "Sheet 'Return', row 2, column 'Amount': 'abc' is not a number.",
        "Sheet 'Return', row 3, column 'Amount': -1 is below the minimum of 0.",
        "Sheet 'Return', row 4, column 'Amount': 1.2345 has more than 3 decimal places.",
    ]


def test_a_number_written_as_text_is_read_only_in_plain_digits():
    sheet = _sheet([["Amount"], ["£1,247.50"], ["12%"], ["1_000"], ["\u0661\u0662"], ["NaN"]])
    issues: list[ImportIssue] = []

    values = [RowReader(sheet, row, issues).decimal("Amount") for row in sheet.rows]

    assert values == [Decimal("1247.50"), Decimal("12"), None, None, None]
    assert [issue.row for issue in issues] == [4, 5, 6]
    assert all("is not a number" in issue.message for issue in issues)


def test_an_empty_formula_cell_is_reported_as_a_formula_without_a_saved_value():
    sheet = _sheet([["Amount", "Date"], ["=1+1", "01/02/2024"]])
    issues: list[ImportIssue] = []
    assert RowReader(sheet, sheet.rows[0], issues).decimal("Amount") is None
    assert "holds the formula =1+1 but no saved value" in str(issues[0])


def test_integer_and_date_cells():
    sheet = _sheet([["Amount", "Date"], [3, "31/12/2023"], [2.5, "2023-12-31"]])
    issues: list[ImportIssue] = []
    first, second = (RowReader(sheet, row, issues) for row in sheet.rows)
    assert first.integer("Amount", minimum=1, maximum=5) == 3
    assert str(first.date("Date")) == "2023-12-31"
    assert second.integer("Amount") is None
    assert second.date("Date") is None
    assert [i.message for i in issues] == [
        "2.5 is not a whole number.",
        "'2023-12-31' is not a date: use an Excel date or dd/mm/yyyy.",
    ]


@pytest.mark.django_db
def test_applying_the_same_return_twice_changes_nothing_the_second_time(years_importer):
    data = xlsx([["Year"], ["2027/28"], ["2028/29"]])
    first = apply_return(years_importer, data, filename="r.xlsx", params={}, user=None)
    assert [item.label for item in first.created] == ["2027/28", "2028/29"]
    second = check_return(years_importer, data, filename="r.xlsx", params={})
    assert second.created == [] and len(second.unchanged) == 2


@pytest.mark.django_db
def test_an_officer_uploads_previews_and_confirms_a_return(
    admin_client, admin_user, years_importer
):
    upload = SimpleUploadedFile("years.xlsx", xlsx([["Year"], ["2027/28"]]))
    run = services.start_import(kind="test_years", upload=upload, params={}, user=admin_user)
    assert run.status == "previewed"
    page = admin_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "Check what will be imported" in page and "2027/28" in page
    assert not FinancialYear.objects.filter(start_year=2027).exists()

    response = admin_client.post(reverse("import_confirm", args=[run.pk]))
    assert response.status_code == 302
    assert ImportRun.objects.get(pk=run.pk).status == "applied"
    assert FinancialYear.objects.filter(start_year=2027).exists()


@pytest.mark.django_db
def test_a_refused_upload_lists_every_problem_and_writes_nothing(
    admin_client, admin_user, years_importer
):
    upload = SimpleUploadedFile("years.xlsx", xlsx([["Year"], ["2027/29"], ["twenty"]]))
    run = services.start_import(kind="test_years", upload=upload, params={}, user=admin_user)
    assert run.status == "refused"
    assert [(i["row"], i["column"]) for i in run.issues] == [(2, "Year"), (3, "Year")]
    page = admin_client.get(reverse("import_run", args=[run.pk])).content.decode()
    assert "nothing was imported" in page
    assert not FinancialYear.objects.filter(start_year=2027).exists()


@pytest.mark.django_db
def test_a_confirm_after_the_data_moved_shows_the_new_preview_and_writes_nothing(
    admin_client, admin_user, years_importer
):
    upload = SimpleUploadedFile("years.xlsx", xlsx([["Year"], ["2027/28"], ["2028/29"]]))
    run = services.start_import(kind="test_years", upload=upload, params={}, user=admin_user)
    services.create_financial_year(start_year=2027)  # someone else, meanwhile

    admin_client.post(reverse("import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "previewed"
    assert "changed after this preview" in run.message
    assert not FinancialYear.objects.filter(start_year=2028).exists()


@pytest.mark.django_db
def test_a_member_cannot_confirm_a_return(member_client, admin_user, years_importer):
    upload = SimpleUploadedFile("years.xlsx", xlsx([["Year"], ["2027/28"]]))
    run = services.start_import(kind="test_years", upload=upload, params={}, user=admin_user)
    assert member_client.post(reverse("import_confirm", args=[run.pk])).status_code == 403
    assert ImportRun.objects.get(pk=run.pk).status == "previewed"


@pytest.mark.django_db
def test_a_large_return_is_checked_and_applied_by_a_background_task(
    settings, admin_client, admin_user, years_importer
):
    settings.NCT_IMPORT_INLINE_BYTES = 10  # every file counts as large
    upload = SimpleUploadedFile("years.xlsx", xlsx([["Year"], ["2027/28"]]))
    run = services.start_import(kind="test_years", upload=upload, params={}, user=admin_user)
    assert run.status == "previewed"  # the test backend runs tasks at once
    admin_client.post(reverse("import_confirm", args=[run.pk]))
    assert ImportRun.objects.get(pk=run.pk).status == "applied"


@pytest.mark.django_db
def test_whether_a_return_goes_to_the_worker_is_decided_by_its_unpacked_size(
    settings, admin_user, years_importer
):
    settings.NCT_IMPORT_INLINE_BYTES = 100_000
    small = xlsx([["Year", "Note"], ["2027/28", "x" * 1000]])
    # Well under the limit as uploaded, and three times over it unpacked.
    packed = xlsx([["Year", "Note"], *[[f"{2028 + n}/{29 + n}", "x" * 30_000] for n in range(10)]])
    assert len(packed) < 100_000

    inline = services.start_import(
        kind="test_years", upload=SimpleUploadedFile("s.xlsx", small), params={}, user=admin_user
    )
    queued = services.start_import(
        kind="test_years", upload=SimpleUploadedFile("p.xlsx", packed), params={}, user=admin_user
    )

    # A run handed to the worker records its task; one checked in the request has none.
    assert (inline.task_id, inline.status) == ("", "previewed")
    assert queued.task_id and queued.status == "previewed", queued.issues


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_in_the_request_from_its_directory(
    settings, admin_user, years_importer
):
    settings.NCT_IMPORT_INLINE_BYTES = 100_000
    bomb = (CORPUS / "zip-bomb-shared-strings-40mb.xlsx").read_bytes()

    run = services.start_import(
        kind="test_years",
        upload=SimpleUploadedFile("bomb.xlsx", bomb),
        params={},
        user=admin_user,
    )

    # Nothing of it is unpacked to refuse it, so no worker is needed.
    assert (run.task_id, run.status) == ("", "refused")
    assert "would unpack to 40 MB" in run.issues[0]["message"]


@pytest.mark.django_db
def test_a_running_import_shows_a_progress_bar_that_polls(admin_client, admin_user):
    run = ImportRun.objects.create(
        kind="test_years", filename="big.xlsx", uploaded_by=admin_user, progress=40
    )
    IMPORTERS["test_years"] = YearsImporter()
    try:
        page = admin_client.get(reverse("import_run", args=[run.pk])).content.decode()
    finally:
        IMPORTERS.pop("test_years")
    assert '<progress class="nct-progress" max="100" value="40"' in page
    assert 'hx-trigger="load delay:1s"' in page


def test_text_that_pandas_would_take_for_missing_is_read_as_text():
    sheet = read_sheet(
        xlsx([["Year", "Note"], ["2027/28", "N/A"], ["2028/29", None]]),
        filename="r.xlsx",
        columns=["Year", "Note"],
        required=["Year"],
    )
    assert [row.cells["Note"] for row in sheet.rows] == ["N/A", None]


def test_tasks_queued_under_their_first_path_still_find_their_function():
    assert import_string("nct_monitor.tasks.check_import_run") is tasks.check_import_run
    assert import_string("nct_monitor.tasks.apply_import_run") is tasks.apply_import_run
