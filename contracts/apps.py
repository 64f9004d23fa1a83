from __future__ import annotations

from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contract and finance"

    def ready(self) -> None:
        from contracts.record import printed_figures, sign_off_checks
        from nct_monitor.records import register_checks, register_figures

        register_checks("contracts", sign_off_checks)
        register_figures("contracts", printed_figures)
