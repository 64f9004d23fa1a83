"""The journeys of `make load` (bench/load.py runs them): NCT Monitor's four roles at work.

Each simulated user signs in through the login form (with its CSRF token) as one of the demo
users, then repeats its role's journeys, picked by weight, with a think time between them:

- committee members (`member`, 4 in 10 users): the overview dashboard, the savings tracker,
  the KPI scorecard and a KPI's page, the risk register, heatmap and a risk, the contract and a
  business case, the committee's meetings and the published agenda pack;
- contract officers (`officer`, 3 in 10): the same, and the forms they fill in: a period's KPI
  results (saved back unchanged, which the service writes nothing for), a risk review, the
  period's finance forecast and the open period's savings tracker;
- clerks (`clerk`, 2 in 10): meetings, the agenda pack panel, minutes, officers' reports and
  the published pack;
- administrators (`admin`, 1 in 10): the officer's journeys, the periods and the imports.

A response counts only when it is the page (200) or the redirect the journey expects; a 403,
404 or 500, a redirect to the login page or a timeout is a failure. The app runs with its
production settings, so every request says `X-Forwarded-Proto: https` as the TLS-terminating
proxy in front of it would. Only loopback hosts are accepted.
"""

from __future__ import annotations

import json
import os
import random
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.stats import CSV_STATS_INTERVAL_SEC

# What bench/load.py found in the demo data (ids, the periods to visit) and the demo password.
TARGETS: dict[str, Any] = json.loads(os.environ.get("NCT_LOAD_TARGETS", "{}"))
PASSWORD = os.environ.get("NCT_LOAD_PASSWORD", "")
THINK_SECONDS = [float(s) for s in os.environ.get("NCT_LOAD_THINK_SECONDS", "1,3").split(",")]
TIMEOUT = 30
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.init.add_listener
def refuse_other_hosts(environment: Environment, **kwargs: Any) -> None:
    # An exception here stops locust before any user starts.
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise RuntimeError(f"The load test runs against loopback only, not {environment.host!r}.")


