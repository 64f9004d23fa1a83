"""Load the demo data and one user per role. Safe to run again: it changes only what differs."""

from __future__ import annotations

import inspect
import json
import secrets
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nct_monitor.choices import PeriodStatus
from nct_monitor.models import Correction, Period, Publication
from nct_monitor.periods import PeriodRef
from nct_monitor.product import product_labels
from nct_monitor.records import period_figures, record_publication
from nct_monitor.roles import ADMINISTRATOR, CLERK, MEMBER, OFFICER, sync_roles
from nct_monitor.selectors import get_period_by_ref
from nct_monitor.services import create_financial_year, reopen_period, sign_off_period

CONTRACT_FIRST_YEAR, CONTRACT_LAST_YEAR = 2020, 2026
SIGN_OFF_REASON = (
    "Loaded from the published papers, which do not give these figures for the period."
)
DEMO_USERS = {
    "officer": (OFFICER, "Olivia", "Officer"),
    "member": (MEMBER, "Morgan", "Member"),
    "clerk": (CLERK, "Charlie", "Clerk"),
    "admin": (ADMINISTRATOR, "Alex", "Administrator"),
}


class Command(BaseCommand):
    help = "Load the demo data from fixtures/ and the users officer, member, clerk and admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="Password for the four demo users. Without it, new users get a random "
            "password, which is printed, and existing users keep theirs.",
        )
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="Leave the demo's agenda packs unpublished, to rehearse building and "
            "publishing them as a clerk.",
        )
        parser.add_argument(
            "--no-illustrative",
            action="store_true",
            help="Leave out the illustrative figures (invented for the demonstration, not "
            "from the papers), such as the 2024/25 KPI year.",
        )

    @transaction.atomic
    def handle(
        self,
        *args: Any,
        password: str | None = None,
        no_publish: bool = False,
        no_illustrative: bool = False,
        **options: Any,
    ) -> None:
        sync_roles()
        # The contract's years exist from the first migrate; a flushed database (a browser
        # test's, say) gets them back here.
        for start_year in range(CONTRACT_FIRST_YEAR, CONTRACT_LAST_YEAR + 1):
            create_financial_year(start_year=start_year)
        self._users(password)
        # Each app with a `demo` module loads its own demo data, in dependency order. A demo
        # whose `load` takes `illustrative` is told whether to load its invented figures.
        for app in product_labels():
            if find_spec(f"{app}.demo") is None:
                continue
            load = import_module(f"{app}.demo").load
            takes_flag = "illustrative" in inspect.signature(load).parameters
            lines = load(illustrative=not no_illustrative) if takes_flag else load()
            for line in lines:
                self.stdout.write(f"{app}: {line}")
        self._sign_off()
        self._corrections()
        # Then what is published from the signed-off record (a demo's `publish`, if it has one).
        for app in [] if no_publish else product_labels():
            if find_spec(f"{app}.demo") is None:
                continue
            publish = getattr(import_module(f"{app}.demo"), "publish", None)
            for line in publish() if publish else []:
                self.stdout.write(f"{app}: {line}")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))

    def _sign_off(self) -> None:
        """Sign off every period up to the one the demo's papers report (fixtures/contract.json)."""
        data = json.loads((settings.BASE_DIR / "fixtures" / "contract.json").read_text())
        through = PeriodRef.parse(data["signed_off_through"]["period"])
        officer = get_user_model().objects.get(username="officer")
        open_periods = Period.objects.select_related("year").filter(status=PeriodStatus.OPEN)
        count = 0
        for period in open_periods:
            if period.ref <= through:
                # The papers give only some of each period's figures; what they leave out is
                # kept as the period's sign-off exceptions.
                sign_off_period(period=period, user=officer, exceptions_reason=SIGN_OFF_REASON)
                count += 1
        if count:
            self.stdout.write(f"Signed off {count} periods up to {through.label}")

    def _corrections(self) -> None:
        """The figures the published papers printed wrongly, as corrections to them.

        fixtures/published-figures.json gives what each document printed where it differs
        from the figures NCT Monitor computes. The figures are recorded as published, then the
        period is reopened with the reason and signed off again, so the corrections come from
        the same comparison a real reopening makes.
        """
        data = json.loads((settings.BASE_DIR / "fixtures" / "published-figures.json").read_text())
        admin = get_user_model().objects.get(username="admin")
        officer = get_user_model().objects.get(username="officer")
        for document in data["publications"]:
            period = get_period_by_ref(PeriodRef.parse(document["period"]))
            if Publication.objects.filter(period=period, title=document["title"]).exists():
                continue
            shown = period_figures(period)
            unknown = sorted(set(document["as_published"]) - set(shown))
            if unknown:
                raise CommandError(
                    f"fixtures/published-figures.json, {document['title']}: {period.label} "
                    f"shows no figure {', '.join(unknown)}."
                )
            publication = record_publication(
                period=period,
                title=document["title"],
                published_on=date.fromisoformat(document["published_on"]),
            )
            publication.figures = {**publication.figures, **document["as_published"]}
            publication.save(update_fields=["figures"])
            if period.is_signed_off:
                reopen_period(period=period, user=admin, reason=document["reason"])
            sign_off_period(
                period=get_period_by_ref(period.ref),
                user=officer,
                exceptions_reason=SIGN_OFF_REASON,
            )
            count = Correction.objects.filter(publication=publication).count()
            self.stdout.write(f"Recorded {count} corrections to {document['title']}")

    def _users(self, password: str | None) -> None:
        User = get_user_model()
        generated = None
        for username, (role, first, last) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.is_staff = role == ADMINISTRATOR
            if password:
                user.set_password(password)
            elif created:
                generated = generated or secrets.token_urlsafe(12)
                user.set_password(generated)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if created:
                self.stdout.write(f"Created user {username} ({role})")
        if generated:
            self.stdout.write(f"New demo users' password: {generated}")
