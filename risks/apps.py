from __future__ import annotations

from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risks"

    def ready(self) -> None:
        from risks.importers import register_importer

        register_importer()
