"""`manage.py import_kpis FILE [--dry-run]`: KPI results, all or nothing."""

from __future__ import annotations

from kpis.importers import results_importer
from nct_monitor.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import KPI results from the first sheet of an .xlsx: columns KPI, Year, Period "
        "(1-12, or Q1-Q4 for a quarterly KPI), Value, Numerator, Denominator, Commentary."
    )
    importer = results_importer
