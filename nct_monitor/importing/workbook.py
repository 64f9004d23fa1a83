"""Reading the first sheet of a return: an .xlsx (with openpyxl) or a UTF-8 .csv.

`read_sheet` matches the header row to the template's columns (ignoring case and surrounding
spaces) and keeps each row's number as Excel shows it. A file that cannot be read at all is
refused here: one that is not a workbook, too large, hidden, or longer than MAX_ROWS, which is
found while reading, so a sheet with a cell on row 1,048,576 never puts a million rows in
memory. Values come as openpyxl or the csv module gives them (None, str, int, float, bool,
datetime, date, time, or an `ExcelError`); `RowReader` (rows.py) types them.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from nct_monitor.exports import unescape_csv_cell
from nct_monitor.importing.issues import ImportIssue, ImportRefused

# Limits on what is opened at all: an upload over this size is refused before reading, and an
# .xlsx (a zip) whose contents would unpack to more than this is refused before unpacking.
MAX_FILE_BYTES = getattr(settings, "NCT_IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_UNPACKED_BYTES = getattr(settings, "NCT_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
MAX_ROWS = getattr(settings, "NCT_IMPORT_MAX_ROWS", 50_000)
# Excel writes a few dozen parts; each is stored or deflated; a part read whole (shared strings,
# styles: everything but the worksheets, which are read row by row) is bounded on its own; and
# no part of a real workbook unpacks to more than MAX_RATIO times its compressed size.
MAX_ENTRIES = getattr(settings, "NCT_IMPORT_MAX_ENTRIES", 1000)
MAX_PART_BYTES = getattr(settings, "NCT_IMPORT_MAX_PART_BYTES", 32 * 1024 * 1024)
MAX_RATIO = getattr(settings, "NCT_IMPORT_MAX_RATIO", 200)
RATIO_FROM_BYTES = 1024 * 1024
# An OLE compound file: an Excel 97-2003 .xls, or an .xlsx encrypted with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PASSWORD_PROTECTED = (
    "The workbook is protected with a password, so it cannot be read. Open it in Excel, remove "
    "the password (File, Info, Protect Workbook, Encrypt with Password), save it and upload it "
    "again."
)
# A cell's formula in a sheet's XML (`<f>`, `<f t="shared" …>`, `<x:f>`), to tell at a glance
# whether a workbook has any before reading it again for them.
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


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


def _open_workbook(data: bytes, *, data_only: bool) -> Any:
    """The workbook, opened to be read row by row."""
    # openpyxl is slow to import (over half a second); only imports need it, so pages and
    # commands that never read a workbook do not pay for it.
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)


def _formulas(data: bytes, *, last_row: int, last_column: int) -> dict[tuple[int, int], str]:
    if not _has_formulas(data):
        return {}
    workbook = _open_workbook(data, data_only=False)
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
    """Refuse, from the zip's directory alone, an .xlsx that is not one or would unpack to too
    much: nothing is decompressed here, and what is opened later is bounded by these sizes
    (zipfile stops at an entry's stated size and then finds a lying one's checksum wrong)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refused(label, "The file is not an Excel workbook (.xlsx) or a CSV file.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise _refused(
                label,
                f"The workbook holds {len(members):,} parts, more than the {MAX_ENTRIES:,} a "
                "workbook can have here; it is not opened.",
            )
        if any(member.flag_bits & 0x1 for member in members):
            raise _refused(label, PASSWORD_PROTECTED)
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refused(
                label,
                f"The workbook would unpack to {_mb(unpacked)}, more than the "
                f"{_mb(MAX_UNPACKED_BYTES)} allowed; it is not opened.",
            )
        for member in members:
            _check_part(member, label)
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise _refused(label, "The file is a zip archive but not an Excel workbook (.xlsx).")
        content_types = (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        )
        if any(name.lower().endswith("vbaproject.bin") for name in names) or (
            b"macroEnabled" in content_types
        ):
            raise _refused(
                label,
                "The workbook is macro-enabled (it holds a VBA project, as an .xlsm does). Save it "
                "as an Excel Workbook (.xlsx), which keeps the figures and drops the macros, and "
                "upload that.",
            )


def _check_part(member: zipfile.ZipInfo, label: str) -> None:
    """One entry of the zip: compressed as Excel does, and no larger than reading it allows."""
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refused(
            label,
            f"The workbook's part {member.filename} is compressed in a way Excel never writes "
            f"(method {member.compress_type}); it is not opened. Save the file again from "
            "Excel or LibreOffice and upload that.",
        )
    # A worksheet is read row by row; any other part (shared strings, styles) whole, in memory.
    streamed = member.filename.startswith("xl/worksheets/")
    if not streamed and member.file_size > MAX_PART_BYTES:
        raise _refused(
            label,
            f"The workbook's part {member.filename} would unpack to {_mb(member.file_size)}, "
            f"more than the {_mb(MAX_PART_BYTES)} allowed for it; it is not opened.",
        )
    if member.file_size > RATIO_FROM_BYTES:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_RATIO:
            raise _refused(
                label,
                f"The workbook's part {member.filename} would unpack to "
                f"{_mb(member.file_size)} from {member.compress_size:,} bytes ({ratio:,.0f} "
                f"times its size, where a real workbook's parts are at most {MAX_RATIO:,}); it "
                "is not opened.",
            )


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def _refuse_other_formats(data: bytes, filename: str, label: str) -> None:
    """A file that is not a zip, named as a workbook: say what it is, if it can be told."""
    if data[:8] == OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _refused(label, PASSWORD_PROTECTED)
        raise _refused(
            label,
            "The file is an Excel 97-2003 workbook (.xls). Save it as an Excel Workbook (.xlsx) "
            "and upload that.",
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        head = data[:4096]
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        if text and "\x00" not in text and ("," in text or ";" in text or "\t" in text):
            raise _refused(
                label,
                "The file is named .xlsx but holds CSV text. Rename it to .csv, or open it in "
                "Excel and save it as an Excel Workbook (.xlsx), and upload it again.",
            )
    raise _refused(label, "The file is not an Excel workbook (.xlsx) or a CSV file.")


def unpacked_size(file: IO[bytes]) -> int:
    """How much reading `file` means: an .xlsx's size unpacked (from its zip directory, so
    without unpacking it), or the size of any other file; 0 for an .xlsx refused from its
    directory alone (a zip bomb, say), which reading unpacks nothing of. The file is left at
    its start."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    if data[:4] != b"PK\x03\x04":
        return len(data)
    try:
        _check_xlsx_container(data, "upload")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (ImportRefused, zipfile.BadZipFile, OSError, ValueError):
        return 0


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
        _refuse_other_formats(data, filename, label)
    _check_xlsx_container(data, label)
    try:
        workbook = _open_workbook(data, data_only=True)
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
            rows.append([unescape_csv_cell(cell) for cell in row])
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
