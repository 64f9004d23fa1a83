from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product


class OverviewConfig(product.ProductAppConfig):
    """The overview dashboard: it reads every other app, and no app reads it."""

    name = "overview"
    verbose_name = "Overview"
    navigation = (product.NavItem("Overview", "home", "nct_monitor.view_period", "/overview/", 10),)
