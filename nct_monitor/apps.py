from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NctMonitorConfig(AppConfig):
    name = "nct_monitor"
    verbose_name = "NCT Monitor"

    def ready(self) -> None:
        from nct_monitor import roles

        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="nct_sync_roles")
