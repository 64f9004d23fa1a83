"""Faults: a worker killed part way through an import or a pack build, the database
connection dropped during an import, the disk filling while a pack or an upload is written.

Each ends with nothing lost and a clear state: nothing half imported, no half-written file,
no earlier version changed, a message that says what happened, and the work can be done again.

The kills are real: the work runs in a separate Python process (`worker`), on the test
database, and is sent SIGKILL part way, as a deploy or the out-of-memory killer would; the
dropped connection is real too (`pg_terminate_backend`). Those need a database another process
can reach, so they run on PostgreSQL (CI's second run) and are skipped on SQLite, like the
`postgresql` tests. A full disk is simulated: writes under the media folder stop part way with
ENOSPC, as the kernel's would; that runs on both.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from committee import services as committee_services
from committee.choices import PackStatus
from committee.models import AgendaPack
from committee.tasks import build_agenda_pack
from nct_monitor import services
from nct_monitor.choices import ImportStatus
from nct_monitor.models import FinancialYear, ImportRun
from savings.importers import COLUMNS
from savings.models import SavingsLine, SavingsPosition
from tests.committee.factories import AgendaItemFactory, MeetingFactory
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
WORKER_NAME = "nct-fault-worker"
LINES = 3000
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def savings_return(lines: int = LINES) -> bytes:
    return xlsx(
        [COLUMNS]
        + [[f"S{n}", f"Saving {n}", "", "NCT", 100, 0, 0, 100, 0, ""] for n in range(lines)]
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def wait_for(condition: Callable[[], bool], *, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} s")
        time.sleep(0.02)


@pytest.fixture
def worker() -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    """`worker(code)`: a Python process running `code` with Django set up on the test
    database and media folder, as a task worker does."""
    started: list[subprocess.Popen[bytes]] = []
    db = connection.settings_dict

    def start(code: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "nct_monitor.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                f"{db['NAME']}?application_name={WORKER_NAME}"
            ),
            "NCT_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "NCT_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        process = subprocess.Popen(
            [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


needs_postgresql = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="a killed worker needs a database another process can reach: run on PostgreSQL",
)


@pytest.fixture
def admin(transactional_db: Any) -> User:
    # A test that committed and flushed before this one may have taken the years with it.
    if not FinancialYear.objects.filter(start_year=2023).exists():
        services.create_financial_year(start_year=2023)
    return User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")


@pytest.fixture
def confirmed(settings, admin, contract) -> ImportRun:
    """A large savings return, checked, confirmed and queued for a worker to apply."""
    settings.NCT_IMPORT_INLINE_BYTES = 10**9  # checked here, in the test's process
    run = services.start_import(
        kind="savings",
        upload=SimpleUploadedFile("p9.xlsx", savings_return()),
        params={"year": "2023/24", "period": 9},
        user=admin,
    )
    assert run.status == ImportStatus.PREVIEWED, run.issues
    settings.NCT_IMPORT_INLINE_BYTES = 0  # applied by the worker
    settings.TASKS = DUMMY_TASKS
    run = services.confirm_import(run=run, user=admin)
    assert run.status == ImportStatus.APPLYING
    return run


def applying_in(worker: Callable[[str], subprocess.Popen[bytes]], run: ImportRun) -> Any:
    """The worker process applying `run`, once it has applied some of it."""
    process = worker(
        f"from nct_monitor.importing.tasks import apply_import_run\napply_import_run.call({run.pk})"
    )
    wait_for(lambda: ImportRun.objects.get(pk=run.pk).progress >= 5)
    return process


def import_again(settings, admin: User) -> ImportRun:
    settings.NCT_IMPORT_INLINE_BYTES = 10**9
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    run = services.start_import(
        kind="savings",
        upload=SimpleUploadedFile("p9.xlsx", savings_return()),
        params={"year": "2023/24", "period": 9},
        user=admin,
    )
    return services.confirm_import(run=run, user=admin)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_imports_nothing_and_the_run_is_shown_stopped(
    settings, admin, confirmed, worker
):
    process = applying_in(worker, confirmed)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    run = ImportRun.objects.get(pk=confirmed.pk)
    assert run.status == ImportStatus.APPLYING  # nobody was left to say otherwise
    assert (SavingsLine.objects.count(), SavingsPosition.objects.count()) == (0, 0)
    settings.NCT_WORK_STALE_SECONDS = 1
    time.sleep(1.5)
    assert run.stopped().startswith(
        "The import stopped without finishing: nothing has been heard from it since "
    )
    assert run.stopped().endswith(
        "Nothing was imported. Cancel this upload and upload the return again."
    )
    assert services.cancel_import(run=run, user=admin).status == ImportStatus.CANCELLED

    again = import_again(settings, admin)

    assert again.status == ImportStatus.APPLIED
    assert SavingsPosition.objects.count() == LINES


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_mid_import_imports_nothing_and_says_so(
    settings, admin, confirmed, worker
):
    process = applying_in(worker, confirmed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [WORKER_NAME],
        )
        assert cursor.fetchall(), "the worker's connections were not found"
    process.wait(timeout=60)

    run = ImportRun.objects.get(pk=confirmed.pk)
    assert run.status == ImportStatus.FAILED, process.stderr.read().decode()[-2000:]
    assert run.message == (
        "The return could not be imported: the connection to the database was lost. Nothing "
        "was imported. Upload it again."
    )
    assert (SavingsLine.objects.count(), SavingsPosition.objects.count()) == (0, 0)

    assert import_again(settings, admin).status == ImportStatus.APPLIED
    assert SavingsPosition.objects.count() == LINES


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    for number in range(1, 41):
        AgendaItemFactory(meeting=meeting, number=number, subject=f"Item {number} " * 12)
    return meeting


def built_pack(meeting: Any, user: User) -> AgendaPack:
    """A new version of the meeting's public pack, built here, in the test's process."""
    pack = committee_services.start_pack_build(meeting=meeting, variant="public", user=user)
    build_agenda_pack.call(pack.pk)
    pack.refresh_from_db()
    return pack


def stored(pack: AgendaPack) -> tuple[str, str, bytes]:
    """What a pack holds: its file's name, its SHA-256 and the file's bytes, read again."""
    pack.refresh_from_db()
    return (pack.file.name, pack.sha256, pack.file.read())


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_keeps_the_earlier_version_and_stores_no_file(
    settings, admin, meeting, worker
):
    built = built_pack(meeting, admin)
    assert built.status == PackStatus.BUILT
    kept = stored(built)
    before = files_under(Path(settings.MEDIA_ROOT))
    pack = committee_services.start_pack_build(meeting=meeting, variant="public", user=admin)

    process = worker(
        f"from committee.tasks import build_agenda_pack\nbuild_agenda_pack.call({pack.pk})"
    )
    wait_for(lambda: AgendaPack.objects.get(pk=pack.pk).progress >= 10)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    pack.refresh_from_db()
    assert (pack.status, pack.file.name or "") == (PackStatus.BUILDING, "")
    assert files_under(Path(settings.MEDIA_ROOT)) == before
    assert stored(built) == kept
    settings.NCT_WORK_STALE_SECONDS = 1
    time.sleep(1.5)
    assert pack.build_stopped().startswith("The build stopped without finishing")

    again = built_pack(meeting, admin)

    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert again.status == PackStatus.BUILT and again.file.read().startswith(b"%PDF")


class FullDisk:
    """While `full`, a file written under the media folder gets 1,000 bytes on disk and then
    ENOSPC, as on a full disk; every other file is written as usual."""

    def __init__(self, media: Path) -> None:
        self.media, self.full = str(media.resolve()), False
        self.real_fdopen = os.fdopen

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        file = self.real_fdopen(fd, *args, **kwargs)
        if self.full and os.readlink(f"/proc/self/fd/{fd}").startswith(self.media):
            return _FillingFile(file)
        return file


class _FillingFile:
    def __init__(self, file: Any) -> None:
        self.file, self.room = file, 1000

    def write(self, chunk: bytes) -> int:
        part = chunk[: self.room]
        self.file.write(part)
        self.file.flush()
        self.room -= len(part)
        if len(part) < len(chunk):
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(part)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


@pytest.fixture
def disk(monkeypatch, settings) -> FullDisk:
    disk = FullDisk(Path(settings.MEDIA_ROOT))
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(os, "fdopen", disk.fdopen)
    return disk


@pytest.mark.django_db
def test_a_full_disk_while_a_pack_is_written_leaves_no_file_and_says_so(
    settings, meeting, clerk, disk
):
    built = built_pack(meeting, clerk)
    assert built.status == PackStatus.BUILT
    kept = stored(built)
    before = files_under(Path(settings.MEDIA_ROOT))
    pack = committee_services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    disk.full = True

    with pytest.raises(OSError, match="No space left on device"):
        build_agenda_pack.call(pack.pk)

    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert pack.error == (
        "The pack could not be stored: the server's disk is full. Nothing was published and no "
        "earlier version was changed. Ask the system administrator to free space, then build "
        "the pack again."
    )
    assert (pack.file.name or "", pack.sha256) == ("", "")
    assert files_under(Path(settings.MEDIA_ROOT)) == before  # no part-written file
    assert stored(built) == kept

    disk.full = False
    again = built_pack(meeting, clerk)
    assert again.status == PackStatus.BUILT and again.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_a_full_disk_while_a_return_is_uploaded_keeps_nothing_and_says_so(
    settings, officer_client, contract, disk
):
    disk.full = True
    response = officer_client.post(
        reverse("savings:import"),
        {"period": "2023:9", "file": SimpleUploadedFile("p9.xlsx", savings_return(50))},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file could not be stored: the server&#x27;s disk is full." in page
    assert not ImportRun.objects.exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []
