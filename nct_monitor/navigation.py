"""The service navigation: what each role sees in the header.

Each app declares its entries in its AppConfig (`nct_monitor.product`). Every entry names the
permission it needs, so each role sees what it can use. Hiding a link is a courtesy; the views
check permissions themselves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from nct_monitor.product import NavItem, product_apps
from nct_monitor.roles import role_of


def navigation_items() -> list[NavItem]:
    """Every app's header entries, in their order."""
    items = [item for config in product_apps() for item in config.navigation]
    return sorted(items, key=lambda item: item.order)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the navigation items the signed-in user may use.

    Computed once per request: django-tables2 renders each template cell with the request,
    which runs the context processors again.
    """
    cached = getattr(request, "_nct_navigation", None)
    if cached is None:
        cached = request._nct_navigation = _navigation(request)  # type: ignore[attr-defined]
    return cached


def _navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation_items": []}
    if getattr(request, "code_still_owed", False):
        # Signed in with a password, and still to give the code from an authenticator app:
        # every page but that one is closed, so none is offered.
        return {"navigation_items": [], "user_role": role_of(user)}
    items = []
    for item in navigation_items():
        if not user.has_perm(item.permission):
            continue
        href = reverse(item.url_name)
        items.append(
            {
                "label": item.label,
                "href": href,
                "current": request.path == href or request.path.startswith(item.section),
            }
        )
    return {"navigation_items": items, "user_role": role_of(user)}


def demonstration(request: HttpRequest) -> dict[str, Any]:
    """Context processor: whether this is the demo (`NCT_DEMO`), which every page says, and
    whether two-factor sign-in is on (`NCT_TWO_FACTOR`), which the account links offer."""
    return {"demonstration": settings.NCT_DEMO, "two_factor_on": settings.NCT_TWO_FACTOR}
