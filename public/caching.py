"""The public pages, kept in the cache until the record or a publication changes.

Anyone can ask for a public page without signing in, so each is rendered once and served from
the cache: the key carries the cache generation (bumped by every save of a product record) and
the committee's publication stamp (packs change no figure, so publishing one does not bump the
generation).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from committee import selectors as committee
from nct_monitor.caching import TIMEOUT, generation

# How long a browser or proxy may keep a public page before asking again.
BROWSER_SECONDS = 300
# The headers a cached response is served with again.
KEPT_HEADERS = ("Content-Disposition",)


def key(name: str) -> str:
    return f"nct:public:{generation()}:{committee.publication_stamp()}:{name}"


def cached_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The response `render()` gives for this path, kept when it is a 200."""
    name = f"page:{request.get_full_path()}"
    found = cache.get(key(name))
    if found is not None:
        content, content_type, headers = found
        response = HttpResponse(content, content_type=content_type)
        for header, value in headers.items():
            response[header] = value
    else:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            kept = {header: response[header] for header in KEPT_HEADERS if header in response}
            cache.set(key(name), (response.content, response["Content-Type"], kept), TIMEOUT)
    if response.status_code == 200:
        patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
    return response
