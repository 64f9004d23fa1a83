"""Hostile spreadsheets: every file in `tests/data/bad/` through every importer's command and
upload page. Each gets a clear refusal (every issue naming its sheet, and its row and column
where they apply) or a correct import; never an unhandled error, a 500, or a partial write.

The files are written by `tests/data/bad/make_corpus.py`; its README lists what each tests.
A file laid out as one template is refused by the other importers for its missing columns.
"""

from __future__ import annotations

import io
import runpy
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kpis import demo as kpi_demo
from kpis.models import KpiResult, KpiTarget
from nct_monitor.importing import ImportIssue
from nct_monitor.models import ImportRun
from risks.models import Risk
from savings.models import SavingsLine, SavingsPosition
from tests.spreadsheets import imported_row_counts

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "bad"
KINDS = ("savings", "kpi_targets", "kpi_results", "risks")
COMMANDS = {
    "savings": ["import_savings", "--year", "2023/24", "--period", "9"],
    "kpi_targets": ["import_kpi_targets"],
    "kpi_results": ["import_kpis"],
    "risks": ["import_risks"],
}
UPLOAD_PAGES = {
    "savings": ("savings:import", {"period": "2023:9"}),
    "kpi_targets": ("kpis:targets_upload", {}),
    "kpi_results": ("kpis:results_upload", {}),
    "risks": ("risks:risk_import", {}),
}
# The record an import of each kind creates one of per row.
CREATES = {
    "savings": SavingsPosition,
    "kpi_targets": KpiTarget,
    "kpi_results": KpiResult,
    "risks": Risk,
}
WRITTEN_BY = {"savings": "savings", "kpi_targets": "kpis", "kpi_results": "kpis", "risks": "risks"}


@dataclass(frozen=True)
class Refused:
    """Refused, with at least these issues: (sheet, row, column, the start of the message)."""

    issues: tuple[tuple[str, int | None, str | None, str], ...]


@dataclass(frozen=True)
class Imported:
    """Imported, creating `created` records; `check` looks at what was stored."""

    created: int
    check: Callable[[], None] | None = field(default=None, compare=False)


# Refused by an importer whose template the file is not laid out as.
MISSING_COLUMNS = "missing columns"


def refused(sheet: str, row: int | None, column: str | None, message: str) -> Refused:
    return Refused(((sheet, row, column, message),))


def every_kind(expected: object) -> dict[str, object]:
    return dict.fromkeys(KINDS, expected)


def file_level(name: str, message: str) -> dict[str, object]:
    """Refused by every importer before any sheet is read: the issue names the file."""
    return every_kind(refused(name, None, None, message))


def in_layout(kind: str, expected: Refused | Imported) -> dict[str, object]:
    return {other: (expected if other == kind else MISSING_COLUMNS) for other in KINDS}


def rows(kind: str, sheet: str, *issues: tuple[int | None, str | None, str]) -> dict[str, object]:
    return in_layout(kind, Refused(tuple((sheet, *issue) for issue in issues)))


# What was stored, for the files that import.


def control_characters_are_dropped_from_the_xlsx() -> None:
    result = KpiResult.objects.get()
    assert (result.kpi.number, result.commentary) == (1, "Steady ylraen")


def control_characters_are_dropped_from_the_csv() -> None:
    result = KpiResult.objects.get()
    assert (result.kpi.number, result.commentary) == (2, "Bell escape delete vertical tab")


def text_that_looks_like_a_formula_is_kept_as_text() -> None:
    assert list(KpiResult.objects.order_by("kpi__number").values_list("commentary", flat=True)) == [
        '=HYPERLINK("http://example.com","x")',
        "@SUM(1+1)",
    ]


def results_keep_their_values() -> None:
    stored = {(r.kpi.number, r.period.label): r.value for r in KpiResult.objects.all()}
    assert stored == {
        (1, "2024/25 P6"): Decimal("68.00"),
        (2, "2024/25 P6"): Decimal("29.00"),
        (20, "2024/25 P6"): Decimal("1.00"),
    }


def targets_typed_as_text_are_read_as_numbers() -> None:
    stored = {t.kpi.number: (t.target, t.tolerance) for t in KpiTarget.objects.all()}
    assert stored == {
        1: (Decimal("80.00"), Decimal("5.00")),
        2: (Decimal("30.00"), Decimal("2.50")),
    }


