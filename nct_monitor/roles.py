"""The four roles, as Django groups, and the permissions each one holds.

Permissions are granted by pattern so that a model added later gets the right permissions for
every role on the next migrate, without a data migration per model. A pattern matches
`app_label.codename` with shell wildcards; one starting with `!` takes permissions away again.
Patterns apply in order, so a later one wins. Each app grants the roles what they may do with
its own records, in its AppConfig.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps

from nct_monitor.product import product_apps

if TYPE_CHECKING:
    from nct_monitor.audit import AnyUser

OFFICER = "Contract officer"
MEMBER = "Committee member"
CLERK = "Clerk"
ADMINISTRATOR = "Administrator"
ROLES = (OFFICER, MEMBER, CLERK, ADMINISTRATOR)


def role_patterns(role: str) -> tuple[str, ...]:
    """The permission patterns `role` holds: each product app's grants to it, then reading
    every product app's records (administrators hold everything).

    The grants come from each app's AppConfig (`nct_monitor.product`); Django's own apps stay
    with administrators.
    """
    if role == ADMINISTRATOR:
        return ("*",)
    configs = product_apps()
    granted = [pattern for config in configs for pattern in config.grants.get(role, ())]
    return (*granted, *(f"{config.label}.view_*" for config in configs))


def permissions_for(role: str, available: list[str]) -> list[str]:
    """The `app_label.codename` names from `available` that `role` holds."""
    granted: set[str] = set()
    for pattern in role_patterns(role):
        if pattern.startswith("!"):
            granted -= {name for name in granted if fnmatchcase(name, pattern[1:])}
        else:
            granted |= {name for name in available if fnmatchcase(name, pattern)}
    return sorted(granted)


def sync_roles() -> None:
    """Create the four groups and set exactly the permissions each role holds."""
    # Here, not at the top: AppConfigs import the role names before the models load.
    from django.contrib.auth.models import Group, Permission

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


def role_of(user: AnyUser) -> str | None:
    """The user's role, the first of the four groups the user is in."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLES if role in names), None)


def can_write(user: AnyUser) -> bool:
    """Whether the user holds any permission beyond reading."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(not name.split(".", 1)[1].startswith("view_") for name in user.get_all_permissions())
