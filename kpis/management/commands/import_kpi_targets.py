"""`manage.py import_kpi_targets FILE [--dry-run]`: KPI targets and tolerances, all or nothing."""

from __future__ import annotations

from kpis.importers import targets_importer
from nct_monitor.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import KPI targets and tolerances from the first sheet of an .xlsx: columns KPI, "
        "Year, Target, Tolerance."
    )
    importer = targets_importer
