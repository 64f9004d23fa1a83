"""Reading a row's typed cells: each read gives the value, or None and an issue naming the cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from nct_monitor.importing import ExcelError, ImportIssue, RowReader, Sheet, SheetRow, read_sheet
from tests.spreadsheets import xlsx


def _reader(value: Any, *, column: str = "Amount") -> RowReader:
    """A reader of one row whose one cell holds `value` as the sheet reader would give it."""
    row = SheetRow("Return", 2, {column: value})
    sheet = Sheet(name="Return", headers={column: column}, rows=[row], is_csv=True)
    return RowReader(sheet, row, [])


def _messages(reader: RowReader) -> list[str]:
    return [str(issue) for issue in reader.issues]


def test_a_reader_adds_its_issues_to_the_list_it_was_given():
    issues: list[ImportIssue] = [ImportIssue("Return", None, None, "an earlier problem")]
    row = SheetRow("Return", 7, {"Amount": "abc"})
    sheet = Sheet(name="Return", headers={"Amount": "amount"}, rows=[row], is_csv=True)

    assert RowReader(sheet, row, issues).decimal("Amount") is None

    assert [str(issue) for issue in issues] == [
        "Sheet 'Return': an earlier problem",
        "Sheet 'Return', row 7, column 'amount': 'abc' is not a number.",
    ]


def test_text_drops_invisible_marks_and_surrounding_spaces():
    reader = _reader("  KPI\u200b 1\u202e ", column="KPI")

    assert reader.text("KPI") == "KPI 1"
    assert reader.issues == []


def test_text_longer_than_the_most_allowed_is_refused():
    reader = _reader("x" * 1_201, column="Note")

    assert reader.text("Note", max_length=1_000) is None
    assert _messages(reader) == [
        "Sheet 'Return', row 2, column 'Note': The text is 1,201 characters; the most is 1,000."
    ]


def test_a_whole_number_read_as_text_has_no_decimal_point():
    assert _reader(12.0, column="Risk No").text("Risk No") == "12"


def test_an_empty_required_cell_is_an_issue_and_an_empty_optional_one_is_blank():
    required = _reader(None, column="Note")
    optional = _reader(None, column="Note")

    assert required.text("Note") is None
    assert optional.text("Note", required=False) == ""
    assert optional.decimal("Note", required=False) is None
    assert optional.date("Note", required=False) is None
    assert _messages(required) == [
        "Sheet 'Return', row 2, column 'Note': This cell is empty; it must have a value."
    ]
    assert optional.issues == []


def test_an_optional_cell_holding_a_formula_without_a_saved_value_is_not_blank():
    sheet = read_sheet(
        xlsx([["Year", "Amount"], ["2027/28", "=A2*2"]]),
        filename="r.xlsx",
        columns=["Year", "Amount"],
        required=["Year"],
    )
    reader = RowReader(sheet, sheet.rows[0], [])

    assert reader.decimal("Amount", required=False) is None
    assert [issue.message for issue in reader.issues] == [
        "The cell holds the formula =A2*2 but no saved value. Open the file in Excel and save "
        "it, or paste the values in place of the formulas."
    ]


def test_a_cell_showing_an_excel_error_is_neither_a_value_nor_a_blank():
    reader = _reader(ExcelError("#REF!"))

    assert reader.decimal("Amount", required=False) is None
    assert [issue.message for issue in reader.issues] == [
        "The cell shows the Excel error #REF!: correct its formula, or clear it."
    ]


def test_a_true_or_false_cell_is_not_a_number():
    reader = _reader(True)

    assert reader.decimal("Amount") is None
    assert [issue.message for issue in reader.issues] == ["True is not a number."]


def test_an_infinite_number_is_refused():
    reader = _reader(float("inf"))

    assert reader.decimal("Amount") is None
    assert [issue.message for issue in reader.issues] == ["The value is not a finite number."]


def test_a_float_is_read_as_the_figure_typed():
    assert _reader(0.1).decimal("Amount") == Decimal("0.1")


def test_a_figure_too_large_to_store_is_refused_before_any_arithmetic_on_it():
    long_text = _reader("1" + "0" * 30)
    huge = _reader(1e300)

    assert long_text.decimal("Amount") is None
    assert huge.decimal("Amount", unit="£'000", below=Decimal(1000)) is None
    assert [issue.message for issue in long_text.issues + huge.issues] == [
        "1.000E+30 is too large: it must be less than 1,000,000,000,000.",
        "1e+300 is too large: it must be less than 1,000 (£'000).",
    ]


def test_a_decimal_above_its_maximum_is_refused():
    reader = _reader("7.5")

    assert reader.decimal("Amount", maximum=Decimal(5)) is None
    assert [issue.message for issue in reader.issues] == ["7.5 is above the maximum of 5."]


def test_a_whole_number_outside_its_range_is_refused():
    reader = _reader(6)

    assert reader.integer("Amount", minimum=1, maximum=5) is None
    assert [issue.message for issue in reader.issues] == ["6 is outside 1 to 5."]


def test_a_date_is_an_excel_date_or_dd_mm_yyyy_and_must_be_real():
    assert _reader(dt.datetime(2024, 3, 31, 9, 30), column="Date").date("Date") == dt.date(
        2024, 3, 31
    )
    assert _reader(dt.date(2024, 3, 31), column="Date").date("Date") == dt.date(2024, 3, 31)
    assert _reader("1/4/2024", column="Date").date("Date") == dt.date(2024, 4, 1)
    not_real = _reader("31/02/2024", column="Date")
    assert not_real.date("Date") is None
    assert [issue.message for issue in not_real.issues] == ["'31/02/2024' is not a real date."]


def test_a_time_of_day_is_not_a_date():
    reader = _reader(dt.time(9, 30), column="Date")

    assert reader.date("Date") is None
    assert [issue.message for issue in reader.issues] == [
        "'09:30:00' is not a date: use an Excel date or dd/mm/yyyy."
    ]


def test_an_issue_added_by_hand_names_the_row_and_the_header_as_the_file_writes_it():
    row = SheetRow("Return", 4, {"KPI": "KPI 99"})
    sheet = Sheet(name="Return", headers={"KPI": "kpi code"}, rows=[row], is_csv=True)
    reader = RowReader(sheet, row, [])

    reader.add_issue("KPI", "'KPI 99' is not a KPI code.")

    assert reader.number == 4
    assert reader.value("KPI") == "KPI 99"
    assert _messages(reader) == [
        "Sheet 'Return', row 4, column 'kpi code': 'KPI 99' is not a KPI code."
    ]
