"""Building an agenda pack in the background, reporting progress for the meeting page."""

from __future__ import annotations

import logging

from django_tasks import task

from committee.choices import PackStatus
from committee.models import AgendaPack
from committee.services import build_pack_file

logger = logging.getLogger(__name__)


@task()
def build_agenda_pack(pack_id: int) -> None:
    pack = AgendaPack.objects.select_related("meeting__committee").get(pk=pack_id)

    def progress(percent: int) -> None:
        AgendaPack.objects.filter(pk=pack_id).update(progress=percent)

    try:
        build_pack_file(pack=pack, progress=progress)
    except Exception as error:
        logger.exception("Building agenda pack %s failed", pack_id)
        AgendaPack.objects.filter(pk=pack_id, status=PackStatus.BUILDING).update(
            status=PackStatus.FAILED, error=f"The pack could not be built ({type(error).__name__})."
        )
        raise
