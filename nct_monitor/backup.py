"""Backing up and restoring everything NCT Monitor holds: the database and the stored files.

A backup (format 3) is one .tar.gz holding exactly these regular files:

- `data.xml`: every record, with natural keys, as Django's XML serialiser writes it (unlike its
  JSON one, it keeps timestamps to the microsecond). The audit trail comes with it: the history
  tables, the admin log (its content types and users by natural key) and the sign-in log.
  Users keep their primary keys, by which the admin log names a changed user.
- `media/<path>`: every file under the media root (published packs, uploaded returns).
- `manifest.json`: the format, the number of records, the SHA-256 of `data.xml` and each file's
  path, size and SHA-256.
- `manifest.sig`: an HMAC-SHA256 of `manifest.json`, keyed from `SECRET_KEY` with a salt of its
  own (`django.core.signing`), so a backup altered after it was made, checksums and all, or one
  made by another installation, is refused.

Restoring checks the whole backup before it touches anything: that every member is a regular
file (or folder, never a link or a device) with a plain relative path, named once; the signature;
that the manifest lists every member and the archive holds every file listed; that each file
would land inside the media folder, even through a link already there; then every size and
checksum. Only then does it load the records into an empty database, in one transaction, inside
which the files are written beside their places under temporary names; they are renamed into
place once the records are committed. It works the same on SQLite and PostgreSQL; on PostgreSQL
`pg_dump` is a good second line. A backup of format 2 (unsigned, from before) is restored only
when asked to with `allow_unsigned`, and is checked the same way otherwise.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import xml_serializer
from django.core.serializers.base import DeserializationError
from django.core.signing import BadSignature, Signer
from django.db import DatabaseError, connection, models, transaction

# Rebuilt by migrate, or not worth keeping: what is left out of the data. The content types stay
# in (matched by natural key on restore), so the admin log keeps those of models since removed;
# of django-axes only the lockout counters are left out, its sign-in logs are audit.
EXCLUDED = (
    "auth.permission",
    "sessions",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "django_tasks_database",
)
FORMAT_VERSION = 3
# The last format without a signature, restored only when asked to.
UNSIGNED_FORMAT = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA = "data.xml"
MEDIA = "media"
# Salt of the backups' HMAC, so that no other signed value of the product can pass for one.
SIGNING_SALT = "nct_monitor.backup"

_SHA256 = re.compile(r"[0-9a-f]{64}")


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


def _signer() -> Signer:
    return Signer(salt=SIGNING_SALT, algorithm="sha256")


def sign_manifest(manifest: bytes) -> bytes:
    """The signature of a backup's manifest, with this installation's secret key."""
    return _signer().signature(manifest.decode()).encode()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _models_to_dump() -> list[type[models.Model]]:
    dumped = []
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__.lower()}"
        if model._meta.app_label in EXCLUDED or label in EXCLUDED or not model._meta.managed:
            continue
        dumped.append(model)
    # As dumpdata orders them: a record named by natural key comes before those that name it.
    return serializers.sort_dependencies([(None, dumped)], allow_cycles=True)


class _RecordSerializer(xml_serializer.Serializer):
    """Django's XML serialiser, with natural keys, except that users keep their primary keys.

    Groups and content types, which migrate recreates, are matched by natural key; a user's
    primary key stays what it was because the admin log names a changed user by it
    (`object_id`), and restoring into an empty table would otherwise renumber the users.
    """

    def start_object(self, obj: models.Model) -> None:
        self.use_natural_primary_keys = not isinstance(obj, get_user_model())
        super().start_object(obj)


def _dump_records() -> bytes:
    records = (
        record
        for model in _models_to_dump()
        for record in model._default_manager.order_by(model._meta.pk.name).iterator()
    )
    output = io.StringIO()
    _RecordSerializer().serialize(
        records, stream=output, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    return output.getvalue().encode()


def create_backup(path: Path) -> BackupSummary:
    """Write a signed backup of the database and the media files to `path` (.tar.gz)."""
    data = _dump_records()
    records = data.count(b"<object ")
    media = _media_root()
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    entries = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, DATA, data)
        for file in files:
            content = file.read_bytes()
            relative = file.relative_to(media).as_posix()
            _add(archive, f"{MEDIA}/{relative}", content)
            entries.append({"path": relative, "size": len(content), "sha256": _sha256(content)})
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(tz=UTC).isoformat(),
            "database": connection.vendor,
            "records": records,
            "data_sha256": _sha256(data),
            "files": entries,
        }
        manifest_bytes = json.dumps(manifest, indent=2).encode()
        _add(archive, MANIFEST, manifest_bytes)
        _add(archive, SIGNATURE, sign_manifest(manifest_bytes))
    return BackupSummary(path=path, records=records, files=len(files))


def _member_kind(member: tarfile.TarInfo) -> str | None:
    """What a member is, when it is something a backup never holds."""
    if member.issym():
        return "a symbolic link"
    if member.islnk():
        return "a hard link"
    if member.ischr() or member.isblk():
        return "a device"
    if member.isfifo():
        return "a pipe"
    if not (member.isfile() or member.isdir()):
        return "not a regular file"
    return None


def _plain_path_problem(name: str) -> str | None:
    """Why `name` is not a plain relative path (a/b/c), or None when it is one."""
    if not name:
        return "is empty"
    if "\x00" in name or "\\" in name:
        return "holds a character a path in a backup never holds"
    pure = PurePosixPath(name)
    if pure.is_absolute():
        return "is an absolute path"
    if ".." in pure.parts:
        return "goes up out of its folder (..)"
    if pure.as_posix() != name or "." in name.split("/"):
        return "is not a plain relative path"
    return None


def _check_members(members: list[tarfile.TarInfo]) -> dict[str, tarfile.TarInfo]:
    """The archive's members by name, once each is known to be a plain file or folder."""
    by_name: dict[str, tarfile.TarInfo] = {}
    for member in members:
        name = member.name
        kind = _member_kind(member)
        if kind:
            raise BackupError(f"The backup's member {name!r} is {kind}: a backup holds none.")
        if name.startswith(f"{MEDIA}/"):
            relative = name[len(MEDIA) + 1 :]
            problem = _plain_path_problem(relative)
            if problem:
                raise BackupError(
                    f"The backup's member {name!r} holds the file {relative!r}, which {problem}."
                )
        problem = _plain_path_problem(name)
        if problem:
            raise BackupError(f"The backup's member {name!r} {problem}.")
        try:
            # The standard library's own rules for extracting untrusted archives, as a second
            # line behind the checks above.
            tarfile.data_filter(member, str(_media_root()))
        except tarfile.FilterError as error:
            raise BackupError(f"The backup's member {name!r} is refused: {error}.") from None
        if name in by_name:
            raise BackupError(f"The backup holds {name!r} twice.")
        by_name[name] = member
    return by_name


