"""`manage.py risk_summary [--period 2024/25:6] --json`: the register, heatmap and bands."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_period
from risks import selectors
from risks.matrix import bands


class Command(BaseCommand):
    help = (
        "Print the risk register's summary: every risk with its scores, band, movement and "
        "review status, the heatmap of open risks by current score, and open risks per band. "
        "Without --period it is today's position."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", help="As at the end of this period, written 2024/25:6 or '2024/25 P6'."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON (the stable form).")

    def handle(self, *args: Any, **options: Any) -> None:
        period = None
        if options["period"]:
            try:
                ref = PeriodRef.parse(options["period"])
                period = get_period(ref.start_year, ref.number)
            except ValueError as error:
                self.stderr.write(str(error))
                sys.exit(1)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                sys.exit(1)
        data = selectors.summary(as_at=period)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Risk register as at {data['as_at']}")
        for risk in data["risks"]:
            flag = "  review overdue" if risk["review_overdue"] else ""
            self.stdout.write(
                f"{risk['ref']:<8} {risk['status']:<11} initial {risk['initial_score']:>2}  "
                f"current {risk['current_score']:>2} ({risk['band']}, {risk['movement']})  "
                f"target {risk['target_score']:>2}  {risk['title']}{flag}"
            )
        names = {band.key: band.name for band in bands()}
        counts = ", ".join(f"{names[key]} {count}" for key, count in data["bands"].items())
        self.stdout.write(f"Open risks by current band: {counts}")
