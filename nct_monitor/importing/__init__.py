"""Spreadsheet returns: reading the first sheet, and saying exactly what is wrong and where.

Every importer (savings, KPI targets, KPI results, risks) works the same way:

1. `read_sheet` (workbook.py) reads the first sheet of an .xlsx or a .csv, matches the header
   row to the template's columns and keeps each row's number as Excel shows it; a file that
   cannot be read at all, or is too large, is refused there.
2. The importer reads each row's cells with a `RowReader` (rows.py), which adds an
   `ImportIssue` (sheet, row, column, what is wrong) instead of stopping at the first problem.
3. The importer checks the rows against the database and builds an `ImportPlan` (plan.py):
   what it will create, what it will change (field, before, after) and what is unchanged.
4. If there is any issue, `ImportRefused` carries all of them and nothing is written;
   otherwise `apply_return` (run.py) applies the plan in one transaction. Importing the same
   file twice plans no change the second time.

Each app registers its importers (registry.py) from its AppConfig's `ready`. `ImportCommand`
(command.py) gives each importer its management command; views.py its upload, preview and
confirm pages; tasks.py checks and applies large uploads in the background.
"""

from __future__ import annotations

from nct_monitor.importing.command import ImportCommand
from nct_monitor.importing.issues import ImportIssue, ImportRefused
from nct_monitor.importing.plan import (
    Change,
    ImportPlan,
    PlanChanged,
    PlannedItem,
    changes_between,
)
from nct_monitor.importing.registry import IMPORTERS, Importer, Progress, register
from nct_monitor.importing.rows import LARGEST_FIGURE, RowReader
from nct_monitor.importing.run import apply_return, check_return
from nct_monitor.importing.workbook import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    ExcelError,
    Sheet,
    SheetRow,
    normalise_header,
    read_sheet,
    unpacked_size,
)

__all__ = [
    "IMPORTERS",
    "LARGEST_FIGURE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "Change",
    "ExcelError",
    "ImportCommand",
    "ImportIssue",
    "ImportPlan",
    "ImportRefused",
    "Importer",
    "PlanChanged",
    "PlannedItem",
    "Progress",
    "RowReader",
    "Sheet",
    "SheetRow",
    "apply_return",
    "changes_between",
    "check_return",
    "normalise_header",
    "read_sheet",
    "register",
    "unpacked_size",
]
