from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product


class PeopleConfig(product.ProductAppConfig):
    """Who may use the product: administrators add people, give each one role, deactivate
    them and send password resets; everyone changes their own password."""

    name = "people"
    verbose_name = "People"
    navigation = (
        product.NavItem("Users", "people:user_list", "auth.change_user", "/people/", 100),
    )
