"""Failed sign-ins lock a username from one client only, and behind a proxy that client is
the one the trusted proxy names, never one a client names itself."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from nct_monitor.client_address import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
PROXY = "10.0.0.2"


def _sign_in(password: str, remote: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client().post(
        reverse("login"), {"username": "admin", "password": password}, **headers
    )
    return response.status_code


def _fail_from(remote: str, forwarded: list[str]) -> None:
    for value in forwarded[: settings.AXES_FAILURE_LIMIT]:
        _sign_in("wrong password", remote, value)


FORGED = [f"198.51.100.{n}" for n in range(1, 10)]


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_lockout(admin_user):
    _fail_from("203.0.113.9", FORGED)

    assert _sign_in(PASSWORD, "203.0.113.9", "192.0.2.50") == 429


def test_failures_from_one_address_do_not_lock_the_administrator_out_of_another(admin_user):
    _fail_from("203.0.113.9", FORGED)

    assert _sign_in(PASSWORD, "192.0.2.50") == 302


def test_behind_a_counted_proxy_the_forwarded_client_is_locked_not_the_proxy(admin_user, settings):
    settings.NCT_TRUSTED_PROXY_COUNT = 1
    # The attacker writes an address of its own; the proxy adds the one it saw.
    _fail_from(PROXY, [f"{forged}, 203.0.113.9" for forged in FORGED])

    assert _sign_in(PASSWORD, PROXY, "198.51.100.99, 203.0.113.9") == 429
    assert _sign_in(PASSWORD, PROXY, "192.0.2.50") == 302


def test_behind_listed_proxies_the_forwarded_client_is_locked_not_the_proxy(admin_user, settings):
    settings.NCT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    _fail_from(PROXY, [f"{forged}, 203.0.113.9, 10.0.0.7" for forged in FORGED])

    assert _sign_in(PASSWORD, PROXY, "203.0.113.9, 10.0.0.7") == 429
    assert _sign_in(PASSWORD, PROXY, "192.0.2.50, 10.0.0.7") == 302


def _address(remote: str, forwarded: str) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return client_address(request)


def test_forwarded_for_is_ignored_without_trusted_proxies():
    assert _address("203.0.113.9", "192.0.2.50") == "203.0.113.9"


def test_forwarded_for_is_ignored_from_an_address_that_is_not_a_listed_proxy(settings):
    settings.NCT_TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert _address("203.0.113.9", "192.0.2.50") == "203.0.113.9"


def test_a_request_that_passed_fewer_proxies_than_counted_is_keyed_on_its_own_address(
    settings,
):
    settings.NCT_TRUSTED_PROXY_COUNT = 2

    assert _address("203.0.113.9", "") == "203.0.113.9"
    assert _address(PROXY, "192.0.2.50, 10.0.0.3") == "192.0.2.50"


def test_an_entry_that_is_not_an_address_stops_at_the_last_trusted_proxy(settings):
    settings.NCT_TRUSTED_PROXIES = ["10.0.0.0/24"]

    assert _address(PROXY, "not-an-address, 10.0.0.7") == "10.0.0.7"
