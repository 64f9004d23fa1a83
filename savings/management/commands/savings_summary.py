"""`manage.py savings_summary --year 2023/24 --period 9 [--json]`"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from nct_monitor.models import Period
from nct_monitor.selectors import get_period
from savings.figures import Figures
from savings.rules import FIGURE_LABELS, thousands_text
from savings.selectors import savings_summary

NAMES = ("target", "red", "amber", "green", "mitigations", "shortfall")


class Command(BaseCommand):
    help = "Print a period's savings summary: totals, groups, lines, council shares, movement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2023/24.")
        parser.add_argument("--period", required=True, help="The period, 1 to 12.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = get_period(options["year"], options["period"])
        except (ValidationError, Period.DoesNotExist) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in messages:
                self.stderr.write(message)
            sys.exit(1)
        summary = savings_summary(period)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Savings {period.label} ({period.month_label}), £'000")
        header = f"{'':50}" + "".join(f"{FIGURE_LABELS[name]:>13}" for name in NAMES)
        self.stdout.write(header)
        for group in summary.groups:
            for item in group.lines:
                self.stdout.write(self._row(f"  {item.line.title}"[:50], item.figures))
            self.stdout.write(self._row(f"TOTAL {group.name}"[:50], group.figures))
        self.stdout.write(self._row("TOTAL SAVINGS", summary.totals))
        shares = ", ".join(
            f"{council} £{amount:,.2f}" for council, amount in summary.shortfall_shares.items()
        )
        if shares:
            self.stdout.write(f"Shortfall shares: {shares}")
        if summary.movement is not None and summary.previous_period is not None:
            self.stdout.write(
                self._row(f"Change since {summary.previous_period.label}", summary.movement)
            )

    @staticmethod
    def _row(label: str, figures: Figures) -> str:
        return f"{label:50}" + "".join(
            f"{thousands_text(getattr(figures, name)):>13}" for name in NAMES
        )
