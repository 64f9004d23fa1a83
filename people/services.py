"""Writes to the product's users: add, change, deactivate, send a password link, and set up
or reset two-factor sign-in.

Administrators manage people here rather than in Django's admin, and every change is written
to the admin log (`LogEntry`), with who made it. Two rules keep the product manageable: an
administrator cannot deactivate themselves or take away their own role, and the last active
administrator stays one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from nct_monitor.audit import AnyUser
from nct_monitor.roles import ADMINISTRATOR, ROLES, role_of
from people.selectors import active_administrators


@dataclass(frozen=True)
class Person:
    """What an administrator gives a user: names, email, role and whether they may sign in."""

    first_name: str
    last_name: str
    email: str
    role: str
    is_active: bool = True


def _require(user: AnyUser, permission: str, doing: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"Your role cannot {doing}.")


def _log(by: AnyUser, user: User, flag: int, message: str) -> None:
    if by.is_authenticated:
        LogEntry.objects.log_actions(  # type: ignore[attr-defined]
            by.pk, User.objects.filter(pk=user.pk), flag, change_message=message
        )


def _check_email(email: str, *, other_than: User | None = None) -> None:
    if not email:
        return
    taken = User.objects.filter(email__iexact=email)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise ValidationError({"email": f"{email} is already the email of another user."})


def _set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValidationError({"role": f"Choose one of the roles: {', '.join(ROLES)}."})
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))


def _keeps_an_administrator(user: User, person: Person, *, by: AnyUser) -> None:
    """Refuse a change that would leave the product without a way to manage it."""
    stays_admin = person.is_active and person.role == ADMINISTRATOR
    if stays_admin or role_of(user) != ADMINISTRATOR or not user.is_active:
        return
    if user.pk == by.pk:
        doing = "deactivate yourself" if not person.is_active else "take away your own role"
        raise ValidationError(f"You cannot {doing}: another administrator has to make this change.")
    if not active_administrators().exclude(pk=user.pk).exists():
        raise ValidationError(
            f"{user.get_full_name() or user.username} is the only active administrator: "
            "make someone else an administrator first."
        )


@transaction.atomic
def create_user(*, username: str, person: Person, by: AnyUser) -> User:
    """Add a user with `person`'s details and role and no password yet: they set their own
    from the link `send_password_link` emails them."""
    _require(by, "auth.add_user", "add users")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"There is already a user called {username}."})
    _check_email(person.email)
    user = User(
        username=username,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        is_active=person.is_active,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _set_role(user, person.role)
    _log(by, user, ADDITION, f"Added as {person.role}")
    return user


@transaction.atomic
def update_user(*, user: User, person: Person, by: AnyUser) -> User:
    """Change a user's names, email, role or whether they may sign in."""
    _require(by, "auth.change_user", "change users")
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_email(person.email, other_than=user)
    _keeps_an_administrator(user, person, by=by)
    changes = _changes(user, person)
    user.first_name, user.last_name, user.email = person.first_name, person.last_name, person.email
    user.is_active = person.is_active
    user.full_clean(exclude=["password"])
    user.save()
    _set_role(user, person.role)
    if changes:
        _log(by, user, CHANGE, "; ".join(changes))
    return user


def _changes(user: User, person: Person) -> list[str]:
    before = {
        "Name": user.get_full_name(),
        "Email": user.email,
        "Role": role_of(user) or "(none)",
        "Can sign in": "yes" if user.is_active else "no",
    }
    after = {
        "Name": f"{person.first_name} {person.last_name}".strip(),
        "Email": person.email,
        "Role": person.role,
        "Can sign in": "yes" if person.is_active else "no",
    }
    return [f"{key}: {before[key]} → {after[key]}" for key in before if before[key] != after[key]]


def send_password_link(*, user: User, by: AnyUser, base_url: str) -> None:
    """Email `user` a one-time link to set a new password (`base_url` is the site's address,
    such as `https://nct-monitor.example`). The link works once and expires after
    PASSWORD_RESET_TIMEOUT seconds."""
    _require(by, "auth.change_user", "reset passwords")
    if not user.is_active:
        raise ValidationError(f"{user.username} cannot sign in: reactivate them first.")
    if not user.email:
        raise ValidationError(f"{user.username} has no email address: add one first.")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": f"{base_url.rstrip('/')}{path}",
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    send_mail(
        subject="Set your NCT Monitor password",
        message=render_to_string("people/password_link_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    _log(by, user, CHANGE, "Password link sent")


__all__ = ["Person", "create_user", "send_password_link", "update_user"]


def pending_two_factor_device(*, user: User) -> TOTPDevice:
    """The authenticator app `user` is setting up: a new key, kept until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_two_factor_device(*, user: User, device: TOTPDevice, code: str) -> TOTPDevice | None:
    """Take the app `user` is setting up once it gives a right `code`; any app set up before
    stops working. None if the code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _log(user, user, CHANGE, "Set up two-factor sign-in")
    return device


@transaction.atomic
def reset_two_factor(*, user: User, by: AnyUser) -> int:
    """Remove `user`'s authenticator apps (a lost phone): they set one up at their next
    sign-in. Returns how many were removed."""
    _require(by, "auth.change_user", "reset two-factor sign-in")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _log(by, user, CHANGE, "Reset two-factor sign-in")
    return removed
