"""An uploaded return's file is deleted a while after its run ends; the run stays, saying what
was uploaded."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nct_monitor import services
from nct_monitor.importing import IMPORTERS
from nct_monitor.models import ImportRun
from tests.nct_monitor.test_importing import YearsImporter
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

UPLOADED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
GOOD = xlsx([["Year"], ["2027/28"]])
BAD = xlsx([["Year"], ["twenty"]])


@pytest.fixture(autouse=True)
def years_importer():
    importer = YearsImporter()
    IMPORTERS[importer.kind] = importer
    yield importer
    IMPORTERS.pop(importer.kind)


def _upload(user, data: bytes = GOOD) -> ImportRun:
    upload = SimpleUploadedFile("years.xlsx", data)
    return services.start_import(kind="test_years", upload=upload, params={}, user=user)


def _applied(user) -> ImportRun:
    run = _upload(user)
    return services.confirm_import(run=run, user=user)


def _stored(run: ImportRun) -> bool:
    return bool(run.file.name) and run.file.storage.exists(run.file.name)


def _purge(now: dt.datetime) -> str:
    out = io.StringIO()
    with time_machine.travel(now, tick=False):
        call_command("purge_uploads", stdout=out)
    return out.getvalue()


def test_an_upload_records_the_size_and_sha256_of_its_file(admin_user):
    run = _upload(admin_user)

    assert run.file_size == len(GOOD)
    assert run.file_sha256 == hashlib.sha256(GOOD).hexdigest()


def test_an_applied_return_is_deleted_after_the_retention_and_its_run_is_kept(admin_user):
    with time_machine.travel(UPLOADED, tick=False):
        run = _applied(admin_user)
    name = run.file.name
    assert _stored(run)

    out = _purge(UPLOADED + dt.timedelta(days=30, seconds=1))

    run.refresh_from_db()
    assert not run.file.storage.exists(name)
    assert run.file.name == ""
    assert run.file_deleted_at == UPLOADED + dt.timedelta(days=30, seconds=1)
    assert (run.status, run.filename, run.file_size) == ("applied", "years.xlsx", len(GOOD))
    assert run.file_sha256 == hashlib.sha256(GOOD).hexdigest()
    assert "Deleted years.xlsx" in out
    assert "Deleted 1 stored upload kept more than 30 days after their import ended." in out


def test_an_applied_return_is_kept_within_the_retention(admin_user):
    with time_machine.travel(UPLOADED, tick=False):
        run = _applied(admin_user)

    out = _purge(UPLOADED + dt.timedelta(days=29, hours=23))

    run.refresh_from_db()
    assert _stored(run)
    assert run.file_deleted_at is None
    assert "Deleted 0 stored uploads" in out


def test_refused_and_cancelled_returns_are_deleted_after_the_retention(admin_user):
    with time_machine.travel(UPLOADED, tick=False):
        refused = _upload(admin_user, BAD)
        cancelled = services.cancel_import(run=_upload(admin_user), user=admin_user)
    assert (refused.status, cancelled.status) == ("refused", "cancelled")

    _purge(UPLOADED + dt.timedelta(days=31))

    for run in (refused, cancelled):
        run.refresh_from_db()
        assert run.file.name == ""
        assert run.file_deleted_at is not None


def test_a_return_waiting_to_be_confirmed_is_never_deleted(admin_user):
    with time_machine.travel(UPLOADED, tick=False):
        run = _upload(admin_user)

    _purge(UPLOADED + dt.timedelta(days=365))

    run.refresh_from_db()
    assert run.status == "previewed"
    assert _stored(run)
    assert services.confirm_import(run=run, user=admin_user).status == "applied"


def test_with_no_retention_an_applied_return_is_deleted_as_it_is_applied(
    admin_user, settings, django_capture_on_commit_callbacks
):
    settings.NCT_UPLOAD_RETENTION_DAYS = 0
    run = _upload(admin_user)
    name = run.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(run=run, user=admin_user)

    run.refresh_from_db()
    assert run.status == "applied"
    assert run.file.name == ""
    assert not run.file.storage.exists(name)


def test_with_no_retention_a_refused_return_is_deleted_as_it_is_refused(
    admin_user, settings, django_capture_on_commit_callbacks
):
    settings.NCT_UPLOAD_RETENTION_DAYS = 0

    with django_capture_on_commit_callbacks(execute=True):
        run = _upload(admin_user, BAD)

    run.refresh_from_db()
    assert run.status == "refused"
    assert run.file.name == ""
    assert run.issues
