"""Production settings: the deployment check, security headers, login throttling, sessions,
request sizes."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import ClassVar
from wsgiref.util import is_hop_by_hop

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from nct_monitor.models import ImportRun

pytestmark = pytest.mark.django_db


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="nct.example.gov.uk",
        DJANGO_SETTINGS_MODULE="nct_monitor.settings",
    )
    return env


def test_the_deployment_check_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_are_secure_and_hsts_is_sent():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True"]


def test_every_page_sends_a_content_security_policy_without_inline_scripts(member_client, contract):
    response = member_client.get(reverse("contracts:overview"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_the_session_ends_with_the_browser_and_after_two_idle_hours():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.NCT_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_repeated_failed_sign_ins_lock_the_account(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer", "password": "wrong password"})
    response = client.post(
        reverse("login"), {"username": "officer", "password": "a-long-test-password"}
    )
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


def test_a_short_or_common_password_is_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)


class _RecordingUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large uploads, noting each file it starts to write."""

    started: ClassVar[list[str]] = []

    def new_file(self, *args, **kwargs):
        type(self).started.append(args[1])
        super().new_file(*args, **kwargs)


def _large_upload(size: int) -> dict[str, object]:
    return {"file": SimpleUploadedFile("return.xlsx", b"x" * size), "year": "2024/25"}


def test_a_large_request_before_signing_in_is_refused_unread(settings, tmp_path):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}._RecordingUploadHandler"]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    _RecordingUploadHandler.started.clear()
    # With the CSRF check on and its cookie from the login page, as a browser would send it:
    # the check then reads the body for the token.
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))

    response = client.post(reverse("kpis:results_upload"), _large_upload(3 * 1024 * 1024))

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # WSGI servers refuse hop-by-hop headers from the application (the development server
    # turns one into a 500).
    assert not [name for name, _ in response.items() if is_hop_by_hop(name)]
    assert "before signing in, NCT Monitor accepts at most 64 KB" in response.content.decode()
    assert _RecordingUploadHandler.started == []
    assert list((tmp_path / "uploads").iterdir()) == []
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_the_login_form_is_accepted_before_signing_in(officer):
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "officer", "password": "wrong password"}
    )

    assert response.status_code == 403  # no CSRF token: it was read, not refused for its size


def test_a_signed_in_request_larger_than_the_largest_return_is_refused(officer_client, settings):
    settings.NCT_MAX_REQUEST_BYTES = 256 * 1024

    response = officer_client.post(reverse("kpis:results_upload"), _large_upload(300 * 1024))

    assert response.status_code == 413
    assert "NCT Monitor accepts at most 256 KB" in response.content.decode()


def test_a_signed_in_upload_within_the_limit_is_read(officer_client):
    officer_client.post(reverse("kpis:results_upload"), _large_upload(100 * 1024))

    assert ImportRun.objects.get().filename == "return.xlsx"
