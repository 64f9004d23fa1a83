from __future__ import annotations

from django.db.models.signals import post_delete, post_migrate, post_save

# The module, not its classes: Django takes the one AppConfig class this module defines.
from nct_monitor import product
from nct_monitor.roles import OFFICER


class NctMonitorConfig(product.ProductAppConfig):
    name = "nct_monitor"
    verbose_name = "NCT Monitor"
    navigation = (
        product.NavItem("Periods", "period_list", "nct_monitor.view_period", "/periods/", 90),
    )
    grants = {OFFICER: ("nct_monitor.sign_off_period",)}
    # Uploads never change a figure (what they import is saved by the apps' services).
    uncached = ("ImportRun",)

    def ready(self) -> None:
        # Here, not at the top: these import models, which load after the AppConfigs.
        from django.contrib.auth.signals import user_logged_in

        from nct_monitor import caching, middleware, roles, services

        user_logged_in.connect(middleware.record_sign_in, dispatch_uid="nct_record_sign_in")

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="nct_sync_roles")
        # Any change to the product's records may change what a cached summary shows.
        for config in product.product_apps():
            for model in config.get_models():
                if model.__name__ in config.uncached or model.__name__.startswith("Historical"):
                    continue
                post_save.connect(
                    caching.invalidate_all, sender=model, dispatch_uid=f"nct_cache_{model}"
                )
                post_delete.connect(
                    caching.invalidate_all, sender=model, dispatch_uid=f"nct_cache_del_{model}"
                )
        services.period_signed_off.connect(caching.invalidate_all, dispatch_uid="nct_cache_off")
        services.period_reopened.connect(caching.invalidate_all, dispatch_uid="nct_cache_reopen")
