"""Background tasks for returns uploaded through the web: checking, then applying.

Both run on Django's task framework, so a large return is handled by a `db_worker` while the
page shows its progress. Small returns run the same functions at once, in the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from nct_monitor.choices import ImportStatus
from nct_monitor.importing import (
    IMPORTERS,
    ImportIssue,
    ImportPlan,
    ImportRefused,
    PlanChanged,
    apply_return,
    check_return,
)
from nct_monitor.models import ImportRun

logger = logging.getLogger(__name__)


def _progress(run_id: int):  # type: ignore[no-untyped-def]
    last = {"percent": -1}

    def report(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        # Every 5%: enough for a progress bar, few enough writes not to slow the import.
        if percent >= last["percent"] + 5:
            last["percent"] = percent
            ImportRun.objects.filter(pk=run_id).update(progress=percent)

    return report


def _refuse(run: ImportRun, issues: list[ImportIssue]) -> None:
    run.status = ImportStatus.REFUSED
    run.issues = [issue.as_dict() for issue in issues]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "issues", "finished_at"])


def _run(run: ImportRun, step: str, action: Callable[[bytes], ImportPlan]) -> ImportPlan | None:
    """Run `action` on the uploaded file; record a refusal or failure on the run."""
    try:
        with run.file.open("rb") as handle:
            data = handle.read()
        return action(data)
    except ImportRefused as refused:
        _refuse(run, refused.issues)
    except ValidationError as error:
        _refuse(run, [ImportIssue(run.filename, None, None, m) for m in error.messages])
    except PlanChanged:
        raise
    except Exception:
        logger.exception("Import run %s failed while %s", run.pk, step)
        run.status = ImportStatus.FAILED
        run.message = f"The return could not be {step} because of an error in NCT Monitor."
        run.save(update_fields=["status", "message"])
        raise
    return None


@task()
def check_import_run(run_id: int) -> None:
    """Read and check an uploaded return and record what importing it would do."""
    run = ImportRun.objects.get(pk=run_id)
    importer = IMPORTERS[run.kind]
    plan = _run(
        run,
        "checked",
        lambda data: check_return(
            importer, data, filename=run.filename, params=run.params, progress=_progress(run.pk)
        ),
    )
    if plan is None:
        return
    run.status = ImportStatus.PREVIEWED
    run.plan = plan.as_dict()
    run.fingerprint = plan.fingerprint()
    run.progress = 100
    run.save(update_fields=["status", "plan", "fingerprint", "progress"])


@task()
def apply_import_run(run_id: int) -> None:
    """Apply a confirmed return in one transaction, if it still plans what was previewed."""
    run = ImportRun.objects.select_related("uploaded_by").get(pk=run_id)
    importer = IMPORTERS[run.kind]
    try:
        plan = _run(
            run,
            "imported",
            lambda data: apply_return(
                importer,
                data,
                filename=run.filename,
                params=run.params,
                user=run.uploaded_by,
                expected_fingerprint=run.fingerprint,
                progress=_progress(run.pk),
            ),
        )
    except PlanChanged as changed:
        run.status = ImportStatus.PREVIEWED
        run.plan = changed.plan.as_dict()
        run.fingerprint = changed.plan.fingerprint()
        run.message = (
            "The data changed after this preview was made, so nothing was imported. "
            "Check the preview below, which shows the changes as they are now, and confirm again."
        )
        run.save(update_fields=["status", "plan", "fingerprint", "message"])
        return
    if plan is None:
        return
    run.status = ImportStatus.APPLIED
    run.plan = plan.as_dict()
    run.progress = 100
    run.message = ""
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "plan", "progress", "message", "finished_at"])
