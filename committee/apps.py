from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import CLERK, OFFICER


class CommitteeConfig(product.ProductAppConfig):
    name = "committee"
    verbose_name = "Committee papers"
    navigation = (
        product.NavItem(
            "Committee", "committee:meeting_list", "committee.view_meeting", "/committee/", 60
        ),
    )
    grants = {
        # Officers write the reports; clerks run meetings and publish the packs.
        OFFICER: (
            "committee.*_officerreport",
            "committee.*_reportsection",
            "committee.*_reportappendix",
        ),
        CLERK: ("committee.*",),
    }
    # Rendered packs never change a figure.
    uncached = ("AgendaPack",)
