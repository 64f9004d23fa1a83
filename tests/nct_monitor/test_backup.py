"""Backup and restore round-trip the database and the stored packs exactly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.signing import Signer

from committee.choices import PackStatus
from committee.models import AgendaPack
from nct_monitor.audit import save_with_history
from nct_monitor.backup import EXCLUDED, BackupError, create_backup, restore_backup
from nct_monitor.choices import PeriodStatus
from nct_monitor.models import FinancialYear, Period
from tests.factories import UserFactory

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


# Hardened restore: a backup is signed, holds only plain files inside the media folder, and
# keeps the audit trail.


def _signature(manifest: bytes) -> bytes:
    # The format's signature, from its definition: HMAC-SHA256 keyed from SECRET_KEY, with the
    # backups' own salt.
    return (
        Signer(salt="nct_monitor.backup", algorithm="sha256").signature(manifest.decode()).encode()
    )


def _member(name: str, content: bytes = b"", **attributes: object) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    for key, value in attributes.items():
        setattr(info, key, value)
    return info, content


def _entry(path: str, content: bytes) -> dict[str, object]:
    return {"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def _rewrite(
    source: Path,
    target: Path,
    edit: Callable[..., None],
    *,
    signature: Callable[[bytes], bytes] = _signature,
) -> Path:
    """The backup at `source`, with `edit(manifest, members)` applied, then signed again."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        members = [
            (member, archive.extractfile(member).read())
            for member in archive.getmembers()
            if member.name not in ("manifest.json", "manifest.sig")
        ]
    edit(manifest, members)
    manifest_bytes = json.dumps(manifest, indent=2).encode()
    with tarfile.open(target, "w:gz") as archive:
        extra = [
            _member("manifest.json", manifest_bytes),
            _member("manifest.sig", signature(manifest_bytes)),
        ]
        for member, content in [*members, *extra]:
            member.size = len(content) if member.isfile() else 0
            archive.addfile(member, io.BytesIO(content) if member.isfile() else None)
    return target


