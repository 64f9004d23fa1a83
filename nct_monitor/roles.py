"""The four roles, as Django groups, and the permissions each one holds.

Permissions are granted by pattern so that a model added later gets the right permissions for
every role on the next migrate, without a data migration per model. A pattern matches
`app_label.codename` with shell wildcards; one starting with `!` takes permissions away again.
Patterns apply in order, so a later one wins.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import AnonymousUser, Group, Permission, User

OFFICER = "Contract officer"
MEMBER = "Committee member"
CLERK = "Clerk"
ADMINISTRATOR = "Administrator"
ROLES = (OFFICER, MEMBER, CLERK, ADMINISTRATOR)

# The apps whose data the roles share; Django's own apps stay with administrators.
PRODUCT_APPS = ("nct_monitor", "contracts", "savings", "kpis", "risks", "committee")
READ_EVERYTHING = tuple(f"{app}.view_*" for app in PRODUCT_APPS)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    MEMBER: READ_EVERYTHING,
    OFFICER: (
        "nct_monitor.sign_off_period",
        "contracts.*",
        # Councils, their shares and the contract itself are administrators' configuration.
        "!contracts.*_contract",
        "!contracts.*_council",
        "!contracts.*_shareschedule",
        "!contracts.*_councilshare",
        "savings.*",
        "kpis.*",
        # KPI definitions are the contract's; officers set targets and enter results.
        "!kpis.*_kpidefinition",
        "risks.*",
        # Officers write the reports; clerks run meetings and publish the packs.
        "committee.*_officerreport",
        "committee.*_reportsection",
        "committee.*_reportappendix",
        *READ_EVERYTHING,
    ),
    CLERK: (*READ_EVERYTHING, "committee.*"),
    ADMINISTRATOR: ("*",),
}


def permissions_for(role: str, available: list[str]) -> list[str]:
    """The `app_label.codename` names from `available` that `role` holds."""
    granted: set[str] = set()
    for pattern in ROLE_PERMISSIONS[role]:
        if pattern.startswith("!"):
            granted -= {name for name in granted if fnmatchcase(name, pattern[1:])}
        else:
            granted |= {name for name in available if fnmatchcase(name, pattern)}
    return sorted(granted)


def sync_roles() -> None:
    """Create the four groups and set exactly the permissions each role holds."""
    all_permissions = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type")
    }
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        names = permissions_for(role, list(all_permissions))
        group.permissions.set([all_permissions[name] for name in names])


def sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order; by the last
    # of them every model's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == with_models[-1].label:
        sync_roles()


def role_of(user: User | AnonymousUser) -> str | None:
    """The user's role, the first of the four groups the user is in."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLES if role in names), None)


def can_write(user: User | AnonymousUser) -> bool:
    """Whether the user holds any permission beyond reading."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(not name.split(".", 1)[1].startswith("view_") for name in user.get_all_permissions())
