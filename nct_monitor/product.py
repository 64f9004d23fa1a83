"""What each of the product's apps tells the core about itself, in its AppConfig.

The core (`nct_monitor`) imports no app: each app's `AppConfig` subclasses `ProductAppConfig`
and declares its header navigation, what each role may do with its records, and which of its
models never change a figure. The core reads these from the app registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class NavItem:
    """An entry in the header's service navigation."""

    label: str
    url_name: str
    permission: str  # the permission a user needs to see the entry
    section: str  # the URL prefix of the section, so its pages mark the entry as current
    order: int  # where it goes in the header, from left to right


class ProductAppConfig(AppConfig):
    """An app of the product, whose records the four roles share.

    - `navigation`: the header entries it adds.
    - `grants`: for each role, permission patterns on its own models (see `nct_monitor.roles`);
      every role reads every product app's records without a grant.
    - `uncached`: names of its models whose changes never change a figure, so saving them does
      not invalidate the cached summaries (uploads, rendered packs).
    - `period_data`: `Model.field` for each of its models whose `field` is the period a record
      holds data for; the latest such period is where every page opens (`default_period`).
    """

    navigation: ClassVar[tuple[NavItem, ...]] = ()
    grants: ClassVar[dict[str, tuple[str, ...]]] = {}
    uncached: ClassVar[tuple[str, ...]] = ()
    period_data: ClassVar[tuple[str, ...]] = ()


def product_apps() -> list[ProductAppConfig]:
    """The product's apps, in INSTALLED_APPS order (the order their demo data loads in)."""
    return [config for config in apps.get_app_configs() if isinstance(config, ProductAppConfig)]


def product_labels() -> tuple[str, ...]:
    return tuple(config.label for config in product_apps())
