"""Backing up and restoring everything NCT Monitor holds: the database and the stored files.

A backup is one .tar.gz holding `data.xml` (every record, with natural keys, as Django's XML
serialiser writes it: unlike its JSON one, it keeps timestamps to the microsecond), every file
under the media root (published packs, uploaded returns) and `manifest.json` listing each file
with its size and SHA-256. Restoring checks the manifest before it touches anything, then loads
the records into an empty database and puts the files back. It works the same on SQLite and
PostgreSQL; on PostgreSQL `pg_dump` is a good second line.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# Rebuilt by migrate, or not worth keeping: what is left out of the data.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_db",
)
FORMAT_VERSION = 2


class BackupError(Exception):
    """A backup that cannot be read or restored, and why."""


@dataclass
class BackupSummary:
    path: Path
    records: int
    files: int


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _models_to_dump() -> list[str]:
    labels = []
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__.lower()}"
        if model._meta.app_label in EXCLUDED or label in EXCLUDED or not model._meta.managed:
            continue
        labels.append(label)
    return labels


def create_backup(path: Path) -> BackupSummary:
    """Write a backup of the database and the media files to `path` (.tar.gz)."""
    output = io.StringIO()
    call_command(
        "dumpdata",
        *_models_to_dump(),
        natural_foreign=True,
        natural_primary=True,
        format="xml",
        stdout=output,
    )
    data = output.getvalue().encode()
    records = data.count(b"<object ")
    media = _media_root()
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.now(tz=UTC).isoformat(),
        "database": connection.vendor,
        "records": records,
        "data_sha256": _sha256(data),
        "files": [],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, "data.xml", data)
        for file in files:
            content = file.read_bytes()
            relative = file.relative_to(media).as_posix()
            _add(archive, f"media/{relative}", content)
            manifest["files"].append(  # type: ignore[attr-defined]
                {"path": relative, "size": len(content), "sha256": _sha256(content)}
            )
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    return BackupSummary(path=path, records=records, files=len(files))


def _read(path: Path) -> tuple[dict, bytes, dict[str, bytes]]:  # type: ignore[type-arg]
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a backup made by NCT Monitor ({error}).") from None
    with archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        if "manifest.json" not in members or "data.xml" not in members:
            raise BackupError(f"{path} has no manifest or no data: it is not a whole backup.")

        def read(name: str) -> bytes:
            handle = archive.extractfile(members[name])
            assert handle is not None
            return handle.read()

        manifest = json.loads(read("manifest.json"))
        data = read("data.xml")
        files = {}
        for entry in manifest["files"]:
            name = f"media/{entry['path']}"
            if name not in members or ".." in Path(entry["path"]).parts:
                raise BackupError(f"The backup lists {entry['path']} but does not hold it.")
            files[entry["path"]] = read(name)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"The backup's format {manifest.get('format')} is not {FORMAT_VERSION}.")
    if _sha256(data) != manifest["data_sha256"]:
        raise BackupError("The backup's data does not match its manifest: it is damaged.")
    for entry in manifest["files"]:
        if _sha256(files[entry["path"]]) != entry["sha256"]:
            raise BackupError(
                f"{entry['path']} does not match its checksum: the backup is damaged."
            )
    return manifest, data, files


def restore_backup(path: Path) -> BackupSummary:
    """Replace the database's records and the media files with those of the backup at `path`.

    The backup is checked whole before anything changes; the records are loaded in one
    transaction, so a failure leaves the database as it was.
    """
    manifest, data, files = _read(path)
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
        objects = list(
            serializers.deserialize("xml", io.BytesIO(data), handle_forward_references=True)
        )
        for item in objects:
            # The history rows come from the backup; restoring must not add more of them.
            item.object.skip_history_when_saving = True  # type: ignore[attr-defined]
            item.save()
        for item in objects:
            if item.deferred_fields:
                item.save_deferred_fields()
    media = _media_root()
    for relative, content in files.items():
        target = media / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    # Sequences on PostgreSQL must move past the restored primary keys, and nothing cached from
    # the records that were replaced may be shown again.
    _reset_sequences()
    cache.clear()
    return BackupSummary(path=path, records=manifest["records"], files=len(files))


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
