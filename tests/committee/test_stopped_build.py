"""A pack build whose worker dies is seen as failed within minutes, and can be discarded or
built again; a build that is still running is left to finish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.choices import PackStatus
from committee.models import AgendaPack
from committee.tasks import build_agenda_pack
from tests.committee.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(contract):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies for non-attendance")
    return meeting


@pytest.fixture
def stale(settings):
    settings.NCT_WORK_STALE_SECONDS = 180
    return timedelta(seconds=180)


def building(meeting, clerk, *, silent_for: timedelta) -> AgendaPack:
    """A pack marked building whose worker was last heard from `silent_for` ago."""
    pack = services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    AgendaPack.objects.filter(pk=pack.pk).update(
        progress=74, heartbeat_at=timezone.now() - silent_for
    )
    return AgendaPack.objects.get(pk=pack.pk)


def panel(client, meeting) -> str:
    return client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()


def test_a_build_heard_from_recently_is_still_running(meeting, clerk, stale):
    pack = building(meeting, clerk, silent_for=stale - timedelta(seconds=5))

    assert pack.build_stopped() == ""
    with pytest.raises(ValidationError, match="already being built"):
        services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    with pytest.raises(ValidationError, match="still being built"):
        services.discard_pack(pack=pack, user=clerk)


def test_a_silent_build_is_shown_failed_with_build_again_and_discard(
    meeting, clerk, clerk_client, stale
):
    pack = building(meeting, clerk, silent_for=stale + timedelta(seconds=5))

    assert pack.build_stopped().startswith(
        "The build stopped without finishing: nothing has been heard from it since "
    )
    html = panel(clerk_client, meeting)
    assert "Building: 74%" not in html
    assert "Failed" in html
    assert "nothing has been heard from it since" in html
    assert "Discard this version or build the pack again." in html
    assert reverse("committee:pack_discard", args=[pack.pk]) in html
    # The panel stops polling once nothing is running.
    assert 'hx-trigger="load delay:1s"' not in html


def test_a_stopped_build_is_discarded(meeting, clerk, clerk_client, stale):
    pack = building(meeting, clerk, silent_for=stale * 2)

    clerk_client.post(reverse("committee:pack_discard", args=[pack.pk]))

    assert not AgendaPack.objects.filter(pk=pack.pk).exists()


def test_building_again_marks_the_stopped_build_failed_and_makes_a_new_version(
    meeting, clerk, clerk_client, stale
):
    pack = building(meeting, clerk, silent_for=stale * 2)

    clerk_client.post(reverse("committee:pack_build", args=[meeting.pk]), {"variant": "public"})

    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert pack.error.startswith("The build stopped without finishing")
    assert not pack.file
    new = AgendaPack.objects.exclude(pk=pack.pk).get()
    assert (new.version, new.status) == (2, PackStatus.BUILT)


def test_a_build_that_dies_mid_render_keeps_no_file_and_is_failed(meeting, clerk, monkeypatch):
    pack = services.start_pack_build(meeting=meeting, variant="public", user=clerk)

    def killed(**kwargs):
        raise KeyboardInterrupt  # the worker told to stop while it lays the pack out

    monkeypatch.setattr("committee.tasks.build_pack_file", killed)
    with pytest.raises(KeyboardInterrupt):
        build_agenda_pack.call(pack.pk)

    pack.refresh_from_db()
    assert pack.status == PackStatus.FAILED
    assert pack.error.startswith("The pack could not be built (KeyboardInterrupt).")
    assert not pack.file
    assert pack.sha256 == ""


def test_a_build_for_a_discarded_pack_does_nothing(meeting, clerk):
    pack = services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    pk = pack.pk
    AgendaPack.objects.filter(pk=pk).delete()

    build_agenda_pack.call(pk)

    assert not AgendaPack.objects.exists()
