"""Background tasks for returns uploaded through the web: checking, then applying.

Both run on Django's task framework, so a large return is handled by a `db_worker` while the
page shows its progress. Small returns run the same functions at once, in the request.

While it works, a run beats: its heartbeat and progress are written from a thread of its own
(`nct_monitor.work.heartbeat`), so a run whose worker was killed is shown failed
(`ImportRun.stopped`). A worker starts and ends a run only while the run is still marked as
its step: one that comes late for a run cancelled or failed meanwhile leaves it alone.
Applying writes the data and marks the run imported in one transaction, so a run is either
imported, all of it, or nothing of it is.

Queued tasks are stored by dotted path: those queued as `nct_monitor.tasks.…` before the tasks
moved here still run, through that module's names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from nct_monitor.choices import ImportStatus
from nct_monitor.importing.issues import ImportIssue, ImportRefused
from nct_monitor.importing.plan import ImportPlan, PlanChanged
from nct_monitor.importing.registry import IMPORTERS
from nct_monitor.importing.retention import ENDED, delete_upload_once_ended
from nct_monitor.importing.run import apply_return, check_return
from nct_monitor.models import ImportRun
from nct_monitor.storage import disk_full
from nct_monitor.work import heartbeat

logger = logging.getLogger(__name__)


class _Pulse:
    """How far a run has got, written with its heartbeat by the heartbeat thread.

    Applying holds a transaction open, and what the worker writes inside it is seen by nobody
    until it commits; on the thread's own connection the page sees the progress, and the
    run's row is not locked while the return is imported.
    """

    def __init__(self, run_id: int, status: str) -> None:
        self.run_id, self.status, self.percent = run_id, status, 0
        self.wake = lambda: None

    def beat(self) -> None:
        ImportRun.objects.filter(pk=self.run_id, status=self.status).update(
            heartbeat_at=timezone.now(), progress=self.percent
        )

    def report(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        # Every 5%: enough for a progress bar, few enough writes not to slow the import.
        if percent >= self.percent + 5:
            self.percent = percent
            self.wake()


@contextmanager
def _beating(run: ImportRun) -> Iterator[_Pulse]:
    pulse = _Pulse(run.pk, run.status)
    with heartbeat(pulse.beat, name=f"import-run-{run.pk}") as wake:
        pulse.wake = wake
        yield pulse


def _claim(run_id: int, step: str) -> ImportRun | None:
    """The run, if it is still marked `step` and has not been shown as stopped."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != step:
            logger.info("Import run %s is no longer %s; leaving it alone", run_id, step)
            return None
        stopped = run.stopped()
        if stopped:
            # The page has told the officer that this run failed: it stays failed, rather
            # than be imported behind their back.
            _end(run, step, status=ImportStatus.FAILED, message=stopped)
            return None
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["heartbeat_at"])
    return run


def _end(run: ImportRun, step: str, **fields: Any) -> None:
    """Record how a run's step ended, unless the run has left that step meanwhile."""
    fields.setdefault("finished_at", timezone.now())
    ended = ImportRun.objects.filter(pk=run.pk, status=step).update(**fields)
    if ended and fields.get("status") in ENDED:
        delete_upload_once_ended(run.pk)


def _refusal(run: ImportRun, error: ImportRefused | ValidationError) -> dict[str, Any]:
    if isinstance(error, ImportRefused):
        issues = error.issues
    else:
        issues = [ImportIssue(run.filename, None, None, m) for m in error.messages]
    return {"status": ImportStatus.REFUSED, "issues": [issue.as_dict() for issue in issues]}


def _failure(run: ImportRun, step: str, error: BaseException) -> dict[str, Any]:
    logger.exception("Import run %s failed while %s", run.pk, step, exc_info=error)
    if isinstance(error, DatabaseError):
        # The transaction is gone with the connection; a new one records how the run ended.
        connection.close()
        cause = "the connection to the database was lost"
    elif disk_full(error):
        cause = "the server's disk is full"
    else:
        return {
            "status": ImportStatus.FAILED,
            "message": f"The return could not be {step} because of an error in NCT Monitor.",
        }
    nothing = " Nothing was imported." if step == "imported" else ""
    return {
        "status": ImportStatus.FAILED,
        "message": f"The return could not be {step}: {cause}.{nothing} Upload it again.",
    }


def _upload(run: ImportRun, pulse: _Pulse) -> dict[str, Any]:
    """What checking or applying the run reads: the file, its name and parameters."""
    with run.file.open("rb") as handle:
        data = handle.read()
    return {
        "data": data,
        "filename": run.filename,
        "params": run.params,
        "progress": pulse.report,
    }


@task()
def check_import_run(run_id: int) -> None:
    """Read and check an uploaded return and record what importing it would do."""
    run = _claim(run_id, ImportStatus.CHECKING)
    if run is None:
        return
    importer = IMPORTERS[run.kind]
    try:
        with _beating(run) as pulse:
            plan = check_return(importer, **_upload(run, pulse))
    except (ImportRefused, ValidationError) as refused:
        _end(run, ImportStatus.CHECKING, **_refusal(run, refused))
        return
    except BaseException as error:
        # BaseException too: a worker told to stop mid-check leaves no run "checking".
        _end(run, ImportStatus.CHECKING, **_failure(run, "checked", error))
        raise
    _end(
        run,
        ImportStatus.CHECKING,
        status=ImportStatus.PREVIEWED,
        plan=plan.as_dict(),
        fingerprint=plan.fingerprint(),
        progress=100,
        finished_at=None,
    )


class _RunLeftApplying(Exception):
    """The run was cancelled or failed while it was being applied: roll the import back."""


@task()
def apply_import_run(run_id: int) -> None:
    """Apply a confirmed return in one transaction, if it still plans what was previewed."""
    run = _claim(run_id, ImportStatus.APPLYING)
    if run is None:
        return
    importer = IMPORTERS[run.kind]
    try:
        # The heartbeat outlives the transaction: a beat waiting for the run's row, locked
        # below, goes on once the transaction commits.
        with _beating(run) as pulse, transaction.atomic():
            plan = apply_return(
                importer,
                **_upload(run, pulse),
                user=run.uploaded_by,
                expected_fingerprint=run.fingerprint,
            )
            _mark_applied(run, plan)
    except _RunLeftApplying:
        logger.info("Import run %s left applying while it was applied; rolled back", run.pk)
    except PlanChanged as changed:
        _end(
            run,
            ImportStatus.APPLYING,
            status=ImportStatus.PREVIEWED,
            plan=changed.plan.as_dict(),
            fingerprint=changed.plan.fingerprint(),
            message=(
                "The data changed after this preview was made, so nothing was imported. Check "
                "the preview below, which shows the changes as they are now, and confirm again."
            ),
            finished_at=None,
        )
    except (ImportRefused, ValidationError) as refused:
        _end(run, ImportStatus.APPLYING, **_refusal(run, refused))
    except BaseException as error:
        # BaseException too: a worker told to stop mid-import has rolled back, and says so.
        _end(run, ImportStatus.APPLYING, **_failure(run, "imported", error))
        raise


def _mark_applied(run: ImportRun, plan: ImportPlan) -> None:
    """Mark the run imported in the transaction that imported it, if it is still applying."""
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != ImportStatus.APPLYING:
        raise _RunLeftApplying
    locked.status = ImportStatus.APPLIED
    locked.plan = plan.as_dict()
    locked.progress = 100
    locked.message = ""
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "plan", "progress", "message", "finished_at"])
    delete_upload_once_ended(locked.pk)
