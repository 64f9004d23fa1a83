"""`manage.py import_risks FILE [--dry-run]`: import the risk register (see risks.importers)."""

from __future__ import annotations

from nct_monitor.importing import ImportCommand
from risks.importers import importer


class Command(ImportCommand):
    help = (
        "Import the risk register from an .xlsx laid out as the template. Every problem is "
        "printed and nothing is written if there is any; --dry-run only checks."
    )
    importer = importer
