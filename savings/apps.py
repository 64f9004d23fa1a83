from __future__ import annotations

from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "savings"
    verbose_name = "Savings"

    def ready(self) -> None:
        from nct_monitor.importing import register
        from savings.importers import savings_importer

        register(savings_importer)
