"""Who made a change and why, for the history every monitoring record keeps.

django-simple-history takes the user from the request when there is one; a service may also
run from a command or a task, so services name the user themselves through `attribute`.
"""

from __future__ import annotations

from typing import Any

from django.db import models


def attribute(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    """Record `user` (and `reason`) on the history row the next save of `instance` writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