def the_merged_group_reaches_the_line_below() -> None:
    groups = dict(SavingsLine.objects.values_list("ref", "group"))
    assert groups == {"S1": "NCT", "S2": "NCT", "S3": "Valuing care"}


def saved_formula_values_are_checked_as_totals() -> None:
    assert SavingsLine.objects.count() == 2
    assert SavingsPosition.objects.get(line__ref="S2").red == Decimal("620000.00")


def the_long_description_is_kept_whole() -> None:
    assert len(Risk.objects.get().description) == 100_000


def the_closed_risk_is_closed() -> None:
    assert dict(Risk.objects.values_list("ref", "status")) == {"CR 01": "open", "CR 02": "closed"}


EXPECTED: dict[str, dict[str, object]] = {
    # Not a workbook, or not one that can be opened
    "empty-file.xlsx": file_level("empty-file.xlsx", "The file is empty."),
    "pdf-renamed.xlsx": file_level(
        "pdf-renamed.xlsx", "The file is not an Excel workbook (.xlsx) or a CSV file."
    ),
    "random-bytes.xlsx": file_level(
        "random-bytes.xlsx", "The file is not an Excel workbook (.xlsx) or a CSV file."
    ),
    "truncated-workbook.xlsx": file_level(
        "truncated-workbook.xlsx", "The file is not an Excel workbook (.xlsx) or a CSV file."
    ),
    "zip-not-a-workbook.xlsx": file_level(
        "zip-not-a-workbook.xlsx", "The file is a zip archive but not an Excel workbook (.xlsx)."
    ),
    "zip-bomb-201mb.xlsx": file_level(
        "zip-bomb-201mb.xlsx",
        "The workbook would unpack to 201 MB, more than the 200 MB allowed; it is not opened.",
    ),
    "zip-bomb-lying-sizes.xlsx": file_level(
        "zip-bomb-lying-sizes.xlsx", "The workbook cannot be read (BadZipFile)."
    ),
    "zip-bomb-bzip2-shared-strings.xlsx": file_level(
        "zip-bomb-bzip2-shared-strings.xlsx",
        "The workbook's part [Content_Types].xml is compressed in a way Excel never writes",
    ),
    "zip-bomb-shared-strings-40mb.xlsx": file_level(
        "zip-bomb-shared-strings-40mb.xlsx",
        "The workbook's part xl/sharedStrings.xml would unpack to 40 MB, more than the 32 MB",
    ),
    "zip-bomb-sheet-ratio.xlsx": file_level(
        "zip-bomb-sheet-ratio.xlsx",
        "The workbook's part xl/worksheets/sheet1.xml would unpack to 20 MB from 20,",
    ),
    "zip-1200-parts.xlsx": file_level(
        "zip-1200-parts.xlsx", "The workbook holds 1,206 parts, more than the 1,000"
    ),
    "zip-password-protected.xlsx": file_level(
        "zip-password-protected.xlsx", "The workbook is protected with a password"
    ),
    "password-protected.xlsx": file_level(
        "password-protected.xlsx", "The workbook is protected with a password"
    ),
    "excel-97-2003-renamed.xlsx": file_level(
        "excel-97-2003-renamed.xlsx", "The file is an Excel 97-2003 workbook (.xls)."
    ),
    "kpi-results-macro-enabled.xlsx": file_level(
        "kpi-results-macro-enabled.xlsx", "The workbook is macro-enabled"
    ),
    "kpi-results-csv-named-xlsx.xlsx": file_level(
        "kpi-results-csv-named-xlsx.xlsx", "The file is named .xlsx but holds CSV text."
    ),
    "workbook-without-sheets.xlsx": file_level(
        "workbook-without-sheets.xlsx", "The workbook has no sheets."
    ),
    "xml-billion-laughs.xlsx": file_level(
        "xml-billion-laughs.xlsx", "The workbook cannot be read (ParseError)."
    ),
    "xml-external-entity.xlsx": file_level(
        "xml-external-entity.xlsx", "The workbook cannot be read (ParseError)."
    ),
    "sheet-xml-not-xml.xlsx": file_level(
        "sheet-xml-not-xml.xlsx", "The workbook cannot be read (ParseError)."
    ),
    # Only read as far as the header by the importers whose columns it does not have.
    "kpi-results-nan-as-number.xlsx": {
        **file_level("kpi-results-nan-as-number.xlsx", "The workbook cannot be read (ValueError)."),
        **dict.fromkeys(("savings", "risks"), MISSING_COLUMNS),
    },
    "kpi-results-windows-1252.csv": file_level(
        "kpi-results-windows-1252.csv", "The CSV file is not UTF-8 text."
    ),
    "kpi-results-utf-16.csv": file_level(
        "kpi-results-utf-16.csv", "The CSV file is not UTF-8 text."
    ),
    "kpi-results-nul-bytes.csv": file_level(
        "kpi-results-nul-bytes.csv", "The CSV file is not text."
    ),
    "kpi-results-200000-character-cell.csv": every_kind(
        refused(
            "kpi-results-200000-character-cell",
            None,
            None,
            "The CSV file cannot be read at line 2: field larger than field limit (131072).",
        )
    ),
    # Sheets
    "empty-sheet.xlsx": every_kind(
        refused("Return", 1, None, "The sheet is empty: row 1 must hold the column headers.")
    ),
    "kpi-results-hidden-first-sheet.xlsx": every_kind(
        refused("Workings", None, None, "The first sheet, 'Workings', is hidden")
    ),
    "kpi-results-no-visible-sheet.xlsx": every_kind(
        refused("Return", None, None, "The first sheet, 'Return', is hidden")
    ),
    "kpi-results-million-rows-declared.xlsx": every_kind(
        refused(
            "Return",
            None,
            None,
            "The sheet has 1,048,576 rows; the most that can be imported is 50,000.",
        )
    ),
    # Without a declared size the rows are counted as they are read: the importers whose
    # columns the sheet has read until row 50,002 and stop; the others read only the header.
    **{
        name: {
            **dict.fromkeys(("savings", "risks"), MISSING_COLUMNS),
            **dict.fromkeys(
                ("kpi_targets", "kpi_results"),
                refused(
                    "Return",
                    None,
                    None,
                    "The sheet has more than 50,000 rows; the most that can be imported is 50,000.",
                ),
            ),
        }
        for name in (
            "kpi-results-million-rows-undeclared.xlsx",
            "kpi-results-million-rows-understated.xlsx",
        )
    },
    "kpi-results-cells-out-to-column-xfd.xlsx": in_layout("kpi_results", Imported(3)),
    "kpi-results-sheet-named-with-markup.xlsx": rows(
        "kpi_results", "<b onclick=alert(1)>x</b>", (2, "Value", "'lots' is not a number.")
    ),
    # Headers
    "kpi-results-header-only.xlsx": rows(
        "kpi_results", "Return", (2, None, "The sheet has headers but no data rows.")
    ),
    "kpi-results-title-above-header.xlsx": every_kind(MISSING_COLUMNS),
    "kpi-results-missing-period-column.xlsx": rows(
        "kpi_results", "Return", (1, None, "The required column 'Period' is missing.")
    ),
    "kpi-results-value-column-twice.xlsx": rows(
        "kpi_results", "Return", (1, "value", "The column 'Value' appears twice.")
    ),
    # The header over Numerator is merged into Value's, so the column has no header.
    "kpi-results-merged-header.xlsx": rows(
        "kpi_results",
        "Return",
        (3, "Numerator", "Enter KPI 2's numerator as well as its denominator, or neither."),
    ),
    # Cells
    "kpi-results-merged-cells.xlsx": rows(
        "kpi_results", "Return", (3, "KPI", "This cell is empty; it must have a value.")
    ),
    "kpi-results-text-in-number-cells.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "'sixty-eight' is not a number."),
        (3, "Numerator", "'29 children' is not a number."),
        (3, "Denominator", "'1O0' is not a number."),
    ),
    "kpi-results-booleans.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "True is not a number."),
        (3, "Period", "'False' is not a period: give 1 to 12, or Q1 to Q4"),
    ),
    "kpi-results-dates-in-year-and-period.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Year", "'2024-04-01 00:00:00' is not a financial year"),
        (2, "Period", "'2024-09-30 00:00:00' is not a period"),
    ),
    "kpi-results-excel-error-values.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "The cell shows the Excel error #DIV/0!: correct its formula, or clear it."),
        (3, "Value", "The cell shows the Excel error #N/A"),
        (3, "Commentary", "The cell shows the Excel error #REF!"),
    ),
    "kpi-results-row-of-formulas-without-saved-values.xlsx": rows(
        "kpi_results",
        "Return",
        (3, "KPI", 'The cell holds the formula ="KPI "&2 but no saved value.'),
        (3, "Value", "The cell holds the formula =29 but no saved value."),
    ),
    "kpi-results-control-characters.xlsx": in_layout(
        "kpi_results", Imported(1, control_characters_are_dropped_from_the_xlsx)
    ),
    "kpi-results-control-characters.csv": in_layout(
        "kpi_results", Imported(1, control_characters_are_dropped_from_the_csv)
    ),
    "kpi-results-100000-character-commentary.csv": rows(
        "kpi_results",
        "kpi-results-100000-character-commentary",
        (2, "Commentary", "The text is 100,000 characters; the most is 4,000."),
    ),
    "kpi-results-blank-rows-between.xlsx": in_layout(
        "kpi_results", Imported(3, results_keep_their_values)
    ),
    "kpi-results-negative-numbers.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "KPI 1 allows 0% to 100%: -68% is outside that."),
        (3, "Numerator", "KPI 2's numerator cannot be below 0; it is -29."),
        (4, "Value", "KPI 20 is a count, so it cannot be negative"),
    ),
    "kpi-results-nan-and-infinity-as-text.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "'NaN' is not a number."),
        (3, "Value", "'inf' is not a number."),
        (4, "Value", "'-Infinity' is not a number."),
        (5, "Numerator", "'sNaN' is not a number."),
    ),
    "kpi-results-infinity-as-number.xlsx": rows(
        "kpi_results", "Return", (2, "Value", "The value is not a finite number.")
    ),
    "kpi-results-huge-numbers.xlsx": rows(
        "kpi_results",
        "Return",
        (2, "Value", "1.000E+300 is too large: it must be less than 1,000,000,000,000."),
        (3, "Value", "1e300 is too large"),
        (4, "Value", "1000000000000000 is too large"),
        (5, "Numerator", "1.000E+300 is too large"),
        (5, "Denominator", "1.000E+300 is too large"),
        (6, "Value", "KPI 17's value 99999999999900 is too large"),
    ),
    "kpi-results-utf8-byte-order-mark.csv": in_layout(
        "kpi_results", Imported(3, results_keep_their_values)
    ),
    "kpi-results-semicolon-separated.csv": every_kind(MISSING_COLUMNS),
    "kpi-results-ragged-rows.csv": rows(
        "kpi_results",
        "kpi-results-ragged-rows",
        (2, "Value", "Enter KPI 1's value, or its numerator and denominator."),
    ),
    "kpi-results-text-that-looks-like-formulas.csv": in_layout(
        "kpi_results", Imported(2, text_that_looks_like_a_formula_is_kept_as_text)
    ),
    "kpi-targets-negative-tolerance.xlsx": rows(
        "kpi_targets", "Return", (2, "Tolerance", "KPI 1's tolerance cannot be below 0; it is -5.")
    ),
    "kpi-targets-figures-as-text.xlsx": in_layout(
        "kpi_targets", Imported(2, targets_typed_as_text_are_read_as_numbers)
    ),
    "kpi-targets-huge-numbers.xlsx": rows(
        "kpi_targets",
        "Return",
        (2, "Target", "1.000E+300 is too large"),
        (2, "Tolerance", "1.000E+300 is too large"),
        (3, "Target", "1000000000000000 is too large"),
    ),
    "savings-group-in-merged-cells.xlsx": in_layout(
        "savings", Imported(3, the_merged_group_reaches_the_line_below)
    ),
    "savings-formulas-with-saved-values.xlsx": in_layout(
        "savings", Imported(2, saved_formula_values_are_checked_as_totals)
    ),
    "savings-formulas-without-saved-values.xlsx": rows(
        "savings",
        "Return",
        (2, "Green £'000", "The cell holds the formula =E2-F2-G2 but no saved value."),
    ),
    "savings-100000-character-title.xlsx": rows(
        "savings",
        "Return",
        (2, "Savings proposal", "The text is 100,000 characters; the most is 300."),
    ),
    "savings-negative-amounts.xlsx": rows(
        "savings",
        "Return",
        (2, "Target £'000", "-100 is below the minimum of 0."),
        (2, "Green £'000", "-100 is below the minimum of 0."),
    ),
    "savings-huge-numbers.xlsx": rows(
        "savings",
        "Return",
        (
            2,
            "Target £'000",
            "1.000E+300 is too large: it must be less than 100,000,000 (£'000, to the pound).",
        ),
        (3, "Target £'000", "1000000000000 is too large"),
    ),
    "savings-total-rows-only.xlsx": rows(
        "savings", "Return", (None, None, "The return has TOTAL rows but no savings lines.")
    ),
    "risks-dates-as-text.xlsx": rows(
        "risks",
        "Return",
        (2, "Date Raised", "Risk CR 01: '1st April 2021' is not a date: use an Excel date or"),
        (3, "Date Raised", "Risk CR 02: '2021-04-01' is not a date"),
        (4, "Date Raised", "Risk CR 03: '31/02/2024' is not a real date."),
    ),
    "risks-dates-as-unformatted-serial-numbers.xlsx": rows(
        "risks", "Return", (2, "Date Raised", "Risk CR 01: '44287' is not a date")
    ),
    "risks-date-closed-formula-without-saved-value.xlsx": rows(
        "risks",
        "Return",
        (2, "Date Closed", "Risk CR 01: The cell holds the formula =TODAY()-30 but no saved value"),
    ),
    "risks-probability-as-text-and-out-of-range.xlsx": rows(
        "risks",
        "Return",
        (2, "Initial Probability", "Risk CR 01: 'high' is not a whole number 1 (very low) to 5"),
        (3, "Current Impact", "Risk CR 02: 6 is not a whole number 1 (insignificant) to 5"),
        (4, "Target Probability", "Risk CR 03: 1.5 is not a whole number 1 (very low) to 5"),
    ),
    "risks-100000-character-description.xlsx": in_layout(
        "risks", Imported(1, the_long_description_is_kept_whole)
    ),
    "risks-100000-character-risk-number.xlsx": rows(
        "risks", "Return", (2, "Risk No", "The text is 100,000 characters; the most is 20.")
    ),
    "risks-section-headings-only.xlsx": rows(
        "risks", "Return", (None, None, "The register has section headings but no risks.")
    ),
    "risks-utf8-byte-order-mark.csv": in_layout("risks", Imported(2, the_closed_risk_is_closed)),
}

