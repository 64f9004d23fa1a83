"""Building an agenda pack in the background, reporting progress for the meeting page.

While it builds, the pack's heartbeat is written with each progress report and, from a
thread of its own, every quarter of NCT_WORK_STALE_SECONDS: WeasyPrint lays a long pack out in
one call that reports nothing, and a worker that is killed stops beating, so the meeting page
can tell a long build from a dead one (`AgendaPack.build_stopped`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django_tasks import task

from committee.models import AgendaPack
from committee.services import build_pack_file, fail_pack_build, report_build_progress

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat(pack_id: int) -> Iterator[None]:
    """Keep the pack's heartbeat fresh for as long as the block runs in this process."""
    every = max(getattr(settings, "NCT_WORK_STALE_SECONDS", 180) / 4, 1)
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                report_build_progress(pack_id=pack_id)
        except Exception:
            logger.exception("The heartbeat of agenda pack %s stopped", pack_id)
        finally:
            # The thread's own database connection, not the build's.
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"agenda-pack-{pack_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


@task()
def build_agenda_pack(pack_id: int) -> None:
    pack = AgendaPack.objects.select_related("meeting__committee").filter(pk=pack_id).first()
    if pack is None:
        logger.info("Agenda pack %s was discarded before its build started", pack_id)
        return

    def progress(percent: int) -> None:
        report_build_progress(pack_id=pack_id, percent=percent)

    try:
        with heartbeat(pack_id):
            report_build_progress(pack_id=pack_id, percent=1)
            build_pack_file(pack=pack, progress=progress)
    except BaseException as error:
        # BaseException too: a worker told to stop mid-render leaves no pack "building".
        logger.exception("Building agenda pack %s failed", pack_id)
        fail_pack_build(
            pack_id=pack_id,
            error=f"The pack could not be built ({type(error).__name__}). Discard this "
            "version or build the pack again.",
        )
        raise
