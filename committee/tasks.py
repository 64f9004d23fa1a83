"""Building an agenda pack in the background, reporting progress for the meeting page.

While it builds, the pack's heartbeat is written with each progress report and, from a
thread of its own (`nct_monitor.work.heartbeat`), every quarter of NCT_WORK_STALE_SECONDS:
WeasyPrint lays a long pack out in one call that reports nothing, and a worker that is killed
stops beating, so the meeting page can tell a long build from a dead one
(`AgendaPack.build_stopped`).
"""

from __future__ import annotations

import logging

from django_tasks import task

from committee.models import AgendaPack
from committee.services import (
    build_failure,
    build_pack_file,
    fail_pack_build,
    report_build_progress,
)
from nct_monitor.work import heartbeat

logger = logging.getLogger(__name__)


@task()
def build_agenda_pack(pack_id: int) -> None:
    pack = AgendaPack.objects.select_related("meeting__committee").filter(pk=pack_id).first()
    if pack is None:
        logger.info("Agenda pack %s was discarded before its build started", pack_id)
        return

    def progress(percent: int) -> None:
        report_build_progress(pack_id=pack_id, percent=percent)

    try:
        with heartbeat(
            lambda: report_build_progress(pack_id=pack_id), name=f"agenda-pack-{pack_id}"
        ):
            report_build_progress(pack_id=pack_id, percent=1)
            build_pack_file(pack=pack, progress=progress)
    except BaseException as error:
        # BaseException too: a worker told to stop mid-render leaves no pack "building".
        logger.exception("Building agenda pack %s failed", pack_id)
        fail_pack_build(pack_id=pack_id, error=build_failure(error))
        raise
