from __future__ import annotations

from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "savings"
    verbose_name = "Savings"

    def ready(self) -> None:
        from nct_monitor.importing import register
        from nct_monitor.records import register_checks, register_figures
        from savings.importers import savings_importer
        from savings.record import printed_figures, sign_off_checks

        register(savings_importer)
        register_checks("savings", sign_off_checks)
        register_figures("savings", printed_figures)
