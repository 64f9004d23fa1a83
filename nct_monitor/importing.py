"""Spreadsheet returns: reading the first sheet, and saying exactly what is wrong and where.

Every importer (savings, KPI targets, KPI results, risks) works the same way:

1. `read_sheet` reads the first sheet of an .xlsx (with openpyxl) or a .csv, matches the header
   row to the template's columns (ignoring case and surrounding spaces) and keeps each row's
   number as Excel shows it. A file that cannot be read at all is refused here: one that is not
   a workbook, too large, hidden, or longer than MAX_ROWS, which is found while reading, so a
   sheet with a cell on row 1,048,576 never puts a million rows in memory.
2. The importer parses each row with the cell readers below, which add an `ImportIssue`
   (sheet, row, column, what is wrong) instead of stopping at the first problem.
3. The importer checks the rows against the database and builds an `ImportPlan`: what it will
   create, what it will change (field, before, after) and what is unchanged.
4. If there is any issue, `ImportRefused` carries all of them and nothing is written;
   otherwise the plan is applied in one transaction. Importing the same file twice plans no
   change the second time.

`ImportCommand` gives each importer its management command, and `nct_monitor.imports` its
upload, preview and confirm pages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import sys
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

# Limits on what is opened at all: an upload over this size is refused before reading, and an
# .xlsx (a zip) whose contents would unpack to more than this is refused before unpacking.
MAX_FILE_BYTES = getattr(settings, "NCT_IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_UNPACKED_BYTES = getattr(settings, "NCT_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
MAX_ROWS = getattr(settings, "NCT_IMPORT_MAX_ROWS", 50_000)
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
# A cell's formula in a sheet's XML (`<f>`, `<f t="shared" …>`, `<x:f>`), to tell at a glance
# whether a workbook has any before reading it again for them.
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportIssue:
    """One thing wrong with a return, and where: sheet, row (as Excel numbers it), column."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Sheet '{self.sheet}'"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(Exception):
    """A return with problems: every issue found, and nothing written."""

    def __init__(self, issues: Iterable[ImportIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass
class SheetRow:
    """A data row: its number as Excel shows it and its cells by template column name."""

    sheet: str
    number: int
    cells: dict[str, Any]

    def is_blank(self) -> bool:
        return all(value is None for value in self.cells.values())


@dataclass
class Sheet:
    """The first sheet of a return, with the template's columns found in its header row."""

    name: str
    headers: dict[str, str]  # template column → header as the file writes it
    rows: list[SheetRow]
    data: bytes = field(repr=False, default=b"")
    is_csv: bool = False
    column_numbers: dict[str, int] = field(default_factory=dict)
    _formulas: dict[tuple[int, int], str] | None = field(default=None, repr=False)

    def issue(self, row: SheetRow | int | None, column: str | None, message: str) -> ImportIssue:
        number = row.number if isinstance(row, SheetRow) else row
        return ImportIssue(
            self.name, number, self.headers.get(column, column) if column else None, message
        )

    def formula_at(self, row_number: int, column: str) -> str | None:
        """The formula in a cell, if it holds one. The workbook is read again for formulas only
        when a value is missing and the sheets hold formulas at all, so a good file is read
        once."""
        if self.is_csv or column not in self.column_numbers:
            return None
        if self._formulas is None:
            self._formulas = _formulas(
                self.data,
                last_row=max((row.number for row in self.rows), default=1),
                last_column=max(self.column_numbers.values()),
            )
        return self._formulas.get((row_number, self.column_numbers[column]))


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the workbook holds a formula (a quick scan of its XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as member:
                tail = b""
                while chunk := member.read(1024 * 1024):
                    if FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formulas(data: bytes, *, last_row: int, last_column: int) -> dict[tuple[int, int], str]:
    from openpyxl import load_workbook

    if not _has_formulas(data):
        return {}
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found: dict[tuple[int, int], str] = {}
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(max_row=last_row, max_col=last_column, values_only=True)
        for row_number, row in enumerate(rows, 1):
            for column_number, value in enumerate(row, 1):
                if isinstance(value, str) and value.startswith("="):
                    found[(row_number, column_number)] = value
    finally:
        workbook.close()
    return found


def normalise_header(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _check_xlsx_container(data: bytes, label: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(
            [
                ImportIssue(
                    label, None, None, "The file is not an Excel workbook (.xlsx) or a CSV file."
                )
            ]
        ) from None
    with archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportRefused(
                [
                    ImportIssue(
                        label,
                        None,
                        None,
                        f"The workbook would unpack to {unpacked // (1024 * 1024)} MB, more than "
                        f"the {MAX_UNPACKED_BYTES // (1024 * 1024)} MB allowed; it is not opened.",
                    )
                ]
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise ImportRefused(
                [
                    ImportIssue(
                        label,
                        None,
                        None,
                        "The file is a zip archive but not an Excel workbook (.xlsx).",
                    )
                ]
            )


def _refused(where: str, message: str) -> ImportRefused:
    return ImportRefused([ImportIssue(where, None, None, message)])


def _read_frame(
    data: bytes, filename: str, wanted: Collection[str]
) -> tuple[str, list[list[Any]], bool]:
    """(sheet name, rows of raw cell values, is_csv) for the first sheet of the file. Of an
    .xlsx, only the columns up to the last header in `wanted` (normalised) are read."""
    label = Path(filename).name or "upload"
    if len(data) > MAX_FILE_BYTES:
        raise _refused(
            label,
            f"The file is {len(data) // (1024 * 1024)} MB; the most that can be imported "
            f"is {MAX_FILE_BYTES // (1024 * 1024)} MB.",
        )
    if not data:
        raise _refused(label, "The file is empty.")
    if data[:4] != b"PK\x03\x04":
        if filename.lower().endswith(".csv"):
            return Path(filename).stem, _csv_rows(data, label, Path(filename).stem), True
        raise _refused(label, "The file is not an Excel workbook (.xlsx) or a CSV file.")
    _check_xlsx_container(data, label)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            name, rows = _workbook_rows(workbook, label, wanted)
        finally:
            workbook.close()
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise _refused(label, f"The workbook cannot be read ({type(error).__name__}).") from None
    return name, rows, False


def _csv_rows(data: bytes, label: str, name: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused(label, "The CSV file is not UTF-8 text.") from None
    if "\x00" in text:
        raise _refused(label, "The CSV file is not text.")
    reader = csv.reader(io.StringIO(text))
    rows: list[list[Any]] = []
    try:
        for number, row in enumerate(reader, 1):
            if number > MAX_ROWS + 1:
                raise _too_long(name)
            rows.append(list(row))
    except csv.Error as error:
        raise _refused(
            name, f"The CSV file cannot be read at line {reader.line_num}: {error}."
        ) from None
    return rows


def _too_long(name: str) -> ImportRefused:
    return _refused(
        name,
        f"The sheet has more than {MAX_ROWS:,} rows; the most that can be imported is "
        f"{MAX_ROWS:,}.",
    )


def _workbook_rows(
    workbook: Any, label: str, wanted: Collection[str]
) -> tuple[str, list[list[Any]]]:
    if not workbook.worksheets:
        raise _refused(label, "The workbook has no sheets.")
    worksheet = workbook.worksheets[0]
    name = str(worksheet.title)
    if worksheet.sheet_state != "visible":
        # The first sheet is the one imported; a hidden one is not the sheet its sender sees.
        raise _refused(
            name,
            f"The first sheet, '{name}', is hidden, and the first sheet is the one imported: "
            "unhide it, or move the return to the first sheet.",
        )
    if (worksheet.max_row or 0) > MAX_ROWS + 1:
        raise _refused(
            name,
            f"The sheet has {worksheet.max_row:,} rows; the most that can be imported "
            f"is {MAX_ROWS:,}.",
        )
    # The size a sheet declares may be missing or wrong: read the rows that are there, and stop
    # at the first one past MAX_ROWS. Columns after the template's last are never read, so a
    # cell in column XFD does not widen every row to 16,384 cells.
    worksheet.reset_dimensions()
    header = [_cell_value(cell) for cell in next(worksheet.iter_rows(max_row=1), ())]
    width = max(
        (index + 1 for index, value in enumerate(header) if normalise_header(value) in wanted),
        default=0,
    )
    rows = [header]
    if width:
        for number, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=width), 2):
            if number > MAX_ROWS + 1:
                raise _too_long(name)
            rows.append([_cell_value(cell) for cell in cells])
    return name, rows


class ExcelError(str):
    """What a cell showing an Excel error (#DIV/0!, #N/A, #REF!) holds."""


def _cell_value(cell: Any) -> Any:
    """A cell's value as the readers take it; a whole number is an int."""
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "e":
        return ExcelError(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_sheet(
    data: bytes,
    *,
    filename: str,
    columns: Sequence[str],
    required: Sequence[str],
) -> Sheet:
    """The first sheet of `data`, its header row matched to `columns`.

    Raises ImportRefused for a file that is not a workbook, an empty sheet, or missing required
    columns. Columns not in the template are ignored; so are blank rows.
    """
    wanted = {normalise_header(column): column for column in columns}
    name, raw_rows, is_csv = _read_frame(data, filename, wanted)
    if not raw_rows or all(_is_empty(value) for value in raw_rows[0]):
        raise ImportRefused(
            [ImportIssue(name, 1, None, "The sheet is empty: row 1 must hold the column headers.")]
        )
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for index, header in enumerate(raw_rows[0]):
        if _is_empty(header):
            continue
        column = wanted.get(normalise_header(header))
        if column is None:
            continue
        if column in headers:
            issues.append(
                ImportIssue(name, 1, str(header).strip(), f"The column '{column}' appears twice.")
            )
            continue
        headers[column] = str(header).strip()
        positions[column] = index
    missing = [column for column in required if column not in headers]
    for column in missing:
        issues.append(ImportIssue(name, 1, None, f"The required column '{column}' is missing."))
    if issues:
        raise ImportRefused(issues)
    sheet = Sheet(
        name=name,
        headers=headers,
        rows=[],
        data=data,
        is_csv=is_csv,
        column_numbers={column: index + 1 for column, index in positions.items()},
    )
    for offset, raw in enumerate(raw_rows[1:], start=2):
        cells = {
            column: (None if index >= len(raw) or _is_empty(raw[index]) else raw[index])
            for column, index in positions.items()
        }
        sheet.rows.append(SheetRow(name, offset, cells))
    # A row whose cells are formulas with no saved value looks blank, but is not: keep it, so
    # its cells are reported.
    sheet.rows = [
        row
        for row in sheet.rows
        if not row.is_blank() or any(sheet.formula_at(row.number, column) for column in positions)
    ]
    if not sheet.rows:
        raise ImportRefused([ImportIssue(name, 2, None, "The sheet has headers but no data rows.")])
    return sheet


# Cell readers. Each returns the typed value, or None after adding an issue to `issues`.


def _missing(sheet: Sheet, row: SheetRow, column: str, issues: list[ImportIssue]) -> None:
    formula = sheet.formula_at(row.number, column)
    if formula:
        issues.append(
            sheet.issue(
                row,
                column,
                f"The cell holds the formula {formula} but no saved value. Open the file in "
                "Excel and save it, or paste the values in place of the formulas.",
            )
        )
    else:
        issues.append(sheet.issue(row, column, "This cell is empty; it must have a value."))


def _excel_error(
    sheet: Sheet, row: SheetRow, column: str, value: Any, issues: list[ImportIssue]
) -> bool:
    """Whether the cell shows an Excel error, which is neither a value nor a blank (reading
    #REF! as blank would import a wrong figure): if so, it gets an issue."""
    if not isinstance(value, ExcelError):
        return False
    issues.append(
        sheet.issue(
            row,
            column,
            f"The cell shows the Excel error {value}: correct its formula, or clear it.",
        )
    )
    return True


def _blank(sheet: Sheet, row: SheetRow, column: str, issues: list[ImportIssue]) -> None:
    """An optional cell read as blank. One holding a formula with no saved value is not blank,
    and reading it as blank would import a wrong figure (0, or no date closed): say so."""
    if sheet.formula_at(row.number, column):
        _missing(sheet, row, column, issues)


def text_cell(
    sheet: Sheet,
    row: SheetRow,
    column: str,
    issues: list[ImportIssue],
    *,
    required: bool = True,
    max_length: int | None = None,
) -> str | None:
    value = row.cells.get(column)
    if value is None:
        if required:
            _missing(sheet, row, column, issues)
        else:
            _blank(sheet, row, column, issues)
        return None if required else ""
    if _excel_error(sheet, row, column, value, issues):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = INVISIBLE.sub("", str(value)).strip()
    if max_length is not None and len(text) > max_length:
        issues.append(
            sheet.issue(
                row, column, f"The text is {len(text):,} characters; the most is {max_length:,}."
            )
        )
        return None
    return text


def decimal_cell(
    sheet: Sheet,
    row: SheetRow,
    column: str,
    issues: list[ImportIssue],
    *,
    required: bool = True,
    places: int | None = None,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    unit: str = "",
    below: Decimal = LARGEST_FIGURE,
) -> Decimal | None:
    """A number: an Excel number, or text such as `1,247` or `£1,247.5`, smaller in size than
    `below`."""
    value = row.cells.get(column)
    if value is None:
        if required:
            _missing(sheet, row, column, issues)
        else:
            _blank(sheet, row, column, issues)
        return None
    if _excel_error(sheet, row, column, value, issues):
        return None
    if isinstance(value, bool):
        issues.append(sheet.issue(row, column, f"{value!r} is not a number."))
        return None
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            issues.append(sheet.issue(row, column, "The value is not a finite number."))
            return None
        number = Decimal(repr(value))  # the shortest repr is the figure as typed
    else:
        text = str(value).strip().replace(",", "").replace("£", "").replace("%", "")
        try:
            # Decimal also takes "1_000", "NaN" and other scripts' digits; a return does not.
            if not NUMBER_TEXT.fullmatch(text):
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
            issues.append(sheet.issue(row, column, f"'{shown}' is not a number."))
            return None
        if not number.is_finite():
            issues.append(sheet.issue(row, column, f"'{value}' is not a number."))
            return None
    if abs(number) >= below:
        shown = str(value).strip() if len(str(value).strip()) <= 20 else f"{number:.3E}"
        issues.append(
            sheet.issue(
                row,
                column,
                f"{shown} is too large: it must be less than {below:,}"
                + (f" ({unit})." if unit else "."),
            )
        )
        return None
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        issues.append(
            sheet.issue(
                row,
                column,
                f"{number} has more than {places} decimal place{'s' if places != 1 else ''}"
                + (f" ({unit})." if unit else "."),
            )
        )
        return None
    if minimum is not None and number < minimum:
        issues.append(sheet.issue(row, column, f"{number} is below the minimum of {minimum}."))
        return None
    if maximum is not None and number > maximum:
        issues.append(sheet.issue(row, column, f"{number} is above the maximum of {maximum}."))
        return None
    return number


def integer_cell(
    sheet: Sheet,
    row: SheetRow,
    column: str,
    issues: list[ImportIssue],
    *,
    required: bool = True,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    before = len(issues)
    number = decimal_cell(sheet, row, column, issues, required=required)
    if number is None:
        return None
    if number != number.to_integral_value():
        issues.append(sheet.issue(row, column, f"{number} is not a whole number."))
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        issues.append(sheet.issue(row, column, f"{int(number)} is outside {minimum} to {maximum}."))
        return None
    return int(number) if len(issues) == before else None


DATE_PATTERN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def date_cell(
    sheet: Sheet,
    row: SheetRow,
    column: str,
    issues: list[ImportIssue],
    *,
    required: bool = True,
) -> date | None:
    """An Excel date, or text written dd/mm/yyyy."""
    value = row.cells.get(column)
    if value is None:
        if required:
            _missing(sheet, row, column, issues)
        else:
            _blank(sheet, row, column, issues)
        return None
    if _excel_error(sheet, row, column, value, issues):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = DATE_PATTERN.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            issues.append(sheet.issue(row, column, f"'{text}' is not a real date."))
            return None
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date()  # type: ignore[no-any-return]
    issues.append(
        sheet.issue(row, column, f"'{text}' is not a date: use an Excel date or dd/mm/yyyy.")
    )
    return None


# What an import will do, and did.


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class PlannedItem:
    """One record an import creates or changes (or leaves as it is)."""

    action: str  # "create", "change" or "unchanged"
    label: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What applying a return will do. The same file planned twice plans the same thing."""

    items: list[PlannedItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, action: str, label: str, changes: Sequence[Change] = ()) -> None:
        self.items.append(PlannedItem(action, label, list(changes)))

    @property
    def created(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "create"]

    @property
    def changed(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "change"]

    @property
    def unchanged(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "unchanged"]

    def summary(self) -> str:
        return (
            f"{len(self.created)} to create, {len(self.changed)} to change, "
            f"{len(self.unchanged)} unchanged"
        )

    def lines(self) -> list[str]:
        out = []
        for item in self.created:
            out.append(f"create {item.label}")
        for item in self.changed:
            detail = "; ".join(f"{c.field} {c.before} → {c.after}" for c in item.changes)
            out.append(f"change {item.label}: {detail}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": [
                {
                    "action": item.action,
                    "label": item.label,
                    "changes": [c.__dict__ for c in item.changes],
                }
                for item in self.items
            ],
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        return cls(
            items=[
                PlannedItem(
                    item["action"], item["label"], [Change(**change) for change in item["changes"]]
                )
                for item in data.get("items", [])
            ],
            notes=list(data.get("notes", [])),
        )

    def fingerprint(self) -> str:
        """Identifies the plan, so a confirm can check that nothing moved since the preview."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def changes_between(
    before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]
) -> list[Change]:
    """The fields whose value differs, labelled for people."""
    return [
        Change(labels.get(name, name), _show(before.get(name)), _show(after.get(name)))
        for name in after
        if before.get(name) != after.get(name)
    ]


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    return str(value)


class PlanChanged(Exception):
    """The data moved between the preview and the confirm; the new plan is attached."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__("The data has changed since the preview.")


class Importer(Protocol):
    """An app's importer. `check_return` and `apply_return` drive it the same way for the
    command and for the upload pages."""

    kind: str  # the key it is registered under, e.g. "savings"
    title: str  # e.g. "Savings return"
    permission: str  # needed to upload and apply

    def read(
        self, data: bytes, *, filename: str, params: dict[str, Any], progress: Progress | None
    ) -> Any:
        """Parse and check every row, touching no data; raise ImportRefused with every issue."""

    def plan(self, parsed: Any, *, params: dict[str, Any]) -> ImportPlan:
        """Compare the parsed rows with the database (taking any locks the write needs);
        raise ImportRefused for what only the database can show (a signed-off period…)."""

    def write(
        self, parsed: Any, *, params: dict[str, Any], user: Any, progress: Progress | None
    ) -> None:
        """Write what the plan says, and nothing that is unchanged."""

    def describe(self, params: dict[str, Any]) -> str:
        """What the import is for, e.g. `2023/24 P9`."""

    def success_url(self, params: dict[str, Any]) -> str:
        """Where to go once the return is imported."""


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make an importer available to the upload pages (call from the app's `ready`)."""
    IMPORTERS[importer.kind] = importer
    return importer


def check_return(
    importer: Importer,
    data: bytes,
    *,
    filename: str,
    params: dict[str, Any],
    progress: Progress | None = None,
) -> ImportPlan:
    """What importing the return would do; ImportRefused lists every problem. Writes nothing."""
    from django.db import transaction

    parsed = importer.read(data, filename=filename, params=params, progress=progress)
    with transaction.atomic():
        return importer.plan(parsed, params=params)


def apply_return(
    importer: Importer,
    data: bytes,
    *,
    filename: str,
    params: dict[str, Any],
    user: Any,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check the return again and write it in one transaction: all of it or nothing.

    With `expected_fingerprint` (from a preview), raises PlanChanged rather than write
    anything other than what the user saw.
    """
    from django.db import transaction

    parsed = importer.read(data, filename=filename, params=params, progress=progress)
    with transaction.atomic():
        plan = importer.plan(parsed, params=params)
        if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
            raise PlanChanged(plan)
        importer.write(parsed, params=params, user=user, progress=progress)
    # Imports write in bulk, which sends no save signals: leave cached summaries behind here.
    from nct_monitor.caching import invalidate_all

    invalidate_all()
    return plan


class ImportCommand(BaseCommand):
    """`manage.py import_… FILE [--dry-run]`: errors to stderr and exit 1, or what changed."""

    importer: Importer

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx return (the first sheet is read).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def import_params(self, options: dict[str, Any]) -> dict[str, Any]:
        """The importer's parameters from the command's options (e.g. year and period)."""
        return {}

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            self.stderr.write(f"{path}: cannot read the file ({error.strerror}).")
            sys.exit(1)
        try:
            params = self.import_params(options)
            if options["dry_run"]:
                plan = check_return(self.importer, data, filename=path.name, params=params)
            else:
                plan = apply_return(
                    self.importer, data, filename=path.name, params=params, user=None
                )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            self.stderr.write("Nothing was imported.")
            sys.exit(1)
        except ImportRefused as refused:
            for issue in refused.issues:
                self.stderr.write(str(issue))
            count = len(refused.issues)
            self.stderr.write(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            )
            sys.exit(1)
        for line in plan.lines():
            self.stdout.write(line)
        for note in plan.notes:
            self.stdout.write(note)
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run, nothing written: {len(plan.created)} would be created, "
                f"{len(plan.changed)} changed, {len(plan.unchanged)} unchanged."
            )
        else:
            self.stdout.write(
                f"Imported {path.name}: {len(plan.created)} created, {len(plan.changed)} "
                f"changed, {len(plan.unchanged)} unchanged."
            )
