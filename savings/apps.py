from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import OFFICER


class SavingsConfig(product.ProductAppConfig):
    name = "savings"
    verbose_name = "Savings"
    navigation = (
        product.NavItem("Savings", "savings:index", "savings.view_savingsline", "/savings/", 30),
    )
    grants = {OFFICER: ("savings.*",)}
    period_data = ("SavingsPosition.period",)

    def ready(self) -> None:
        # The registries take the app's modules, which need the models loaded first.
        from nct_monitor.importing import register
        from nct_monitor.records import register_checks, register_figures
        from savings.importers import savings_importer
        from savings.record import printed_figures, sign_off_checks

        register(savings_importer)
        register_checks("savings", sign_off_checks)
        register_figures("savings", printed_figures)
