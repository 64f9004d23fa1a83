from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command

from committee import services
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(contract, clerk):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number=1, subject="Apologies")
    AgendaItemFactory(meeting=meeting, number=2, subject="Savings", report=ReportFactory())
    pack = services.start_pack_build(meeting=meeting, variant="public", user=clerk)
    pack = services.build_pack_file(pack=pack)
    return services.publish_pack(pack=pack, user=clerk)


def test_build_pack_writes_the_published_file_byte_for_byte(published, tmp_path):
    output = tmp_path / "pack.pdf"

    call_command("build_pack", meeting="2024-03-06", output=str(output), stdout=io.StringIO())

    assert hashlib.sha256(output.read_bytes()).hexdigest() == published.sha256


def test_build_pack_refuses_a_published_file_that_no_longer_matches_its_hash(published, tmp_path):
    with published.file.storage.open(published.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 altered")
    output = tmp_path / "pack.pdf"
    errors = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("build_pack", meeting="2024-03-06", output=str(output), stderr=errors)

    assert exit_.value.code == 1
    assert "does not match the SHA-256" in errors.getvalue()
    assert not output.exists()
