from __future__ import annotations

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save


class NctMonitorConfig(AppConfig):
    name = "nct_monitor"
    verbose_name = "NCT Monitor"

    def ready(self) -> None:
        from nct_monitor import caching, roles, services

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="nct_sync_roles")
        # Any change to the product's records may change what a cached summary shows.
        for model in apps.get_models():
            if model._meta.app_label not in roles.PRODUCT_APPS or model in self._uncached():
                continue
            if model.__name__.startswith("Historical"):
                continue
            post_save.connect(
                caching.invalidate_all, sender=model, dispatch_uid=f"nct_cache_{model}"
            )
            post_delete.connect(
                caching.invalidate_all, sender=model, dispatch_uid=f"nct_cache_del_{model}"
            )
        services.period_signed_off.connect(caching.invalidate_all, dispatch_uid="nct_cache_off")
        services.period_reopened.connect(caching.invalidate_all, dispatch_uid="nct_cache_reopen")

    @staticmethod
    def _uncached() -> set[type]:
        # Uploads and rendered packs never change a figure.
        from committee.models import AgendaPack
        from nct_monitor.models import ImportRun

        return {ImportRun, AgendaPack}
