from __future__ import annotations

from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risks"

    def ready(self) -> None:
        from nct_monitor.records import register_checks, register_figures
        from risks.importers import register_importer
        from risks.record import printed_figures, sign_off_checks

        register_importer()
        register_checks("risks", sign_off_checks)
        register_figures("risks", printed_figures)
