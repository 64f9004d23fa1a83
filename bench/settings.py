"""Settings for the benchmarks: production settings, served over plain HTTP on loopback.

Only what a benchmark needs differs: two bare pages to measure against (bench/urls.py), and
cookies that a client may send back over HTTP, since there is no TLS on loopback.
"""

from nct_monitor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
AXES_ENABLED = False
