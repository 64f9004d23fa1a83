"""Reading the typed cells of a row: text, numbers, whole numbers and dates.

Every importer reads its rows through a `RowReader`, so each kind of cell is read, and each of
its problems worded, the same way in every return.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from nct_monitor.importing.issues import ImportIssue
from nct_monitor.importing.workbook import ExcelError, Sheet, SheetRow

# Every figure is stored with at most 12 digits before the decimal point; a larger one (1e300 in
# a hostile file) is refused by the cell reader, naming its cell, before any arithmetic on it.
LARGEST_FIGURE = Decimal(10**12)
# A number written as text, after thousands separators, £ and % are taken out: ASCII digits.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# Characters no return needs and a reader cannot see: control characters other than tab and new
# lines, and the Unicode marks that reorder or hide text (right-to-left override, zero-width
# space, byte-order mark). Text cells drop them, so "KPI 1" with a hidden mark is still KPI 1 and
# no stored title displays reversed.
INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
DATE_PATTERN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class RowReader:
    """The cells of one row of a sheet, read as the types an importer needs.

    Each read returns the typed value, or None after adding an `ImportIssue` (sheet, row,
    column, what is wrong) to `issues`, so one pass over a return reports every problem
    instead of stopping at the first. A required cell that is empty is an issue; an optional
    one reads as blank (None, or "" for text), unless it holds a formula with no saved value.
    """

    def __init__(self, sheet: Sheet, row: SheetRow, issues: list[ImportIssue]) -> None:
        self.sheet = sheet
        self.row = row
        self.issues = issues

    @property
    def number(self) -> int:
        """The row's number as Excel shows it."""
        return self.row.number

    def value(self, column: str) -> Any:
        """The cell as the sheet holds it (None when blank), for a reader of its own."""
        return self.row.cells.get(column)

    def add_issue(self, column: str | None, message: str) -> None:
        self.issues.append(self.sheet.issue(self.row, column, message))

    def text(
        self, column: str, *, required: bool = True, max_length: int | None = None
    ) -> str | None:
        if not required and self.value(column) is None:
            self._blank(column)
            return ""
        value = self._present(column, required=required)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = INVISIBLE.sub("", str(value)).strip()
        if max_length is not None and len(text) > max_length:
            self.add_issue(
                column, f"The text is {len(text):,} characters; the most is {max_length:,}."
            )
            return None
        return text

    def decimal(
        self,
        column: str,
        *,
        required: bool = True,
        places: int | None = None,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        unit: str = "",
        below: Decimal = LARGEST_FIGURE,
    ) -> Decimal | None:
        """A number: an Excel number, or text such as `1,247` or `£1,247.5`, smaller in size
        than `below`."""
        value = self._present(column, required=required)
        if value is None:
            return None
        number = self._number(column, value)
        if number is None:
            return None
        in_unit = f" ({unit})." if unit else "."
        if abs(number) >= below:
            shown = str(value).strip() if len(str(value).strip()) <= 20 else f"{number:.3E}"
            self.add_issue(column, f"{shown} is too large: it must be less than {below:,}{in_unit}")
            return None
        if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
            self.add_issue(
                column,
                f"{number} has more than {places} decimal place{'s' if places != 1 else ''}"
                + in_unit,
            )
            return None
        if minimum is not None and number < minimum:
            self.add_issue(column, f"{number} is below the minimum of {minimum}.")
            return None
        if maximum is not None and number > maximum:
            self.add_issue(column, f"{number} is above the maximum of {maximum}.")
            return None
        return number

    def integer(
        self,
        column: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        number = self.decimal(column, required=required)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.add_issue(column, f"{number} is not a whole number.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.add_issue(column, f"{int(number)} is outside {minimum} to {maximum}.")
            return None
        return int(number)

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        """An Excel date, or text written dd/mm/yyyy."""
        value = self._present(column, required=required)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        match = DATE_PATTERN.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                self.add_issue(column, f"'{text}' is not a real date.")
                return None
        self.add_issue(column, f"'{text}' is not a date: use an Excel date or dd/mm/yyyy.")
        return None

    def _present(self, column: str, *, required: bool) -> Any:
        """The cell's value, or None when it has none to read: blank (an issue if it is
        required, or holds a formula with no saved value) or showing an Excel error."""
        value = self.value(column)
        if value is None:
            if required:
                self._missing(column)
            else:
                self._blank(column)
            return None
        if self._excel_error(column, value):
            return None
        return value

    def _number(self, column: str, value: Any) -> Decimal | None:
        """The cell's value as a Decimal, of any size, if it is a number at all."""
        if isinstance(value, bool):
            self.add_issue(column, f"{value!r} is not a number.")
            return None
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.add_issue(column, "The value is not a finite number.")
                return None
            return Decimal(repr(value))  # the shortest repr is the figure as typed
        text = str(value).strip().replace(",", "").replace("£", "").replace("%", "")
        try:
            # Decimal also takes "1_000", "NaN" and other scripts' digits; a return does not.
            if not NUMBER_TEXT.fullmatch(text):
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
            self.add_issue(column, f"'{shown}' is not a number.")
            return None
        if not number.is_finite():
            self.add_issue(column, f"'{value}' is not a number.")
            return None
        return number

    def _missing(self, column: str) -> None:
        formula = self.sheet.formula_at(self.row.number, column)
        if formula:
            self.add_issue(
                column,
                f"The cell holds the formula {formula} but no saved value. Open the file in "
                "Excel and save it, or paste the values in place of the formulas.",
            )
        else:
            self.add_issue(column, "This cell is empty; it must have a value.")

    def _blank(self, column: str) -> None:
        """An optional cell read as blank. One holding a formula with no saved value is not
        blank, and reading it as blank would import a wrong figure (0, or no date closed): say
        so."""
        if self.sheet.formula_at(self.row.number, column):
            self._missing(column)

    def _excel_error(self, column: str, value: Any) -> bool:
        """Whether the cell shows an Excel error, which is neither a value nor a blank (reading
        #REF! as blank would import a wrong figure): if so, it gets an issue."""
        if not isinstance(value, ExcelError):
            return False
        self.add_issue(
            column, f"The cell shows the Excel error {value}: correct its formula, or clear it."
        )
        return True
