"""`manage.py purge_uploads`: delete the files of uploaded returns kept past their retention."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from nct_monitor.services import purge_uploads


class Command(BaseCommand):
    help = (
        "Delete the stored file of every uploaded return whose import ended "
        "NCT_UPLOAD_RETENTION_DAYS ago or more, keeping the record of the upload. Run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        runs = purge_uploads()
        for run in runs:
            self.stdout.write(
                f"Deleted {run.filename} (import run {run.pk}, {run.get_status_display().lower()} "
                f"{run.finished_at or run.created_at:%d/%m/%Y})."
            )
        days = settings.NCT_UPLOAD_RETENTION_DAYS
        self.stdout.write(
            f"Deleted {len(runs)} stored upload{'' if len(runs) == 1 else 's'} kept more than "
            f"{days} day{'' if days == 1 else 's'} after their import ended."
        )