def _state(media: Path) -> tuple[list[str], dict[str, bytes]]:
    """Every record of every table, exactly, and every file of the media folder."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        format="xml",
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    files = {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return sorted(out.getvalue().split("<object ")[1:]), files


@pytest.fixture
def media(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def small_backup(db, tmp_path, media) -> Path:
    """A backup of one user and one pack; since it was made, a user and a file were added."""
    (media / "packs").mkdir(parents=True)
    (media / "packs" / "pack.pdf").write_bytes(b"%PDF-1.7 the pack")
    UserFactory(username="officer")
    path = create_backup(tmp_path / "nct.tar.gz").path
    UserFactory(username="added-since")
    (media / "packs" / "pack.pdf").write_bytes(b"%PDF-1.7 the pack, changed since")
    (media / "returns").mkdir()
    (media / "returns" / "p9.xlsx").write_bytes(b"a return uploaded since")
    return path


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the media folder, where a restore must never write."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def _absolute(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        target = str(outside / "evil.txt")
        members.append(_member(f"media/{target}", b"evil"))
        manifest["files"].append(_entry(target, b"evil"))

    return edit


def _up(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/../outside/evil.txt", b"evil"))
        manifest["files"].append(_entry("../outside/evil.txt", b"evil"))

    return edit


def _symbolic_link(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/returns", type=tarfile.SYMTYPE, linkname=str(outside)))

    return edit


def _hard_link(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/passwd", type=tarfile.LNKTYPE, linkname="/etc/passwd"))

    return edit


def _device(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3))

    return edit


def _not_listed(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/returns/unlisted.xlsx", b"not in the manifest"))

    return edit


def _twice(outside: Path) -> Callable[..., None]:
    def edit(manifest, members):
        members.append(_member("media/packs/pack.pdf", b"%PDF-1.7 the pack"))

    return edit


@pytest.mark.parametrize(
    ("craft", "refusal"),
    [
        (_absolute, r"holds the file '/.*/outside/evil\.txt', which is an absolute path"),
        (
            _up,
            r"'media/\.\./outside/evil\.txt' holds the file '\.\./outside/evil\.txt', "
            r"which goes up out of its folder",
        ),
        (_symbolic_link, r"'media/returns' is a symbolic link"),
        (_hard_link, r"'media/passwd' is a hard link"),
        (_device, r"'media/null' is a device"),
        (_not_listed, r"holds 'media/returns/unlisted\.xlsx', which its manifest does not list"),
        (_twice, r"holds 'media/packs/pack\.pdf' twice"),
    ],
    ids=[
        "absolute path",
        "dot-dot path",
        "symbolic link",
        "hard link",
        "device",
        "member not in the manifest",
        "duplicate member",
    ],
)
def test_a_backup_with_a_member_that_is_not_a_plain_listed_file_is_refused_and_nothing_changes(
    small_backup, tmp_path, media, outside, craft, refusal
):
    crafted = _rewrite(small_backup, tmp_path / "crafted.tar.gz", craft(outside))
    before = _state(media)

    with pytest.raises(BackupError, match=refusal):
        restore_backup(crafted)

    assert _state(media) == before
    assert list(outside.iterdir()) == []


def test_a_file_that_would_be_written_through_a_link_in_the_media_folder_is_refused(
    small_backup, tmp_path, media, outside
):
    # Someone has made the media folder's `exports` a link to a folder outside it.
    (media / "exports").symlink_to(outside, target_is_directory=True)

    def edit(manifest, members):
        members.append(_member("media/exports/evil.txt", b"evil"))
        manifest["files"].append(_entry("exports/evil.txt", b"evil"))

    crafted = _rewrite(small_backup, tmp_path / "crafted.tar.gz", edit)
    before = _state(media)

    with pytest.raises(BackupError, match=r"'exports/evil\.txt' would be written outside"):
        restore_backup(crafted)

    assert _state(media) == before
    assert list(outside.iterdir()) == []


def test_a_file_altered_with_its_checksum_recomputed_is_refused_and_nothing_changes(
    small_backup, tmp_path, media
):
    def edit(manifest, members):
        for index, (member, _content) in enumerate(members):
            if member.name == "media/packs/pack.pdf":
                members[index] = (member, b"%PDF-1.7 a forged pack")
        manifest["files"] = [_entry("packs/pack.pdf", b"%PDF-1.7 a forged pack")]

    with tarfile.open(small_backup, "r:gz") as archive:
        names = archive.getnames()
        signed = archive.extractfile("manifest.sig").read() if "manifest.sig" in names else b""
    # Without the secret key, the forger can only keep the old signature.
    tampered = _rewrite(
        small_backup, tmp_path / "tampered.tar.gz", edit, signature=lambda manifest: signed
    )
    before = _state(media)

    with pytest.raises(BackupError, match="signed with a different secret key, or altered"):
        restore_backup(tampered)

    assert _state(media) == before


def test_a_backup_signed_with_another_secret_key_is_refused_and_nothing_changes(
    db, tmp_path, media, settings
):
    UserFactory(username="officer")
    settings.SECRET_KEY = "the-secret-key-of-another-installation"
    backup = create_backup(tmp_path / "other.tar.gz").path
    settings.SECRET_KEY = "the-secret-key-of-this-installation"
    UserFactory(username="added-since")
    before = _state(media)

    with pytest.raises(BackupError, match="signed with a different secret key, or altered"):
        restore_backup(backup)

    assert _state(media) == before


def _audit_trail() -> dict[str, list[tuple[object, ...]]]:
    return {
        "admin log": sorted(
            (
                entry.action_time,
                entry.user.username,
                entry.content_type.natural_key() if entry.content_type else None,
                entry.object_id,
                entry.object_repr,
                entry.action_flag,
                entry.change_message,
            )
            for entry in LogEntry.objects.select_related("user", "content_type")
        ),
        "period history": sorted(
            (
                row.history_date,
                row.history_type,
                row.history_user.username if row.history_user else None,
                row.history_change_reason,
                row.status,
            )
            for row in Period.history.select_related("history_user")
        ),
        "sign-in log": sorted(
            (row.attempt_time, row.username, row.ip_address, row.path_info)
            for row in AccessLog.objects.all()
        ),
    }


def test_a_round_trip_keeps_the_admin_log_the_history_and_the_sign_in_log(db, tmp_path):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    year = FinancialYear.objects.create(start_year=2030)
    period = save_with_history(Period(year=year, number=1), user=admin, reason="Opened")
    period.status = PeriodStatus.SIGNED_OFF
    save_with_history(period, user=admin, reason="Signed off at the March meeting")
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Period),
        object_id=str(period.pk),
        object_repr=str(period),
        action_flag=CHANGE,
        change_message="Reopened for the corrected return",
    )
    # An account removed before another was made leaves a gap in the users' primary keys.
    UserFactory(username="leaver").delete()
    officer = UserFactory(username="officer")
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(officer),
        object_id=str(officer.pk),
        object_repr="officer",
        action_flag=CHANGE,
        change_message="Made an officer",
    )
    AccessLog.objects.create(username="admin", ip_address="192.0.2.1", path_info="/login/")
    before = _audit_trail()
    assert all(before.values())

    create_backup(tmp_path / "nct.tar.gz")
    call_command("flush", interactive=False, verbosity=0)
    restore_backup(tmp_path / "nct.tar.gz")

    assert _audit_trail() == before
    # The log entry about the officer still leads to the officer, not to whoever came next.
    entry = LogEntry.objects.get(change_message="Made an officer")
    assert entry.get_edited_object().username == "officer"


def _without_signature(source: Path, target: Path) -> Path:
    with tarfile.open(source, "r:gz") as archive, tarfile.open(target, "w:gz") as out:
        for member in archive.getmembers():
            if member.name != "manifest.sig":
                out.addfile(member, archive.extractfile(member))
    return target


def test_a_backup_without_its_signature_is_refused_and_nothing_changes(
    small_backup, tmp_path, media
):
    unsigned = _without_signature(small_backup, tmp_path / "unsigned.tar.gz")
    before = _state(media)

    with pytest.raises(BackupError, match=r"has no signature \(manifest\.sig\)"):
        restore_backup(unsigned)

    assert _state(media) == before


def _unsigned_format_2(manifest, members):
    manifest["format"] = 2


def test_an_unsigned_backup_of_the_earlier_format_is_restored_only_when_asked_to(
    small_backup, tmp_path, media
):
    old = _rewrite(small_backup, tmp_path / "format-2.tar.gz", _unsigned_format_2)
    # Format 2 had no signature at all.
    _without_signature(old, tmp_path / "old.tar.gz")
    before = _state(media)

    with pytest.raises(BackupError, match=r"format 2.*not signed.*--allow-unsigned"):
        restore_backup(tmp_path / "old.tar.gz")
    assert _state(media) == before

    call_command(
        "restore", str(tmp_path / "old.tar.gz"), "--yes", "--allow-unsigned", stdout=io.StringIO()
    )
    records, files = _state(media)
    assert files["packs/pack.pdf"] == b"%PDF-1.7 the pack"
    assert not any("added-since" in record for record in records)