@events.test_stop.add_listener
def let_the_csv_catch_up(environment: Environment, **kwargs: Any) -> None:
    # locust writes its CSV statistics once a second, and not again at the end: wait for one
    # more write, so that they hold every request, the last second's too.
    gevent.sleep(CSV_STATS_INTERVAL_SEC + 0.5)


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`, as shown."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: list[str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._inside = attr.get("id") == self.form_id
        elif not self._inside:
            return
        elif tag == "option" and self._select and "selected" in attr:
            self.fields.append((self._select, attr.get("value", "")))
        elif not attr.get("name"):
            return
        elif tag == "input" and attr.get("type") not in {"submit", "button", "checkbox", "radio"}:
            self.fields.append((attr["name"], attr.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attr["name"], ""]
        elif tag == "select":
            self._select = attr["name"]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the newline that follows <textarea>, as Django writes it.
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


class SignedIn(HttpUser):
    """A user signed in as `username`, with the requests every journey makes."""

    abstract = True
    username = ""
    wait_time = between(*THINK_SECONDS)

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = f"https://{urlsplit(self.host or '').netloc}"
        login = self.visit("/login/", "/login/")
        token = CSRF_TOKEN.search(login.text or "")
        self.post(
            "/login/",
            "/login/ (sign in)",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            redirect_to="/",
        )

    # Requests

    def visit(
        self,
        path: str,
        name: str,
        *,
        expect: int = 200,
        content_type: str = "text/html",
        headers: dict[str, str] | None = None,
    ) -> Any:
        with self.client.get(
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"answered {response.status_code}, not {expect}")
            elif expect == 302 and self.to_login(response):
                response.failure("redirected to the login page")
            elif expect == 200 and content_type not in response.headers.get("Content-Type", ""):
                response.failure(f"answered {response.headers.get('Content-Type')}")
        self.keep_cookies()
        return response

    def post(
        self, path: str, name: str, data: Any, *, redirect_to: str | None = None
    ) -> str | None:
        """POST a form as a browser would; the redirect's path, when it redirects as expected."""
        with self.client.post(
            path,
            name=name,
            data=data,
            headers={"Origin": self.origin, "Referer": self.origin + path},
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            location = self.location(response)
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}, not a redirect")
            elif redirect_to is not None and location != redirect_to:
                response.failure(f"redirected to {location}, not {redirect_to}")
        self.keep_cookies()
        return location if response.status_code == 302 else None

    def follow(self, path: str, name: str, then: str) -> str | None:
        """GET a page that redirects (a section's index), then the page it redirects to."""
        response = self.visit(path, name, expect=302)
        location = self.location(response)
        if response.status_code != 302 or location is None or self.to_login(response):
            return None
        self.visit(location, then)
        return location

    def keep_cookies(self) -> None:
        # The session and CSRF cookies are Secure, as behind the TLS proxy; the client would not
        # send them back over the plain HTTP of loopback, where the proxy would.
        for cookie in self.client.cookies:
            cookie.secure = False

    @staticmethod
    def location(response: Any) -> str | None:
        location = response.headers.get("Location")
        if not location:
            return None
        parts = urlsplit(location)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def to_login(self, response: Any) -> bool:
        return (self.location(response) or "").startswith("/login/")

    def download_pack(self) -> None:
        if TARGETS.get("pack"):
            self.visit(
                f"/committee/packs/{TARGETS['pack']}/download/",
                "/committee/packs/<pk>/download/",
                content_type="application/pdf",
            )


class Reader(SignedIn):
    """The pages everyone reads, as a committee member goes through them."""

    abstract = True

    @task(4)
    def overview(self) -> None:
        self.visit("/", "/")

    @task(3)
    def savings(self) -> None:
        self.follow("/savings/", "/savings/", then="/savings/<period>/")

    @task(3)
    def kpis(self) -> None:
        scorecard = self.follow("/kpis/", "/kpis/", then="/kpis/<period>/")
        if scorecard:
            number = random.choice(TARGETS["kpis"])
            self.visit(f"{scorecard}kpi-{number}/", "/kpis/<period>/kpi-<n>/")

    @task(3)
    def risks(self) -> None:
        self.visit("/risks/", "/risks/")
        self.visit("/risks/heatmap/", "/risks/heatmap/")
        self.visit(f"/risks/{random.choice(TARGETS['risks'])}/", "/risks/<pk>/")

    @task(2)
    def contract(self) -> None:
        self.visit("/contract/", "/contract/")
        case = random.choice(TARGETS["business_cases"])
        self.visit(f"/contract/business-cases/{case}/", "/contract/business-cases/<pk>/")

    @task(2)
    def committee(self) -> None:
        self.visit("/committee/", "/committee/")
        meeting = random.choice(TARGETS["meetings"])
        self.visit(f"/committee/meetings/{meeting}/", "/committee/meetings/<pk>/")
        self.download_pack()


class Member(Reader):
    """A committee member: reads everything, changes nothing."""

    username = "member"
    weight = 4


class Officer(Reader):
    """A contract officer: reads as a member does, and opens the forms of the open period."""

    username = "officer"
    weight = 3

    @task(2)
    def kpi_results(self) -> None:
        path = f"/kpis/{TARGETS['open_period']}/results/"
        form = self.visit(path, "/kpis/<open period>/results/")
        if form.status_code != 200:
            return
        # Saved back as shown: the service writes nothing for rows left as they were.
        scorecard = self.post(
            path,
            "/kpis/<open period>/results/ (save unchanged)",
            form_fields(form.text, "results"),
            redirect_to=f"/kpis/{TARGETS['open_period']}/",
        )
        if scorecard:
            self.visit(scorecard, "/kpis/<open period>/")

    @task(1)
    def risk_review(self) -> None:
        risk = random.choice(TARGETS["open_risks"])
        self.visit(f"/risks/{risk}/review/", "/risks/<pk>/review/")

    @task(1)
    def forecast(self) -> None:
        period = TARGETS["open_period"]
        self.visit(f"/contract/forecast/{period}/edit/", "/contract/forecast/<open period>/edit/")

    @task(1)
    def open_savings(self) -> None:
        self.visit(f"/savings/{TARGETS['open_period']}/", "/savings/<open period>/")


class Clerk(SignedIn):
    """A clerk: prepares the committee's meetings and papers."""

    username = "clerk"
    weight = 2

    @task(3)
    def meeting(self) -> None:
        self.visit("/committee/", "/committee/")
        meeting = random.choice(TARGETS["meetings"])
        self.visit(f"/committee/meetings/{meeting}/", "/committee/meetings/<pk>/")
        # The pack panel, as the meeting page's htmx fetches it.
        self.visit(
            f"/committee/meetings/{meeting}/packs/",
            "/committee/meetings/<pk>/packs/",
            headers={"HX-Request": "true"},
        )

    @task(2)
    def minutes(self) -> None:
        meeting = random.choice(TARGETS["meetings"])
        self.visit(f"/committee/meetings/{meeting}/minutes/", "/committee/meetings/<pk>/minutes/")

    @task(2)
    def report(self) -> None:
        report = random.choice(TARGETS["reports"])
        self.visit(f"/committee/reports/{report}/", "/committee/reports/<pk>/")

    @task(1)
    def pack(self) -> None:
        self.download_pack()

    @task(1)
    def overview(self) -> None:
        self.visit("/", "/")


class Admin(Officer):
    """An administrator: the officer's journeys, and the periods and imports."""

    username = "admin"
    weight = 1

    @task(1)
    def periods(self) -> None:
        self.visit("/periods/", "/periods/")

    @task(1)
    def imports(self) -> None:
        self.visit("/imports/", "/imports/")
