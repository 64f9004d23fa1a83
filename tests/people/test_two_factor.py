"""Two-factor sign-in: administrators and officers set up an authenticator app in the product
and give its code after their password; a code works once; an administrator resets a lost one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from people import services

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"
HOME = reverse("home")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.NCT_TWO_FACTOR = True


def code(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the user's app shows now (or `later` steps of 30 seconds from now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + later)
    return str(totp.token()).zfill(device.digits)


def signed_in(user) -> Client:
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrolled(user) -> TOTPDevice:
    device = services.pending_two_factor_device(user=user)
    assert services.confirm_two_factor_device(user=user, device=device, code=code(device))
    device.refresh_from_db()
    return device


def test_an_officer_without_an_app_is_asked_to_set_one_up_and_then_uses_the_product(officer):
    client = signed_in(officer)

    response = client.get(reverse("savings:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup") + "?next=")
    page = client.get(response["Location"]).content.decode()
    assert "Set up two-factor sign-in" in page
    assert '<svg role="img" aria-label="QR code"' in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/savings/"})
    assert "That code is not right." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()

    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # after the 1 s wait
        done = client.post(reverse("two_factor_setup"), {"code": code(device), "next": "/savings/"})
    assert done["Location"] == "/savings/"
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(reverse("savings:index")).status_code in (200, 302)
    assert client.get(HOME).status_code == 200
    assert LogEntry.objects.filter(change_message="Set up two-factor sign-in").exists()


def test_an_officer_with_an_app_gives_its_code_after_the_password(officer):
    device = enrolled(officer)
    client = signed_in(officer)

    blocked = client.get(HOME)
    assert blocked["Location"] == f"{reverse('two_factor_verify')}?next=%2F"
    assert (
        "Enter the code from your authenticator app"
        in client.get(blocked["Location"]).content.decode()
    )
    # A password alone cannot set up another app in place of this one.
    takeover = client.get(reverse("two_factor_setup"))
    assert takeover["Location"].startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"code": "123456x", "next": "/"})
    assert "Enter the 6 digits your authenticator app shows." in wrong.content.decode()
    assert client.get(HOME).status_code == 302

    response = client.post(
        reverse("two_factor_verify"), {"code": code(device, later=1), "next": "/"}
    )
    assert response["Location"] == "/"
    home = client.get(HOME)
    assert home.status_code == 200 and 'href="/savings/"' in home.content.decode()


def test_a_code_is_used_once(officer):
    device = enrolled(officer)
    now = code(device, later=1)
    first, second = signed_in(officer), signed_in(officer)

    assert first.post(reverse("two_factor_verify"), {"code": now, "next": "/"})["Location"] == "/"
    again = second.post(reverse("two_factor_verify"), {"code": now, "next": "/"})

    assert again.status_code == 200 and "That code is not right." in again.content.decode()
    assert second.get(HOME).status_code == 302


def test_wrong_codes_are_throttled(officer):
    device = enrolled(officer)
    client = signed_in(officer)
    start = timezone.now()
    # Each wrong code, a minute after the last: each one counts, and waits longer.
    for minute in range(4):
        with time_machine.travel(start + timedelta(minutes=minute)):
            client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/"})

    # Even the right code waits until the throttle has passed.
    with time_machine.travel(start + timedelta(minutes=3, seconds=2)):
        response = client.post(
            reverse("two_factor_verify"), {"code": code(device, later=1), "next": "/"}
        )

    assert "Too many wrong codes in a row" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_member_without_an_app_is_not_asked_for_a_code(member):
    assert signed_in(member).get(HOME).status_code == 200


def test_a_member_who_set_up_an_app_is_asked_for_its_code(member):
    enrolled(member)
    assert signed_in(member).get(HOME)["Location"].startswith(reverse("two_factor_verify"))


def test_the_next_page_stays_on_this_site(officer):
    device = enrolled(officer)
    client = signed_in(officer)

    response = client.post(
        reverse("two_factor_verify"),
        {"code": code(device, later=1), "next": "https://example.com/"},
    )

    assert response["Location"] == HOME


def test_an_administrator_resets_a_lost_app_and_the_officer_sets_one_up_again(officer, admin_user):
    enrolled(officer)
    admin = Client()
    admin.force_login(admin_user)
    admin_device = enrolled(admin_user)
    admin.post(reverse("two_factor_verify"), {"code": code(admin_device, later=1), "next": "/"})
    edit = admin.get(reverse("people:user_edit", args=[officer.pk])).content.decode()
    assert "Reset two-factor sign-in" in edit

    admin.post(reverse("people:two_factor_reset", args=[officer.pk]))

    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert LogEntry.objects.filter(change_message="Reset two-factor sign-in").exists()
    after = signed_in(officer).get(HOME)
    assert after["Location"].startswith(reverse("two_factor_setup"))


def test_an_officer_cannot_reset_anyones_app(officer, admin_user):
    enrolled(admin_user)
    with pytest.raises(Exception, match="cannot reset two-factor"):
        services.reset_two_factor(user=admin_user, by=officer)
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_switched_off_nobody_is_asked_and_the_pages_say_so(settings, officer):
    settings.NCT_TWO_FACTOR = False
    enrolled(officer)
    client = signed_in(officer)

    assert client.get(HOME).status_code == 200
    response = client.get(reverse("two_factor_setup"), follow=True)
    assert "Two-factor sign-in is not switched on" in response.content.decode()
