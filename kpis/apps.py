from __future__ import annotations

from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        from kpis.importers import results_importer, targets_importer
        from kpis.record import printed_figures, sign_off_checks
        from nct_monitor.importing import register
        from nct_monitor.records import register_checks, register_figures

        register(targets_importer)
        register(results_importer)
        register_checks("kpis", sign_off_checks)
        register_figures("kpis", printed_figures)
