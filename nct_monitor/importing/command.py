"""The management command every importer's `import_…` command is."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from nct_monitor.importing.issues import ImportRefused
from nct_monitor.importing.registry import Importer
from nct_monitor.importing.run import apply_return, check_return


class ImportCommand(BaseCommand):
    """`manage.py import_… FILE [--dry-run]`: errors to stderr and exit 1, or what changed."""

    importer: Importer

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx return (the first sheet is read).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )

    def import_params(self, options: dict[str, Any]) -> dict[str, Any]:
        """The importer's parameters from the command's options (e.g. year and period)."""
        return {}

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            self.stderr.write(f"{path}: cannot read the file ({error.strerror}).")
            sys.exit(1)
        try:
            params = self.import_params(options)
            if options["dry_run"]:
                plan = check_return(self.importer, data, filename=path.name, params=params)
            else:
                plan = apply_return(
                    self.importer, data, filename=path.name, params=params, user=None
                )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            self.stderr.write("Nothing was imported.")
            sys.exit(1)
        except ImportRefused as refused:
            for issue in refused.issues:
                self.stderr.write(str(issue))
            count = len(refused.issues)
            self.stderr.write(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            )
            sys.exit(1)
        for line in plan.lines():
            self.stdout.write(line)
        for note in plan.notes:
            self.stdout.write(note)
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run, nothing written: {len(plan.created)} would be created, "
                f"{len(plan.changed)} changed, {len(plan.unchanged)} unchanged."
            )
        else:
            self.stdout.write(
                f"Imported {path.name}: {len(plan.created)} created, {len(plan.changed)} "
                f"changed, {len(plan.unchanged)} unchanged."
            )