def _check_signature(
    manifest_bytes: bytes, members: dict[str, tarfile.TarInfo], read: Callable[[str], bytes]
) -> None:
    if SIGNATURE not in members:
        raise BackupError(
            f"The backup has no signature ({SIGNATURE}): it was not made by NCT Monitor, "
            "or it was altered."
        )
    try:
        signature = read(SIGNATURE).decode("ascii").strip()
        _signer().unsign(f"{manifest_bytes.decode()}{_signer().sep}{signature}")
    except (BadSignature, UnicodeDecodeError):
        raise BackupError(
            "The backup's signature does not match its manifest: it was signed with a "
            "different secret key, or altered."
        ) from None


def _check_format(manifest: dict[str, Any], *, allow_unsigned: bool) -> bool:
    """Whether the backup must be signed; refuse a format this version does not restore."""
    found = manifest.get("format")
    if found == FORMAT_VERSION:
        return True
    if found == UNSIGNED_FORMAT:
        if allow_unsigned:
            return False
        raise BackupError(
            f"The backup is of format {UNSIGNED_FORMAT}, made by an earlier version of NCT "
            "Monitor, and is not signed, so nothing shows it was not altered. Restore it only "
            "if you know where it has been, with --allow-unsigned."
        )
    raise BackupError(f"The backup's format {found!r} is not {FORMAT_VERSION}.")


