from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from nct_monitor.roles import can_write

# The session keys holding when the user signed in, and when the session was last renewed,
# in seconds since the epoch.
SIGNED_IN_AT = "nct_signed_in_at"
RENEWED_AT = "nct_renewed_at"
# A session is renewed (saved, so its idle timeout starts again) at most this often: saving it
# on every request would write to the database on every page.
RENEW_EVERY_SECONDS = 60

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


def record_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Note in the new session when the user signed in (connected to `user_logged_in`)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[RENEWED_AT] = now


def absolute_session_seconds() -> int:
    return int(getattr(settings, "NCT_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))


class SessionLifetimeMiddleware:
    """Keep a busy session alive, and sign the user out once `NCT_SESSION_ABSOLUTE_SECONDS`
    have passed since they signed in however busy they are.

    A session expires SESSION_COOKIE_AGE after it was last saved: renewing it on requests
    (once a minute at most) makes that an idle timeout. The absolute lifetime means a stolen
    session cookie is good for a working day at most. A session from before sign-in times
    were recorded starts counting at its first request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            if not isinstance(signed_in_at, int) or now - signed_in_at > absolute_session_seconds():
                return self._sign_out(request)
            renewed_at = request.session.get(RENEWED_AT)
            if not isinstance(renewed_at, int) or now - renewed_at >= RENEW_EVERY_SECONDS:
                request.session[RENEWED_AT] = now
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest) -> HttpResponse:
        hours = absolute_session_seconds() / 3600
        logout(request)
        messages.info(
            request,
            f"You have been signed out because you signed in more than {hours:g} hours ago. "
            "Sign in again to go on.",
        )
        login_url = reverse(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            # A partial page cannot show the login page: the browser goes there instead.
            return HttpResponseClientRedirect(login_url)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), login_url)
        return redirect_to_login(request.path, login_url)


def _declared_length(request: HttpRequest) -> int:
    # Django reads no body at all when the length is missing or is not a number.
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than its sender may send, unread.

    Someone not signed in may send a login form and little else
    (`NCT_ANONYMOUS_MAX_REQUEST_BYTES`); a signed-in user a return of the largest size the
    importers take, with the rest of the form (`NCT_MAX_REQUEST_BYTES`). It looks only at
    Content-Length and the session, both read without the body: nothing of a refused request
    reaches memory, a temporary file or the CSRF check, which would parse it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        length = _declared_length(request)
        if length > settings.NCT_ANONYMOUS_MAX_REQUEST_BYTES:
            if not request.user.is_authenticated:
                return _too_large(
                    f"This request is {_size(length)}; before signing in, NCT Monitor accepts "
                    f"at most {_size(settings.NCT_ANONYMOUS_MAX_REQUEST_BYTES)}. Sign in first."
                )
            if length > settings.NCT_MAX_REQUEST_BYTES:
                return _too_large(
                    f"This request is {_size(length)}; NCT Monitor accepts at most "
                    f"{_size(settings.NCT_MAX_REQUEST_BYTES)}."
                )
        return self.get_response(request)


def _size(length: int) -> str:
    if length >= 1024 * 1024:
        return f"{length / (1024 * 1024):.1f} MB"
    return f"{max(1, length // 1024)} KB"


def _too_large(message: str) -> HttpResponse:
    # No "Connection: close": WSGI leaves hop-by-hop headers to the server, which reads past
    # (or drops) the unread body itself.
    return HttpResponse(
        f"Request too large\n\n{message}\n", status=413, content_type="text/plain; charset=utf-8"
    )
