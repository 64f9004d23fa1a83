from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import OFFICER


class ContractsConfig(product.ProductAppConfig):
    name = "contracts"
    verbose_name = "Contract and finance"
    navigation = (
        product.NavItem(
            "Contract", "contracts:overview", "contracts.view_contract", "/contract/", 20
        ),
    )
    grants = {
        OFFICER: (
            "contracts.*",
            # Councils, their shares and the contract itself are administrators' configuration.
            "!contracts.*_contract",
            "!contracts.*_council",
            "!contracts.*_shareschedule",
            "!contracts.*_councilshare",
        )
    }
    period_data = ("ForecastPressure.period",)

    def ready(self) -> None:
        # Here, not at the top: these import models, which load after the AppConfigs.
        from contracts.record import printed_figures, sign_off_checks
        from nct_monitor.records import register_checks, register_figures

        register_checks("contracts", sign_off_checks)
        register_figures("contracts", printed_figures)
