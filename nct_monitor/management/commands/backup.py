"""`manage.py backup -o FILE.tar.gz`: the database and the stored files, in one signed archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nct_monitor.backup import create_backup


class Command(BaseCommand):
    help = (
        "Back up every record (the audit trail included) and every stored file (packs, "
        "uploads) to one .tar.gz, signed with the secret key: only an installation with the "
        "same DJANGO_SECRET_KEY restores it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="The .tar.gz to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = create_backup(Path(options["output"]))
        self.stdout.write(
            f"Backed up {summary.records} records and {summary.files} files to {summary.path}."
        )
