from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from nct_monitor.roles import can_write

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _open_to_every_role(path: str) -> bool:
    """Signing in and out (with its code from an authenticator app, and setting that up), and
    changing or resetting one's own password."""
    own = (
        reverse("login"),
        reverse("logout"),
        reverse("password_change"),
        reverse("two_factor_setup"),
        reverse("two_factor_verify"),
    )
    return path in own or path.startswith(reverse("password_reset"))


class ReadOnlyRoleMiddleware:
    """Refuse every unsafe request from a user who may only read (a committee member).

    Each view that changes data also checks its own permission; this is the second lock, so a
    view that forgot to cannot be the one that lets a reader write. Signing in and out (two-
    factor sign-in included) and changing one's own password are open to every role.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in SAFE_METHODS
            and request.user.is_authenticated
            and not _open_to_every_role(request.path)
            and not can_write(request.user)
        ):
            raise PermissionDenied("Your role can read but not change data.")
        return self.get_response(request)
