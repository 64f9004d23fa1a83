"""Administrators manage users in the product; everyone changes or resets their own password."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from nct_monitor.roles import ADMINISTRATOR, CLERK, MEMBER, OFFICER, role_of

pytestmark = pytest.mark.django_db

NEW = {
    "username": "jsmith",
    "first_name": "Jo",
    "last_name": "Smith",
    "email": "jo.smith@example.gov.uk",
    "role": OFFICER,
}


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/password-reset/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("home")


def _edit(user: User, **changes: object) -> dict[str, object]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": role_of(user),
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None, False)}


def test_an_administrator_adds_a_user_who_sets_their_own_password(admin_client):
    response = admin_client.post(reverse("people:user_add"), NEW, follow=True)

    assert "jsmith was added. A link to set their password was sent to" in response.content.decode()
    user = User.objects.get(username="jsmith")
    assert role_of(user) == OFFICER
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["jo.smith@example.gov.uk"]
    assert "Your username is jsmith" in message.body

    visitor = Client()
    form = visitor.get(_link(message), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-9", "new_password2": "a-long-new-password-9"},
        follow=True,
    )
    assert "Your password was saved" in done.content.decode()
    assert _signs_in("jsmith", "a-long-new-password-9")


def test_a_used_password_link_no_longer_works(admin_client):
    admin_client.post(reverse("people:user_add"), NEW)
    link = _link(mail.outbox[0])
    visitor = Client()
    form = visitor.get(link, follow=True)
    visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-9", "new_password2": "a-long-new-password-9"},
    )

    again = Client().get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"username": "admin"}, "username", "There is already a user called admin."),
        ({"role": ""}, "role", "Choose the user's role."),
        ({"email": "not an address"}, "email", "Enter an email address like name@example.gov.uk."),
        ({"username": "jo smith"}, "username", "Enter a username of letters, digits and @ . + - _"),
        ({"first_name": ""}, "first_name", "Enter their first name."),
    ],
)
def test_a_user_that_cannot_be_added_says_why_and_nothing_is_written(
    admin_client, change, field, message
):
    before = User.objects.count()

    response = admin_client.post(reverse("people:user_add"), {**NEW, **change})

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert User.objects.count() == before
    assert mail.outbox == []


def test_an_email_already_in_use_is_refused(admin_client, officer):
    officer.email = "jo.smith@example.gov.uk"
    officer.save()

    response = admin_client.post(reverse("people:user_add"), NEW)

    assert response.context["form"].errors["email"] == [
        "jo.smith@example.gov.uk is already the email of another user."
    ]
    assert not User.objects.filter(username="jsmith").exists()


def test_a_role_change_is_saved_and_shown_with_who_made_it(admin_client, admin_user, officer):
    response = admin_client.post(
        reverse("people:user_edit", kwargs={"pk": officer.pk}),
        _edit(officer, role=CLERK),
        follow=True,
    )

    assert role_of(User.objects.get(pk=officer.pk)) == CLERK
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user == admin_user
    assert entry.change_message == f"Role: {OFFICER} → {CLERK}"
    page = admin_client.get(reverse("people:user_edit", kwargs={"pk": officer.pk}))
    assert f"Role: {OFFICER} → {CLERK}" in page.content.decode()
    assert response.status_code == 200


def test_a_deactivated_user_cannot_sign_in(admin_client, make_user):
    user = make_user(MEMBER, username="leaver")
    user.set_password("a-long-old-password-1")
    user.save()

    admin_client.post(
        reverse("people:user_edit", kwargs={"pk": user.pk}), _edit(user, is_active="")
    )

    assert not User.objects.get(pk=user.pk).is_active
    assert not _signs_in("leaver", "a-long-old-password-1")


def test_an_administrator_cannot_deactivate_themselves(admin_client, admin_user):
    response = admin_client.post(
        reverse("people:user_edit", kwargs={"pk": admin_user.pk}), _edit(admin_user, is_active="")
    )

    assert response.context["form"].non_field_errors() == [
        "You cannot deactivate yourself: another administrator has to make this change."
    ]
    assert User.objects.get(pk=admin_user.pk).is_active


def test_the_last_active_administrator_stays_one(make_user):
    only = make_user(ADMINISTRATOR, username="second", first_name="Sam", last_name="Second")
    # A superuser (Django's own, with no role) acts on the one active administrator.
    root = User.objects.create_superuser("root", "root@example.gov.uk", "a-long-root-password-1")
    client = Client()
    client.force_login(root)

    response = client.post(
        reverse("people:user_edit", kwargs={"pk": only.pk}), _edit(only, role=CLERK)
    )

    assert response.context["form"].non_field_errors() == [
        "Sam Second is the only active administrator: make someone else an administrator first."
    ]
    assert role_of(User.objects.get(pk=only.pk)) == ADMINISTRATOR


def test_an_administrator_sends_a_password_link(admin_client, officer):
    officer.email = "officer@example.gov.uk"
    officer.save()

    response = admin_client.post(
        reverse("people:password_link", kwargs={"pk": officer.pk}), follow=True
    )

    assert "A link to set a new password was sent to officer@example.gov.uk." in (
        response.content.decode()
    )
    assert mail.outbox[0].to == ["officer@example.gov.uk"]


def test_no_password_link_for_a_user_without_an_email(admin_client, officer):
    officer.email = ""
    officer.save()

    response = admin_client.post(
        reverse("people:password_link", kwargs={"pk": officer.pk}), follow=True
    )

    assert f"{officer.username} has no email address: add one first." in (response.content.decode())
    assert mail.outbox == []


def test_a_committee_member_changes_their_own_password(make_user):
    member = make_user(MEMBER, username="councillor")
    member.set_password("a-long-old-password-1")
    member.save()
    client = Client()
    client.force_login(member)

    assert "Change the password" in client.get(reverse("password_change")).content.decode()
    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "not-it",
            "new_password1": "a-long-new-password-9",
            "new_password2": "a-long-new-password-9",
        },
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-old-password-1",
            "new_password1": "a-long-new-password-9",
            "new_password2": "a-long-new-password-9",
        },
        follow=True,
    )

    assert "Your password was changed." in response.content.decode()
    assert _signs_in("councillor", "a-long-new-password-9")


def test_a_forgotten_password_is_reset_by_email(make_user):
    user = make_user(OFFICER, username="forgetful", email="forgetful@example.gov.uk")
    visitor = Client()

    page = visitor.post(
        reverse("password_reset"), {"email": "forgetful@example.gov.uk"}, follow=True
    )
    unknown = Client().post(
        reverse("password_reset"), {"email": "nobody@example.gov.uk"}, follow=True
    )

    assert "Check your email" in page.content.decode()
    assert "Check your email" in unknown.content.decode()  # says nothing of who has an account
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Reset your NCT Monitor password"


def test_the_sign_in_page_offers_a_password_reset():
    response = Client().get(reverse("login"))
    assert reverse("password_reset") in response.content.decode()
