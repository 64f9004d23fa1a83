"""`manage.py import_savings FILE --year 2023/24 --period 9 [--dry-run]`"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from nct_monitor.importing import ImportCommand
from savings.importers import savings_importer


class Command(ImportCommand):
    help = (
        "Import a period's savings return (.xlsx): every line checked, and every TOTAL row "
        "checked against its lines; all of it or nothing."
    )
    importer = savings_importer

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2023/24.")
        parser.add_argument("--period", required=True, help="The period, 1 to 12.")

    def import_params(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"year": options["year"], "period": options["period"]}
