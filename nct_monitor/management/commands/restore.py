"""`manage.py restore FILE.tar.gz --yes`: replace everything with a backup's contents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nct_monitor.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace every record and stored file with those of a backup made by `backup`. The "
        "database must be migrated to the same schema first. The backup must be signed with "
        "this installation's secret key; one made before backups were signed (format 2) is "
        "restored only with --allow-unsigned."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup (.tar.gz) to restore.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data is to be replaced."
        )
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help=(
                "Also restore a backup of the earlier, unsigned format 2, which nothing shows "
                "to be unaltered (it is still checked otherwise). It holds no admin log, so "
                "restoring it leaves the admin log empty."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            self.stderr.write(
                "Restoring replaces every record and stored file. Run again with --yes to do it."
            )
            sys.exit(1)
        try:
            summary = restore_backup(
                Path(options["file"]), allow_unsigned=options["allow_unsigned"]
            )
        except BackupError as error:
            self.stderr.write(f"{error} Nothing was restored.")
            sys.exit(1)
        self.stdout.write(
            f"Restored {summary.records} records and {summary.files} files from {summary.path}."
        )
