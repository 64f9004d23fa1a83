from __future__ import annotations

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product


class PublicConfig(product.ProductAppConfig):
    """The committee's papers as the councils publish them: no sign-in, nothing unpublished.

    It reads the committee's records through `committee.selectors` only, and holds none.
    """

    name = "public"
    verbose_name = "Public papers"
