from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import OFFICER


class KpisConfig(product.ProductAppConfig):
    name = "kpis"
    verbose_name = "KPIs"
    navigation = (product.NavItem("KPIs", "kpis:index", "kpis.view_kpidefinition", "/kpis/", 40),)
    grants = {
        # KPI definitions are the contract's; officers set targets and enter results.
        OFFICER: ("kpis.*", "!kpis.*_kpidefinition"),
    }
    period_data = ("KpiResult.period",)

    def ready(self) -> None:
        from kpis.importers import results_importer, targets_importer
        from kpis.record import printed_figures, sign_off_checks
        from nct_monitor.importing import register
        from nct_monitor.records import register_checks, register_figures

        register(targets_importer)
        register(results_importer)
        register_checks("kpis", sign_off_checks)
        register_figures("kpis", printed_figures)
