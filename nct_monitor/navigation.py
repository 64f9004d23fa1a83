"""The service navigation: what each role sees in the header.

Every entry names the permission it needs, so each role sees what it can use. Hiding a link
is a courtesy; the views check permissions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from nct_monitor.roles import role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    # The URL prefix of the section, so its pages mark the item as current.
    section: str


NAVIGATION = (
    NavItem("Overview", "home", "nct_monitor.view_period", "/overview/"),
    NavItem("Contract", "contracts:overview", "contracts.view_contract", "/contract/"),
    NavItem("Savings", "savings:index", "savings.view_savingsline", "/savings/"),
    NavItem("KPIs", "kpis:index", "kpis.view_kpidefinition", "/kpis/"),
    NavItem("Risks", "risks:risk_list", "risks.view_risk", "/risks/"),
    NavItem("Committee", "committee:meeting_list", "committee.view_meeting", "/committee/"),
    NavItem("Periods", "period_list", "nct_monitor.view_period", "/periods/"),
    NavItem("Users", "admin:auth_user_changelist", "auth.change_user", "/admin/"),
)


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
    items = []
    for item in NAVIGATION:
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
