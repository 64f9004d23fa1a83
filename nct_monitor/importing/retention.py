"""How long an uploaded return's file is kept once its run has ended.

A return holds personal and commercial figures that, once imported (or refused, or
cancelled), live in the records themselves; the file is kept `NCT_UPLOAD_RETENTION_DAYS`
(30 by default) after its run ends, for questions about what was uploaded, then deleted by
`manage.py purge_uploads`. With 0 it is deleted as soon as the run ends. The run stays, with
the file's name, size and SHA-256, so the audit trail says what was uploaded, by whom, when.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nct_monitor.choices import ImportStatus
from nct_monitor.models import ImportRun

logger = logging.getLogger(__name__)

# A run in one of these is over: nothing will read its file again.
ENDED = (
    ImportStatus.APPLIED,
    ImportStatus.REFUSED,
    ImportStatus.CANCELLED,
    ImportStatus.FAILED,
)


def retention_days() -> int:
    return int(getattr(settings, "NCT_UPLOAD_RETENTION_DAYS", 30))


def delete_upload(run: ImportRun, *, now: datetime | None = None) -> bool:
    """Delete the stored file of an ended run, keeping the run; whether there was one."""
    if run.status not in ENDED or not run.file.name:
        return False
    name = run.file.name
    run.file.storage.delete(name)
    run.file.name = ""
    run.file_deleted_at = now or timezone.now()
    run.save(update_fields=["file", "file_deleted_at"])
    logger.info("Deleted the upload %s of import run %s", name, run.pk)
    return True


def delete_expired_uploads(*, now: datetime | None = None) -> list[ImportRun]:
    """Delete the files of runs that ended at least the retention period ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    ended_before = Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff)
    runs = ImportRun.objects.filter(ended_before, status__in=ENDED).exclude(file="")
    return [run for run in runs.order_by("pk") if delete_upload(run, now=now)]


def delete_upload_once_ended(run_id: int) -> None:
    """With a retention of 0 days, delete the run's file once the transaction ending it
    commits (a rolled back end leaves the file for the run that goes on)."""
    if retention_days() > 0:
        return

    def delete() -> None:
        run = ImportRun.objects.filter(pk=run_id).first()
        if run is not None:
            delete_upload(run)

    transaction.on_commit(delete)
