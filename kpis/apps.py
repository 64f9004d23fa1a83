from __future__ import annotations

from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        from kpis.importers import results_importer, targets_importer
        from nct_monitor.importing import register

        register(targets_importer)
        register(results_importer)
