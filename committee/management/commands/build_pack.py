"""`manage.py build_pack --meeting 2024-03-06 [--exempt] -o FILE.pdf`"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from committee.choices import PackStatus, PackVariant
from committee.models import AgendaPack, Meeting
from committee.packs import pack_html, render_pdf
from committee.selectors import PackFileUnavailable, stored_pack_pdf


class Command(BaseCommand):
    help = (
        "Write a meeting's agenda pack as PDF. A published pack is frozen, so its stored file is "
        "written unchanged; otherwise the pack is rendered from the current data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, help="The meeting's date, YYYY-MM-DD.")
        parser.add_argument("--committee", help="The committee's name, if several meet that day.")
        parser.add_argument(
            "--exempt", action="store_true", help="The restricted pack, with the exempt items."
        )
        parser.add_argument("-o", "--output", required=True, help="Where to write the PDF.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["meeting"])
        except ValueError:
            self.stderr.write(f"--meeting {options['meeting']!r} is not a date: write YYYY-MM-DD.")
            sys.exit(1)
        meetings = Meeting.objects.filter(date=day).select_related("committee")
        if options["committee"]:
            meetings = meetings.filter(committee__name__iexact=options["committee"])
        found = list(meetings)
        if not found:
            self.stderr.write(f"There is no meeting on {day:%-d %B %Y}.")
            sys.exit(1)
        if len(found) > 1:
            names = ", ".join(m.committee.name for m in found)
            self.stderr.write(
                f"Several committees meet on {day:%-d %B %Y} ({names}): add --committee."
            )
            sys.exit(1)
        meeting = found[0]
        variant = PackVariant.EXEMPT if options["exempt"] else PackVariant.PUBLIC
        published = AgendaPack.objects.filter(
            meeting=meeting, variant=variant, status=PackStatus.PUBLISHED
        ).first()
        output = Path(options["output"])
        if published is not None:
            try:
                pdf = stored_pack_pdf(published)
            except PackFileUnavailable as problem:
                self.stderr.write(str(problem))
                sys.exit(1)
            output.write_bytes(pdf)
            self.stdout.write(
                f"Wrote the published {variant} pack (version {published.version}, "
                f"{published.page_count} pages, SHA-256 {published.sha256}) to {output}."
            )
            return
        pdf, pages = render_pdf(pack_html(meeting, exempt=options["exempt"]))
        output.write_bytes(pdf)
        self.stdout.write(f"Wrote the {variant} pack for {meeting} ({pages} pages) to {output}.")
