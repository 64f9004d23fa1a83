"""gunicorn's settings for NCT Monitor: `gunicorn -c gunicorn.conf.py nct_monitor.wsgi`.

Responses carry no `Server` header. gunicorn writes `Server: gunicorn` into every HTTP/1
response itself, with no setting to stop it, so the method that lists its own headers is
wrapped here, in the master before it starts its workers: telling every client which server
(and so which advisories) to try is of no use to the councils' users.
"""

from __future__ import annotations

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self: wsgi.Response) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server  # type: ignore[method-assign]
