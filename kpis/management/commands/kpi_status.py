"""`manage.py kpi_status --year 2024/25 --period 6 --json`: every KPI's status as at a period."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.exports import kpi_status
from nct_monitor.models import Period
from nct_monitor.selectors import get_period


class Command(BaseCommand):
    help = "Every KPI's value, target, rating, direction and persistent breach as at a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2024/25.")
        parser.add_argument("--period", required=True, help="The period, 1 (April) to 12.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = get_period(options["year"], options["period"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except Period.DoesNotExist:
            raise CommandError(
                f"{options['year']} has no period {options['period']} set up."
            ) from None
        status = kpi_status(period)
        if options["json"]:
            self.stdout.write(json.dumps(status, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"KPIs as at {status['period']}")
        for kpi in status["kpis"]:
            breach = (
                " PERSISTENT BREACH " + ", ".join(kpi["breach_periods"])
                if kpi["persistent_breach"]
                else ""
            )
            self.stdout.write(
                f"{kpi['code']:<7} {kpi['as_of']:<11} value {kpi['value'] or '-':>7} "
                f"target {kpi['target'] or '-':>7} {kpi['rating']:<9} "
                f"{kpi['direction'] or '':<9}{breach}"
            )
