"""Spreadsheets the product writes: text stays text, in .xlsx and in .csv alike.

A cell that starts with `=`, `+`, `-`, `@`, `|` or `%` is read by Excel (and LibreOffice) as a
formula, so a savings comment or risk title typed as `=HYPERLINK(…)` (or imported from a CSV)
would come back out of an export as a live formula in the reader's spreadsheet.

- xlsx: every row is written by `append_row`, which keeps such a cell as the text it is.
- csv: every row is written by `csv_text`, through defusedcsv, which puts an apostrophe before
  such a cell (Excel's mark for "this is text") and escapes its `|`. `unescape_csv_cell` undoes
  exactly that when a CSV is imported, so exporting and importing again changes nothing.
  Numbers, negative ones included, are written as they are.

Every table export goes through `TableExportMixin` (django-tables2's export with
`TextTableExport`); the savings tracker and risk register, which write their own layouts, use
`append_row` and `csv_text`. There is no other way out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from defusedcsv import csv as defused_csv
from django_tables2.export import ExportMixin, TableExport

# What defusedcsv writes for a cell that would be read as a formula: an apostrophe, then the
# formula's first character (its `|`s escaped as `\|`).
_ESCAPED = re.compile(r"^'(?:[@+\-=%]|\\\|)")


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append `values` as the sheet's next row, every string as text, never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """`rows` as CSV, with any cell a spreadsheet would run as a formula written as text."""
    buffer = io.StringIO()
    writer = defused_csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def unescape_csv_cell(text: str) -> str:
    """The cell as it was before `csv_text` wrote it: the exact inverse of its escaping."""
    if _ESCAPED.match(text):
        return text[1:].replace("\\|", "|")
    return text


class TextTableExport(TableExport):
    """django-tables2's export, with the xlsx written by `append_row` and the csv by `csv_text`."""

    def export(self) -> Any:
        if self.format == self.CSV:
            return csv_text([self.dataset.headers or [], *self.dataset])
        if self.format != self.XLSX:
            return super().export()
        # openpyxl is slow to import; only an xlsx export needs it.
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (self.dataset.title or "Export")[:31]
        append_row(sheet, self.dataset.headers or [])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in self.dataset:
            append_row(sheet, row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class TableExportMixin(ExportMixin):
    """The one way a table page offers its rows as .xlsx and .csv (`?_export=xlsx`)."""

    export_formats = ("xlsx", "csv")
    export_class = TextTableExport
