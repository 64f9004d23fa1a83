from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import OFFICER


class RisksConfig(product.ProductAppConfig):
    name = "risks"
    verbose_name = "Risks"
    navigation = (product.NavItem("Risks", "risks:risk_list", "risks.view_risk", "/risks/", 50),)
    grants = {OFFICER: ("risks.*",)}
    period_data = ("RiskReview.period",)

    def ready(self) -> None:
        # Here, not at the top: these import models, which are not loaded yet when apps.py is.
        from nct_monitor.records import register_checks, register_figures
        from risks.importers import register_importer
        from risks.record import printed_figures, sign_off_checks

        register_importer()
        register_checks("risks", sign_off_checks)
        register_figures("risks", printed_figures)
