"""Settings for NCT Monitor, read from the environment.

Every setting that differs between a developer's laptop and production comes from an
environment variable, read by the small helpers below, so that one module serves both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Set by `make run`, which serves the demo data: every page then says what the data is.
NCT_DEMO = env_bool("NCT_DEMO", default=False)
# The test suite runs with production settings (DEBUG off) but needs no secret of its own.
TESTING = "pytest" in sys.modules

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        # Refuse to start rather than run production with a guessable key.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (a long random string) or set DJANGO_DEBUG=1 "
            "for development."
        )
    SECRET_KEY = "development-only-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "nct_monitor",
    "contracts",
    "savings",
    "kpis",
    "risks",
    "committee",
    "people",
    "public",
    # On top: it reads every app above.
    "overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (the CSRF check does, in process_view): the session and
    # the user are read without it.
    "nct_monitor.middleware.RequestSizeMiddleware",
    # Before the session lifetime, which tells a user it signed out why.
    "django.contrib.messages.middleware.MessageMiddleware",
    "nct_monitor.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Whether this session has given a code from an authenticator app, then asking for one.
    "django_otp.middleware.OTPMiddleware",
    "people.two_factor.TwoFactorMiddleware",
    "nct_monitor.middleware.ReadOnlyRoleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Login throttling: too many failed sign-ins lock the username from that address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "nct_monitor.urls"
WSGI_APPLICATION = "nct_monitor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nct_monitor.navigation.navigation",
                "nct_monitor.navigation.demonstration",
            ],
        },
    },
]
FORM_RENDERER = "nct_monitor.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer rather than fail at once: the web server and the task worker share
    # the file.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Password links (an administrator's, or a forgotten password's) work once, within a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Email: password links. In development they are printed to the console; in production
# NCT_EMAIL_HOST (and its port, user, password) names the council's mail relay.
EMAIL_BACKEND = env_str(
    "NCT_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("NCT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("NCT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("NCT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("NCT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("NCT_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("NCT_EMAIL_FROM", "NCT Monitor <nct-monitor@localhost>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("NCT_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    # The file system, leaving no part-written file when a save fails (a full disk).
    "default": {"BACKEND": "nct_monitor.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (agenda packs, large imports) goes through Django's task framework. The
# database backend lets any number of `db_worker` processes share the queue in PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": env_str("NCT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# The cache is a table in the database, so every web process and task worker shares it (see
# nct_monitor/caching.py). The table is created by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "nct_cache",
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions end when the browser closes, after NCT_SESSION_IDLE_SECONDS without a request, and
# NCT_SESSION_ABSOLUTE_SECONDS after signing in however busy they are: requests renew the
# session, once a minute at most (nct_monitor.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env_str("NCT_SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
NCT_SESSION_ABSOLUTE_SECONDS = int(env_str("NCT_SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    # Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Scripts and styles come only from our own static files: no inline scripts anywhere. Style
# attributes are allowed for the charts' SVG (matplotlib writes its styling in attributes).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Two-factor sign-in (people/two_factor.py): administrators and officers give a code from an
# authenticator app after their password. On by default in production; off in development,
# the demo and tests unless NCT_TWO_FACTOR=1.
NCT_TWO_FACTOR = env_bool("NCT_TWO_FACTOR", default=not DEBUG and not TESTING)
OTP_TOTP_ISSUER = "NCT Monitor"

# Five failed sign-ins for a username from one address lock it for an hour: that username
# from that address only, so failures sent from elsewhere cannot lock its owner out.
# Behind a proxy, say which (see nct_monitor/client_address.py): NCT_TRUSTED_PROXY_COUNT, the
# number of proxies in front of the application, or NCT_TRUSTED_PROXIES, their addresses or
# networks. Without either, X-Forwarded-For is ignored.
NCT_TRUSTED_PROXY_COUNT = int(env_str("NCT_TRUSTED_PROXY_COUNT", "0"))
NCT_TRUSTED_PROXIES = env_list("NCT_TRUSTED_PROXIES")
if NCT_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("NCT_TRUSTED_PROXY_COUNT must be 0 or more.")
if NCT_TRUSTED_PROXY_COUNT and NCT_TRUSTED_PROXIES:
    raise ImproperlyConfigured("Set NCT_TRUSTED_PROXY_COUNT or NCT_TRUSTED_PROXIES, not both.")
AXES_CLIENT_IP_CALLABLE = "nct_monitor.client_address.client_address"
AXES_FAILURE_LIMIT = int(env_str("NCT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("NCT_LOGIN_THROTTLING", default=True)

# Uploads: refused above this size before they are read (the importers check their own limits
# again), and kept on disk under NCT_MEDIA_ROOT, never among the static files.
NCT_IMPORT_MAX_FILE_BYTES = int(env_str("NCT_IMPORT_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
# Request bodies larger than these are refused unread (nct_monitor.middleware.
# RequestSizeMiddleware): before signing in, enough for the login form; after, a return of the
# largest size imported and the form around it.
NCT_ANONYMOUS_MAX_REQUEST_BYTES = int(env_str("NCT_ANONYMOUS_MAX_REQUEST_BYTES", str(64 * 1024)))
NCT_MAX_REQUEST_BYTES = NCT_IMPORT_MAX_FILE_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# An uploaded return's file is deleted this many days after its run ends (imported, refused,
# cancelled or failed) by `manage.py purge_uploads`; 0 deletes it as soon as the run ends.
NCT_UPLOAD_RETENTION_DAYS = int(env_str("NCT_UPLOAD_RETENTION_DAYS", "30"))
if NCT_UPLOAD_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("NCT_UPLOAD_RETENTION_DAYS must be 0 or more.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Reasons (for reopening a period, for republishing a pack) are kept whole in the history.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
