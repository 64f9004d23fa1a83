"""A session ends after a while without a request, and a fixed time after signing in however
busy it is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
PASSWORD = "a-long-test-password"


def _signed_in(officer) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_a_busy_session_lasts_past_the_idle_timeout(officer):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        for _ in range(9):
            clock.shift(dt.timedelta(hours=1))
            assert _is_signed_in(client)


def test_a_session_left_alone_past_the_idle_timeout_ends(officer):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        clock.shift(dt.timedelta(hours=2, seconds=1))

        assert not _is_signed_in(client)


def test_a_busy_session_ends_at_the_absolute_lifetime_and_says_why(officer):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        for _ in range(11):
            clock.shift(dt.timedelta(hours=1))
            assert _is_signed_in(client)
        clock.shift(dt.timedelta(minutes=59, seconds=59))
        assert _is_signed_in(client)
        clock.shift(dt.timedelta(seconds=2))

        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={reverse('home')}"
        page = client.get(response["Location"]).content.decode()
        assert "signed out because you signed in more than 12 hours ago" in page
        assert not _is_signed_in(client)


def test_signing_in_again_starts_the_absolute_lifetime_again(officer):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        for _ in range(11):
            clock.shift(dt.timedelta(hours=1))
            assert _is_signed_in(client)
        client.post(reverse("logout"))
        client = _signed_in(officer)
        clock.shift(dt.timedelta(hours=1, minutes=30))

        assert _is_signed_in(client)


def test_an_htmx_request_after_the_absolute_lifetime_sends_the_browser_to_sign_in(
    officer, settings
):
    settings.NCT_SESSION_ABSOLUTE_SECONDS = 60
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        clock.shift(dt.timedelta(seconds=61))

        response = client.get(reverse("home"), HTTP_HX_REQUEST="true")

        assert response["HX-Redirect"] == reverse("login")
        assert not _is_signed_in(client)


def test_a_request_within_a_minute_of_the_last_renewal_does_not_write_the_session(officer):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(officer)
        clock.shift(dt.timedelta(seconds=59))

        with CaptureQueriesContext(connection) as queries:
            assert _is_signed_in(client)

    assert [q["sql"] for q in queries if q["sql"].startswith('UPDATE "django_session"')] == []