def _check_manifest(manifest: Any) -> list[dict[str, Any]]:
    """The manifest's file entries, once the manifest is known to have the expected shape."""
    if not isinstance(manifest, dict):
        raise BackupError(f"The backup's {MANIFEST} is not a manifest.")
    if not isinstance(manifest.get("records"), int):
        raise BackupError(f"The backup's {MANIFEST} has no number of records.")
    if not (
        isinstance(manifest.get("data_sha256"), str) and _SHA256.fullmatch(manifest["data_sha256"])
    ):
        raise BackupError(f"The backup's {MANIFEST} has no checksum of {DATA}.")
    entries = manifest.get("files")
    if not isinstance(entries, list):
        raise BackupError(f"The backup's {MANIFEST} has no list of files.")
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
            and _SHA256.fullmatch(entry["sha256"])
        ):
            raise BackupError(
                f"File {number} of the backup's {MANIFEST} does not have a path, a size and a "
                "SHA-256."
            )
    return entries


def _check_media_paths(entries: list[dict[str, Any]]) -> None:
    """Refuse any listed file that would not land as a plain file inside the media folder."""
    media = _media_root()
    root = media.resolve()
    paths: set[str] = set()
    for entry in entries:
        relative = entry["path"]
        problem = _plain_path_problem(relative)
        if problem:
            raise BackupError(f"The backup lists the file {relative!r}, which {problem}.")
        if relative in paths:
            raise BackupError(f"The backup lists the file {relative!r} twice.")
        paths.add(relative)
        target = media / relative
        # resolve() follows any link already in the media folder on the way to the file.
        if not target.resolve().is_relative_to(root):
            raise BackupError(
                f"The backup's file {relative!r} would be written outside the media folder "
                f"{media}: a link in the media folder leads elsewhere."
            )
        if target.is_dir():
            raise BackupError(
                f"The backup's file {relative!r} is a folder in the media folder {media}."
            )
        for parent in PurePosixPath(relative).parents:
            if str(parent) != "." and (media / parent).exists() and not (media / parent).is_dir():
                raise BackupError(
                    f"The backup's file {relative!r} needs a folder {parent.as_posix()!r}, "
                    f"which is a file in the media folder {media}."
                )
    for relative in paths:
        for parent in PurePosixPath(relative).parents:
            if parent.as_posix() in paths:
                raise BackupError(
                    f"The backup lists {parent.as_posix()!r} as a file and as the folder of "
                    f"{relative!r}."
                )


def _check_listed(
    members: dict[str, tarfile.TarInfo], entries: list[dict[str, Any]], *, signed: bool
) -> None:
    """Refuse a member the manifest does not list, and a listed file the archive lacks."""
    files = {f"{MEDIA}/{entry['path']}": entry for entry in entries}
    folders = {MEDIA} | {
        f"{MEDIA}/{parent.as_posix()}"
        for entry in entries
        for parent in PurePosixPath(entry["path"]).parents
        if str(parent) != "."
    }
    own = {MANIFEST, DATA} | ({SIGNATURE} if signed else set())
    for name, member in members.items():
        listed = name in folders if member.isdir() else name in own or name in files
        if not listed:
            raise BackupError(f"The backup holds {name!r}, which its manifest does not list.")
    for name, entry in files.items():
        held = members.get(name)
        if held is None or not held.isfile():
            raise BackupError(f"The backup lists {entry['path']!r} but does not hold it.")
        if held.size != entry["size"]:
            raise BackupError(
                f"{entry['path']!r} is not the size its manifest says: the backup is damaged."
            )


