"""Backup and restore round-trip the database and the stored packs exactly."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command

from committee.choices import PackStatus
from committee.models import AgendaPack
from nct_monitor.backup import EXCLUDED, BackupError, create_backup, restore_backup
from nct_monitor.models import Period

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED and model._meta.label_lower not in EXCLUDED
    }


def _snapshot() -> list[str]:
    """Every record of the product's apps, exactly (the XML keeps microseconds), in order."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        "savings",
        "kpis",
        "risks",
        "contracts",
        "committee",
        "nct_monitor",
        format="xml",
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    return sorted(out.getvalue().split("<object ")[1:])


@pytest.fixture
def published_pack(db):
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", password="a-long-test-password", verbosity=0, stdout=quiet)
    # The demo publishes the March 2024 public pack.
    return AgendaPack.objects.get(
        meeting__date="2024-03-06", variant="public", status=PackStatus.PUBLISHED
    )


def test_a_backup_restores_every_record_and_the_published_pack_unchanged(published_pack, tmp_path):
    before_counts, before_data = _counts(), _snapshot()
    with published_pack.file.open("rb") as handle:
        pack_bytes = handle.read()

    backup = create_backup(tmp_path / "nct.tar.gz")
    assert backup.files >= 1

    # Lose everything: records and files.
    call_command("flush", interactive=False, verbosity=0)
    published_pack.file.storage.delete(published_pack.file.name)
    assert not Period.objects.exists()

    restore_backup(tmp_path / "nct.tar.gz")

    assert _counts() == before_counts
    after_data = _snapshot()
    assert after_data == before_data
    restored = AgendaPack.objects.get(status="published")
    with restored.file.open("rb") as handle:
        restored_bytes = handle.read()
    assert restored_bytes == pack_bytes
    assert hashlib.sha256(restored_bytes).hexdigest() == restored.sha256


def test_a_damaged_backup_is_refused_and_nothing_changes(published_pack, tmp_path):
    backup = create_backup(tmp_path / "nct.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(backup.path, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "data.xml":
                content = content.replace(b"Circle to Success", b"Circle to Failure", 1)
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    before = _counts()
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore_backup(damaged)
    assert _counts() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    path = tmp_path / "not-a-backup.tar.gz"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(BackupError, match="is not a backup"):
        restore_backup(path)
