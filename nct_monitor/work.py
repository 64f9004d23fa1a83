"""Long work done in the background, and telling work that runs from work that has stopped.

A worker that is killed (a deploy, out of memory, a machine switched off) never marks its work
failed, so the work shows it is alive instead: it writes a heartbeat while it runs, with each
progress report and, from a thread of its own (`heartbeat`), every quarter of
NCT_WORK_STALE_SECONDS, even through one long call that reports nothing. Where the task backend
keeps results, the task's status says too when it has ended. `stopped` reads both and says why,
in the words the pages show. Agenda packs and uploaded returns both work this way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

logger = logging.getLogger(__name__)


def stale_after() -> timedelta:
    """How long work may be silent before it is taken to have stopped (180 seconds by default)."""
    return timedelta(seconds=getattr(settings, "NCT_WORK_STALE_SECONDS", 180))


def task_status(task_id: str) -> TaskResultStatus | None:
    """The status of a background task's result, when the task backend keeps results."""
    if not task_id or not default_task_backend.supports_get_result:
        return None
    try:
        return TaskResultStatus(default_task_backend.get_result(task_id).status)
    except TaskResultDoesNotExist:
        return None


def stopped(
    *,
    work: str,
    unfinished: str,
    remedy: str,
    heartbeat_at: datetime,
    task_id: str,
    now: datetime | None = None,
) -> str:
    """Why work still marked running has stopped without finishing; "" while it runs.

    `work` names it ("The build"), `unfinished` says what its task ended without doing
    ("storing the pack") and `remedy` what the reader can do now.
    """
    status = task_status(task_id)
    if status in {TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL}:
        return (
            f"{work} stopped without finishing: its background task ended without "
            f"{unfinished}. {remedy}"
        )
    stale = stale_after()
    if (now if now is not None else timezone.now()) - heartbeat_at <= stale:
        return ""
    if status == TaskResultStatus.READY:
        return (
            f"{work} stopped without finishing: no worker had started it by "
            f"{_moment(heartbeat_at + stale)}. {remedy}"
        )
    return (
        f"{work} stopped without finishing: nothing has been heard from it since "
        f"{_moment(heartbeat_at)}. {remedy}"
    )


def _moment(when: datetime) -> str:
    return date_format(timezone.localtime(when), "H:i \\o\\n j F Y")


@contextmanager
def heartbeat(beat: Callable[[], None], *, name: str) -> Iterator[Callable[[], None]]:
    """Call `beat` from a thread of its own, every quarter of NCT_WORK_STALE_SECONDS, for as
    long as the block runs in this process.

    Yields `wake`, which has the thread beat at once: work that holds a transaction open
    reports its progress that way, on the thread's own connection, because what it writes on
    its own is seen by nobody until it commits.
    """
    every = max(stale_after().total_seconds() / 4, 1)
    wake, stop = threading.Event(), threading.Event()

    def run() -> None:
        try:
            while True:
                wake.wait(every)
                wake.clear()
                if stop.is_set():
                    return
                try:
                    beat()
                except DatabaseError as error:
                    # SQLite lets one writer in at a time, so a beat may wait too long for the
                    # work's own transaction: the next beat tries again.
                    logger.warning("A heartbeat of %s could not be written: %s", name, error)
                    # A connection the server dropped is not used again: the next beat opens
                    # a new one.
                    connections.close_all()
                except Exception:
                    logger.exception("A heartbeat of %s failed", name)
        finally:
            # The thread's own database connection, not the work's.
            connections.close_all()

    thread = threading.Thread(target=run, name=f"{name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield wake.set
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=30)