def _read(
    path: Path, *, allow_unsigned: bool = False
) -> tuple[dict[str, Any], bytes, dict[str, bytes]]:
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a backup made by NCT Monitor ({error}).") from None
    with archive:
        try:
            members = _check_members(archive.getmembers())
        except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
            raise BackupError(f"{path} is damaged and cannot be read ({error}).") from None
        if MANIFEST not in members or DATA not in members:
            raise BackupError(f"{path} has no manifest or no data: it is not a whole backup.")

        def read(name: str) -> bytes:
            member = members[name]
            if not member.isfile():
                raise BackupError(f"The backup's {name!r} is not a file.")
            handle = archive.extractfile(member)
            assert handle is not None  # a regular file always has content to read
            try:
                return handle.read()
            except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
                raise BackupError(
                    f"{path} is damaged: {name!r} cannot be read ({error})."
                ) from None

        manifest_bytes = read(MANIFEST)
        try:
            manifest = json.loads(manifest_bytes)
        except ValueError:
            raise BackupError(
                f"The backup's {MANIFEST} is not JSON: the backup is damaged."
            ) from None
        if not isinstance(manifest, dict):
            raise BackupError(f"The backup's {MANIFEST} is not a manifest.")
        signed = _check_format(manifest, allow_unsigned=allow_unsigned)
        if signed:
            _check_signature(manifest_bytes, members, read)
        entries = _check_manifest(manifest)
        _check_media_paths(entries)
        _check_listed(members, entries, signed=signed)
        data = read(DATA)
        files = {entry["path"]: read(f"{MEDIA}/{entry['path']}") for entry in entries}
    if _sha256(data) != manifest["data_sha256"]:
        raise BackupError("The backup's data does not match its manifest: it is damaged.")
    for entry in entries:
        if _sha256(files[entry["path"]]) != entry["sha256"]:
            raise BackupError(
                f"{entry['path']} does not match its checksum: the backup is damaged."
            )
    return manifest, data, files


def _stage_files(files: dict[str, bytes]) -> list[tuple[Path, Path]]:
    """Write each file beside its place under a temporary name: (temporary, final) pairs."""
    media = _media_root()
    mode = settings.FILE_UPLOAD_PERMISSIONS or 0o644
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, content in files.items():
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restoring-")
            staged.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.chmod(temporary, mode)
    except OSError as error:
        _discard(staged)
        raise BackupError(
            f"The files cannot be written to the media folder {media} ({error})."
        ) from None
    return staged


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def restore_backup(path: Path, *, allow_unsigned: bool = False) -> BackupSummary:
    """Replace the database's records and the media files with those of the backup at `path`.

    The backup is checked whole before anything changes (see the module's docstring); a backup
    of the unsigned format 2 is refused unless `allow_unsigned`. The records are loaded in one
    transaction and the files written under temporary names inside it, so a failure leaves the
    database and the media folder as they were.
    """
    manifest, data, files = _read(path, allow_unsigned=allow_unsigned)
    staged: list[tuple[Path, Path]] = []
    try:
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            # Each record is saved before the next is read, as loaddata does, so that a natural
            # key (the user of an admin log entry) finds the record it names.
            deferred = []
            for item in serializers.deserialize(
                "xml", io.BytesIO(data), handle_forward_references=True
            ):
                # The history rows come from the backup; restoring must not add more of them.
                item.object.skip_history_when_saving = True  # type: ignore[attr-defined]
                item.save()
                if item.deferred_fields:
                    deferred.append(item)
            for item in deferred:
                item.save_deferred_fields()
            # Sequences on PostgreSQL must move past the restored primary keys.
            _reset_sequences()
            staged = _stage_files(files)
    except (DeserializationError, DatabaseError, ObjectDoesNotExist) as error:
        _discard(staged)
        raise BackupError(
            f"The backup's records cannot be loaded into this database ({error}); it must be "
            "migrated to the version of NCT Monitor that made the backup."
        ) from None
    except BaseException:
        _discard(staged)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    # Nothing cached from the records that were replaced may be shown again.
    ContentType.objects.clear_cache()
    cache.clear()
    return BackupSummary(path=path, records=manifest["records"], files=len(files))


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
