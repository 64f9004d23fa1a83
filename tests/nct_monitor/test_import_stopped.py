"""An uploaded return whose worker dies is seen as failed within minutes and can be cancelled
and uploaded again; it has imported nothing, and a worker that comes late leaves it alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nct_monitor import services
from nct_monitor.choices import ImportStatus
from nct_monitor.importing import IMPORTERS
from nct_monitor.models import ImportRun
from nct_monitor.tasks import apply_import_run
from savings.importers import COLUMNS
from savings.models import SavingsLine, SavingsPosition
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(settings):
    settings.NCT_WORK_STALE_SECONDS = 180
    return timedelta(seconds=180)


@pytest.fixture
def previewed(officer_client, contract) -> ImportRun:
    """A savings return uploaded by the officer and waiting to be confirmed."""
    data = xlsx([COLUMNS, ["S1", "Review of Contracts", "", "NCT", 100, 0, 0, 100, 0, ""]])
    officer_client.post(
        reverse("savings:import"), {"period": "2023:9", "file": SimpleUploadedFile("p9.xlsx", data)}
    )
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.PREVIEWED
    return run


def marked(run: ImportRun, status: str, *, silent_for: timedelta) -> ImportRun:
    """The run marked `status`, its worker last heard from `silent_for` ago."""
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, progress=74, heartbeat_at=timezone.now() - silent_for
    )
    return ImportRun.objects.get(pk=run.pk)


def page(client, run: ImportRun) -> str:
    return client.get(reverse("import_run", args=[run.pk])).content.decode()


def test_an_import_heard_from_recently_is_still_running_and_polls(officer_client, previewed, stale):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=stale - timedelta(seconds=5))

    html = page(officer_client, run)

    assert run.stopped() == ""
    assert '<progress class="nct-progress" max="100" value="74"' in html
    assert 'hx-trigger="load delay:1s"' in html


def test_a_silent_import_is_shown_failed_with_cancel_and_stops_polling(
    officer_client, previewed, stale
):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=stale + timedelta(seconds=5))

    html = page(officer_client, run)

    assert run.stopped().startswith(
        "The import stopped without finishing: nothing has been heard from it since "
    )
    assert "Failed" in html
    assert "nothing has been heard from it since" in html
    assert "Nothing was imported. Cancel this upload and upload the return again." in html
    assert reverse("import_cancel", args=[run.pk]) in html
    assert "<progress" not in html
    assert 'hx-trigger="load delay:1s"' not in html


def test_the_list_of_returns_shows_a_silent_check_as_failed(officer_client, previewed, stale):
    marked(previewed, ImportStatus.CHECKING, silent_for=stale * 2)

    html = officer_client.get(reverse("import_list")).content.decode()

    assert "Failed" in html
    assert "The check stopped without finishing" in html


def test_a_check_whose_task_no_worker_took_is_shown_failed(
    settings, officer_client, contract, stale
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NCT_IMPORT_INLINE_BYTES = 10  # every file counts as large: no worker runs here
    data = xlsx([COLUMNS, ["S1", "Review of Contracts", "", "NCT", 100, 0, 0, 100, 0, ""]])
    officer_client.post(
        reverse("savings:import"), {"period": "2023:9", "file": SimpleUploadedFile("p9.xlsx", data)}
    )
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.CHECKING and run.task_id
    assert run.stopped() == ""

    run = marked(run, ImportStatus.CHECKING, silent_for=stale * 2)

    assert run.stopped().startswith(
        "The check stopped without finishing: no worker had started it by "
    )


def test_a_stopped_import_is_cancelled(officer_client, previewed, stale):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=stale * 2)

    response = officer_client.post(reverse("import_cancel", args=[run.pk]))

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED
    assert run.message.startswith("The import stopped without finishing")


def test_a_stopped_check_is_cancelled(officer, previewed, stale):
    run = marked(previewed, ImportStatus.CHECKING, silent_for=stale * 2)

    services.cancel_import(run=run, user=officer)

    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.CANCELLED


def test_a_return_waiting_to_be_confirmed_is_cancelled(officer_client, previewed):
    officer_client.post(reverse("import_cancel", args=[previewed.pk]))

    assert ImportRun.objects.get(pk=previewed.pk).status == ImportStatus.CANCELLED


def test_an_import_that_is_running_cannot_be_cancelled(officer, officer_client, previewed, stale):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=timedelta(seconds=5))

    with pytest.raises(ValidationError, match="being imported and cannot be cancelled"):
        services.cancel_import(run=run, user=officer)
    response = officer_client.post(reverse("import_cancel", args=[run.pk]), follow=True)

    assert "being imported and cannot be cancelled" in response.content.decode()
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.APPLYING


def test_a_late_worker_does_not_apply_a_cancelled_run(officer, previewed, stale):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=stale * 2)
    services.cancel_import(run=run, user=officer)

    apply_import_run.call(run.pk)

    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.CANCELLED
    assert not SavingsLine.objects.exists()


def test_a_late_worker_does_not_apply_a_run_shown_failed(previewed, stale):
    run = marked(previewed, ImportStatus.APPLYING, silent_for=stale * 2)

    apply_import_run.call(run.pk)

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.message.startswith("The import stopped without finishing")
    assert not SavingsLine.objects.exists()


def test_a_return_confirmed_twice_is_applied_once(officer, previewed):
    services.confirm_import(run=previewed, user=officer)

    with pytest.raises(ValidationError, match="not waiting to be confirmed"):
        services.confirm_import(run=previewed, user=officer)
    assert SavingsPosition.objects.count() == 1


def test_an_import_killed_mid_write_writes_nothing_and_is_failed(
    officer, officer_client, previewed, monkeypatch
):
    importer = IMPORTERS["savings"]
    write = importer.write

    def killed(*args, **kwargs):
        write(*args, **kwargs)
        assert SavingsLine.objects.exists()  # written, not yet committed
        raise KeyboardInterrupt  # the worker told to stop before the import commits

    monkeypatch.setattr(importer, "write", killed)
    with pytest.raises(KeyboardInterrupt):
        services.confirm_import(run=previewed, user=officer)

    assert not SavingsLine.objects.exists()
    assert not SavingsPosition.objects.exists()
    run = ImportRun.objects.get(pk=previewed.pk)
    assert run.status == ImportStatus.FAILED
    html = page(officer_client, run)
    assert "The return could not be imported because of an error in NCT Monitor." in html
    assert "Nothing was imported." in html
