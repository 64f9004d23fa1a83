"""gunicorn, started as the README and the benchmarks start it, names no server software."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

from django.conf import settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _headers_from_gunicorn(tmp_path) -> dict[str, str]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="nct_monitor.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    command = [sys.executable, "-m", "gunicorn", "nct_monitor.wsgi", "-c", "gunicorn.conf.py"]
    command += ["--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/health/")
                response = connection.getresponse()
                response.read()
                return {name.lower(): value for name, value in response.getheaders()}
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_with_the_project_config_sends_no_server_header(tmp_path):
    headers = _headers_from_gunicorn(tmp_path)

    assert "date" in headers  # gunicorn's own headers are otherwise all there
    assert "server" not in headers