CASES = [
    pytest.param(name, kind, id=f"{name}-{kind}") for name in sorted(EXPECTED) for kind in KINDS
]


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # The officer is signed in without a password: hashing one slowly for each of these
    # hundreds of tests would only slow the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded(contract):
    """The contract (for savings) and its 21 KPIs (for KPI returns)."""
    kpi_demo.load(illustrative=False)
    return contract


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


def assert_issues_name_where(issues: list[ImportIssue]) -> None:
    for issue in issues:
        assert issue.sheet and issue.message
        if issue.column is not None:
            assert issue.row is not None, issue  # a cell's problem says which row
        if issue.row is not None:
            assert issue.row >= 1


def assert_refused_as_expected(expected: object, issues: list[ImportIssue], kind: str) -> None:
    assert issues
    assert_issues_name_where(issues)
    if expected == MISSING_COLUMNS:
        assert all(issue.row == 1 and "The required column '" in issue.message for issue in issues)
        return
    assert isinstance(expected, Refused)
    for sheet, row, column, message in expected.issues:
        assert any(
            (issue.sheet, issue.row, issue.column) == (sheet, row, column)
            and issue.message.startswith(message)
            for issue in issues
        ), f"{kind}: no issue {(sheet, row, column, message)} in {[str(i) for i in issues]}"


