"""Writes to financial years and periods, and the guard every other app's writes go through.

Any service that writes data for a period calls `require_open_period` (or `ensure_period_open`
when it already holds the period) first, so a signed-off period can never change.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from nct_monitor.audit import AnyUser, save_with_history
from nct_monitor.choices import ImportStatus, PeriodStatus
from nct_monitor.importing import IMPORTERS, MAX_FILE_BYTES, unpacked_size
from nct_monitor.importing.retention import delete_expired_uploads, delete_upload_once_ended
from nct_monitor.importing.tasks import apply_import_run, check_import_run
from nct_monitor.models import Correction, FinancialYear, ImportRun, Period, Publication
from nct_monitor.records import Gap, completeness, period_figures
from nct_monitor.selectors import get_period, get_year
from nct_monitor.storage import disk_full

# Sent after a period is signed off or reopened, with `period`: caches of figures keyed by a
# signed-off period listen to these.
period_signed_off = Signal()
period_reopened = Signal()

REOPENED = "Reopened: "
NOT_SHOWN = "(not shown)"


def signed_off_message(period: Period) -> str:
    return (
        f"{period.label} is signed off, so its data cannot be changed. "
        "An administrator can reopen it, giving a reason."
    )


def ensure_period_open(period: Period) -> None:
    """Raise ValidationError when `period` is signed off."""
    if period.is_signed_off:
        raise ValidationError(signed_off_message(period), code="period_signed_off")


def require_open_period(*, year: str | int | FinancialYear, period: str | int) -> Period:
    """The period, if data may be written to it; ValidationError naming it otherwise.

    Inside a transaction the period row stays locked until it ends, so the period cannot be
    signed off half-way through a write.
    """
    found = get_period(year, period)
    if transaction.get_connection().in_atomic_block:
        found = Period.objects.select_for_update().select_related("year").get(pk=found.pk)
    ensure_period_open(found)
    return found


def require_open_periods(periods: Iterable[Period]) -> dict[int, Period]:
    """Lock many periods at once, in time order, for a bulk write; {pk: Period}.

    Raises ValidationError with a message per signed-off period. The same guard as
    `require_open_period`, in one query, for imports that write to hundreds of periods.
    """
    wanted = {period.pk for period in periods}
    query = Period.objects.select_related("year").filter(pk__in=wanted)
    if transaction.get_connection().in_atomic_block:
        query = query.select_for_update(of=("self",))
    locked = list(query.order_by("year__start_year", "number"))
    closed = [signed_off_message(period) for period in locked if period.is_signed_off]
    if closed:
        raise ValidationError(closed, code="period_signed_off")
    return {period.pk: period for period in locked}


class SignOffIncomplete(ValidationError):
    """A period has gaps (`gaps`) and no reason was given for signing it off with them."""

    def __init__(self, message: Any, gaps: list[Gap]) -> None:
        super().__init__(message, code="sign_off_incomplete")
        self.gaps = gaps


def gaps_fingerprint(gaps: Iterable[Gap]) -> str:
    """A short digest of a completeness list, so a sign-off records the list its user saw."""
    text = "\n".join(f"{gap.area}: {gap.message}" for gap in gaps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def sign_off_period(
    *,
    period: Period,
    user: AnyUser,
    exceptions_reason: str = "",
    gaps_seen: str | None = None,
) -> Period:
    """Make a period read-only. Contract officers and administrators sign periods off.

    The registered checks list what is incomplete. A period with gaps is signed off only with
    a reason for those exceptions; the gaps and the reason are kept on the period and in its
    history. With `gaps_seen` (the `gaps_fingerprint` of the list its user was shown) it is
    refused when the list has changed since. Figures that differ from what a published
    document printed for the period are recorded as corrections.
    """
    if not user.has_perm("nct_monitor.sign_off_period"):
        raise PermissionDenied("Only contract officers and administrators can sign off a period.")
    locked = Period.objects.select_for_update().select_related("year").get(pk=period.pk)
    if locked.is_signed_off:
        raise ValidationError(f"{locked.label} is already signed off.", code="already_signed_off")
    if not locked.has_ended:
        raise ValidationError(
            f"{locked.label} ({locked.month_label}) has not ended, so it cannot be signed off "
            f"yet: it can be from {locked.sign_off_from:%-d %B %Y}.",
            code="not_ended",
        )
    gaps = completeness(locked)
    if gaps_seen is not None and gaps_seen != gaps_fingerprint(gaps):
        raise ValidationError(
            f"What is incomplete for {locked.label} changed while this page was open. "
            "Check the list again before signing off.",
            code="gaps_changed",
        )
    reason = (exceptions_reason or "").strip()
    if gaps and not reason:
        raise SignOffIncomplete(
            {
                "exceptions_reason": f"{locked.label} has {len(gaps)} "
                f"exception{'s' if len(gaps) != 1 else ''}: complete "
                f"{'them' if len(gaps) != 1 else 'it'}, or give the reason for signing off "
                "with them."
            },
            gaps,
        )
    locked.status = PeriodStatus.SIGNED_OFF
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = user if isinstance(user, User) else None
    locked.sign_off_exceptions = [gap.as_dict() for gap in gaps]
    locked.sign_off_reason = reason if gaps else ""
    why = "Signed off"
    if gaps:
        why = f"Signed off with {len(gaps)} exception{'s' if len(gaps) != 1 else ''}: {reason}"
    save_with_history(locked, user=user, reason=why)
    record_corrections(locked, user=user)
    transaction.on_commit(lambda: period_signed_off.send(sender=Period, period=locked))
    return locked


def _last_reopen_reason(period: Period) -> str:
    reopened = (
        period.history.filter(history_change_reason__startswith=REOPENED)  # type: ignore[attr-defined]
        .order_by("-history_date")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return reopened[len(REOPENED) :] if reopened else ""


def record_corrections(period: Period, *, user: AnyUser) -> list[Correction]:
    """A correction for each figure a publication printed for `period` that now differs
    from it (or from its last correction), with the reason the period was reopened."""
    publications = list(Publication.objects.filter(period=period).prefetch_related("corrections"))
    if not publications:
        return []
    now_shown = period_figures(period)
    reason = _last_reopen_reason(period) or f"Changed before {period.label} was signed off."
    made = []
    for publication in publications:
        latest = dict(publication.figures)
        for correction in sorted(publication.corrections.all(), key=lambda c: c.corrected_at):
            latest[correction.figure] = correction.new_value
        for figure, printed in latest.items():
            current = now_shown.get(figure, NOT_SHOWN)
            if current == printed:
                continue
            made.append(
                Correction(
                    publication=publication,
                    period=period,
                    figure=figure[:300],
                    old_value=str(printed)[:100],
                    new_value=current[:100],
                    reason=reason,
                    corrected_by=user if isinstance(user, User) else None,
                    corrected_at=timezone.now(),
                )
            )
    Correction.objects.bulk_create(made)
    return made


@transaction.atomic
def reopen_period(*, period: Period, user: AnyUser, reason: str) -> Period:
    """Reopen a signed-off period. Administrators only, and the reason is kept in its history."""
    if not user.has_perm("nct_monitor.reopen_period"):
        raise PermissionDenied("Only an administrator can reopen a signed-off period.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": f"Give the reason for reopening {period.label}."}, code="reason_required"
        )
    locked = Period.objects.select_for_update().select_related("year").get(pk=period.pk)
    if not locked.is_signed_off:
        raise ValidationError(f"{locked.label} is already open.", code="already_open")
    locked.status = PeriodStatus.OPEN
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = user if isinstance(user, User) else None
    locked.sign_off_exceptions = []
    locked.sign_off_reason = ""
    save_with_history(locked, user=user, reason=f"{REOPENED}{reason}")
    transaction.on_commit(lambda: period_reopened.send(sender=Period, period=locked))
    return locked


def create_financial_year(*, start_year: int) -> FinancialYear:
    """A financial year with its twelve open periods (idempotent)."""
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    for number in range(1, 13):
        Period.objects.get_or_create(year=year, number=number)
    return year


@transaction.atomic
def add_next_financial_year(*, user: AnyUser) -> FinancialYear:
    """Add the year after the last one, with its periods. Administrators only."""
    if not user.has_perm("nct_monitor.add_financialyear"):
        raise PermissionDenied("Only an administrator can add a financial year.")
    last = FinancialYear.objects.select_for_update().order_by("-start_year").first()
    if last is None:
        raise ValidationError("No financial years are set up yet.")
    return create_financial_year(start_year=last.start_year + 1)


def inline_import_bytes() -> int:
    """Returns that unpack to up to this size are checked and applied in the request; larger
    ones by a worker. Unpacked, not as uploaded: an .xlsx of 20 KB can hold 30 MB of XML."""
    return int(getattr(settings, "NCT_IMPORT_INLINE_BYTES", 2 * 1024 * 1024))


def start_import(
    *, kind: str, upload: UploadedFile, params: dict[str, Any], user: AnyUser
) -> ImportRun:
    """Store an uploaded return and check it (in the background when it is large)."""
    _require_import_permission(kind, user)
    size = upload.size or 0
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": f"The file is {size // (1024 * 1024)} MB; the most that can be imported "
                f"is {MAX_FILE_BYTES // (1024 * 1024)} MB."
            }
        )
    if size == 0:
        raise ValidationError({"file": "The selected file is empty."})
    inline = unpacked_size(upload) <= inline_import_bytes()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    run = ImportRun.objects.create(
        kind=kind,
        filename=Path(upload.name or "upload").name[:255],
        file_size=size,
        file_sha256=digest.hexdigest(),
        params=params,
        uploaded_by=user if isinstance(user, User) else None,
        heartbeat_at=timezone.now(),
    )
    # A name of our own: the uploaded name is shown, never used as a path.
    suffix = Path(upload.name or "").suffix.lower()[:8]
    try:
        run.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=True)
    except OSError as error:
        # Nothing of it is kept (MediaStorage removes a part-written file), run record included.
        run.delete()
        if not disk_full(error):
            raise
        raise ValidationError(
            {
                "file": "The file could not be stored: the server's disk is full. Nothing was "
                "imported. Ask the system administrator to free space, then upload it again."
            }
        ) from None
    if inline:
        check_import_run.call(run.pk)
    else:
        _attach_task(run, check_import_run.enqueue(run.pk))
    run.refresh_from_db()
    return run


def _require_import_permission(kind: str, user: AnyUser) -> None:
    importer = IMPORTERS[kind]
    if not user.has_perm(importer.permission):
        raise PermissionDenied(f"Your role cannot import a {importer.title.lower()}.")


def _attach_task(run: ImportRun, result: Any) -> None:
    # So the run can tell when its task has ended, or not started (`ImportRun.stopped`).
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])


def confirm_import(*, run: ImportRun, user: AnyUser) -> ImportRun:
    """Apply a previewed return (in the background when it is large).

    Only the confirm that moves the run from previewed to applying goes on, so a return
    confirmed twice (two tabs, a double click) is applied once.
    """
    _require_import_permission(run.kind, user)
    if not run.file.name or not run.file.storage.exists(run.file.name):
        raise ValidationError("The uploaded file is no longer stored: upload the return again.")
    # The check's task is forgotten: it has ended, and the run is not stopped for that.
    updated = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.APPLYING,
        progress=0,
        message="",
        heartbeat_at=timezone.now(),
        task_id="",
    )
    if not updated:
        raise ValidationError("This return is not waiting to be confirmed.")
    with run.file.open("rb") as stored:
        inline = unpacked_size(stored) <= inline_import_bytes()
    if inline:
        apply_import_run.call(run.pk)
    else:
        _attach_task(run, apply_import_run.enqueue(run.pk))
    run.refresh_from_db()
    return run


@transaction.atomic
def cancel_import(*, run: ImportRun, user: AnyUser) -> ImportRun:
    """Drop a return waiting to be confirmed, or one whose check or import has stopped.

    A run still being checked or imported is left to finish: the worker ends it only while
    it is still marked as its step, so a cancelled run is never imported afterwards.
    """
    _require_import_permission(run.kind, user)
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    stopped = locked.stopped()
    if locked.status == ImportStatus.CHECKING and not stopped:
        raise ValidationError(
            "This return is still being checked: wait for the check to finish, then cancel it."
        )
    if locked.status == ImportStatus.APPLYING and not stopped:
        raise ValidationError(
            "This return is being imported and cannot be cancelled: an import is all or "
            "nothing, so wait for it to finish."
        )
    if locked.status not in {ImportStatus.PREVIEWED, ImportStatus.CHECKING, ImportStatus.APPLYING}:
        raise ValidationError(
            "Only a return waiting to be confirmed, or one whose check or import stopped, can "
            "be cancelled."
        )
    locked.status = ImportStatus.CANCELLED
    locked.message = stopped
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "message", "finished_at"])
    delete_upload_once_ended(locked.pk)
    return locked


def purge_uploads(*, now: datetime | None = None) -> list[ImportRun]:
    """Delete the stored files of import runs that ended NCT_UPLOAD_RETENTION_DAYS ago or more.

    Each run is kept, with the file's name, size and SHA-256, so the record of what was
    uploaded stays; the runs whose files were deleted are returned.
    """
    return delete_expired_uploads(now=now)


__all__ = [
    "add_next_financial_year",
    "cancel_import",
    "confirm_import",
    "create_financial_year",
    "ensure_period_open",
    "gaps_fingerprint",
    "get_year",
    "purge_uploads",
    "record_corrections",
    "reopen_period",
    "require_open_period",
    "require_open_periods",
    "sign_off_period",
    "start_import",
]