def assert_written_as_expected(
    expected: Imported, kind: str, before: dict[str, int], after: dict[str, int]
) -> None:
    differences = changed(before, after)
    assert differences[CREATES[kind]._meta.label] == expected.created
    assert {label.split(".")[0] for label in differences} == {WRITTEN_BY[kind]}
    if expected.check is not None:
        expected.check()


class _Output(io.StringIO):
    @property
    def lines(self) -> list[str]:
        return self.getvalue().strip().splitlines()


def assert_printed_as_expected(expected: object, lines: list[str]) -> None:
    """A command prints each issue as `Sheet 'X', row 2, column 'Value': what is wrong`, then
    how many there were."""
    *printed, last = lines
    assert printed and last.endswith("found; nothing was imported.")
    assert all(line.startswith("Sheet '") for line in printed), printed
    if expected == MISSING_COLUMNS:
        assert all(", row 1: The required column '" in line for line in printed), printed
        return
    assert isinstance(expected, Refused)
    for issue in expected.issues:
        prefix = str(ImportIssue(*issue))
        assert any(line.startswith(prefix) for line in printed), f"no {prefix!r} in {printed}"


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_each_command_refuses_a_hostile_file_clearly_or_imports_it(name, kind, loaded, tmp_path):
    path = tmp_path / name
    path.write_bytes((CORPUS / name).read_bytes())
    expected = EXPECTED[name][kind]
    command, *options = COMMANDS[kind]
    out, err = _Output(), _Output()
    before = imported_row_counts()

    try:
        call_command(command, str(path), *options, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code

    after = imported_row_counts()
    if isinstance(expected, Imported):
        assert (code, err.lines) == (0, [])
        assert f"Imported {name}: {expected.created} created, 0 changed" in out.getvalue()
        assert_written_as_expected(expected, kind, before, after)
    else:
        assert code == 1
        assert_printed_as_expected(expected, err.lines)
        assert after == before


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_each_upload_page_shows_a_refusal_or_a_preview_never_an_error(
    name, kind, loaded, officer_client
):
    expected = EXPECTED[name][kind]
    url_name, fields = UPLOAD_PAGES[kind]
    upload = SimpleUploadedFile(name, (CORPUS / name).read_bytes())
    before = imported_row_counts()

    response = officer_client.post(reverse(url_name), {**fields, "file": upload}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    # An upload only checks the file and shows what it would do.
    assert imported_row_counts() == before
    if name == "empty-file.xlsx":  # the form refuses it before an import starts
        assert "There is a problem" in page and "The submitted file is empty." in page
        assert not ImportRun.objects.exists()
        return
    run = ImportRun.objects.get()
    if isinstance(expected, Imported):
        assert run.status == "previewed"
        assert "Check what will be imported" in page
        confirmed = officer_client.post(reverse("import_confirm", args=[run.pk]), follow=True)
        assert confirmed.status_code == 200
        assert ImportRun.objects.get().status == "applied"
        assert_written_as_expected(expected, kind, before, imported_row_counts())
    else:
        assert run.status == "refused"
        assert "The return was refused: nothing was imported" in page
        issues = [ImportIssue(**issue) for issue in run.issues]
        assert_refused_as_expected(expected, issues, kind)
    if name == "kpi-results-sheet-named-with-markup.xlsx":  # shown as text, never as markup
        assert "&lt;b onclick=alert(1)&gt;x&lt;/b&gt;" in page and "<b onclick" not in page


def contents(data: bytes) -> object:
    """What a file holds: a zip's members as its directory lists them (name, checksum, size),
    which another zlib would compress differently but list the same; else the bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info.filename, info.CRC, info.file_size) for info in archive.infolist()]
    except zipfile.BadZipFile:
        return data


def test_the_corpus_holds_every_file_the_script_writes_and_nothing_else():
    written = runpy.run_path(str(CORPUS / "make_corpus.py"))["files"]()
    on_disk = {path.name for path in CORPUS.iterdir() if path.suffix in {".xlsx", ".csv"}}

    assert on_disk == set(written) == set(EXPECTED)
    assert all(
        contents((CORPUS / name).read_bytes()) == contents(written[name]) for name in written
    )
    assert len(written) >= 30
    assert sum(len(data) for data in written.values()) < 2 * 1024 * 1024


def test_the_readme_says_what_each_file_tests():
    readme = (CORPUS / "README.md").read_text()
    listed = {line.split("`")[1] for line in readme.splitlines() if line.startswith("| `")}
    assert listed == set(EXPECTED)
