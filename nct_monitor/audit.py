"""Who made a change and why, for the history every monitoring record keeps.

django-simple-history takes the user from the request when there is one; a service may also
run from a command or a task, so services name the user themselves through `attribute`, or
save and delete through `save_with_history` and `delete_with_history`, which do it for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.db import connection, models
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Whoever a service acts for: a signed-in user, or the anonymous user a request may carry.
AnyUser: TypeAlias = "User | AnonymousUser"

M = TypeVar("M", bound=models.Model)


def attribute(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    """Record `user` (and `reason`) on the history row the next save of `instance` writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def save_with_history(
    instance: M, *, user: Any, reason: str | None = None, clean: bool = True
) -> M:
    """Validate `instance` (unless `clean` is false), then save it with who and why."""
    if clean:
        instance.full_clean()
    attribute(instance, user=user, reason=reason)
    instance.save()
    return instance


def delete_with_history(instance: models.Model, *, user: Any, reason: str | None = None) -> None:
    """Delete `instance`, with who and why on the history row the deletion writes."""
    attribute(instance, user=user, reason=reason)
    instance.delete()


def record_history_in_bulk(
    model: type[models.Model],
    pks: Sequence[Any],
    *,
    user: Any,
    reason: str | None,
    history_type: str = "+",
) -> None:
    """Write the history rows of records just written in bulk, with one statement per chunk.

    `bulk_create` sends no signals, so django-simple-history writes no rows; this copies each
    record as it now stands into its history table, inside the database, as `save()` would have
    (who, when, why, and every field).
    """
    if not pks:
        return
    history = model.history.model  # type: ignore[attr-defined]
    meta = {"history_id", "history_date", "history_type", "history_user", "history_change_reason"}
    columns = [
        field.column
        for field in history._meta.concrete_fields
        if field.name not in meta and field.attname not in meta
    ]
    quote = connection.ops.quote_name
    who = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    target = ", ".join(quote(c) for c in columns)
    source = ", ".join(quote(c) for c in columns)
    pk_column = model._meta.pk.column
    assert pk_column is not None  # every concrete model's primary key has a column
    for start in range(0, len(pks), 5000):
        chunk = list(pks[start : start + 5000])
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"INSERT INTO {quote(history._meta.db_table)} ({target}, {quote('history_date')}, "
            f"{quote('history_type')}, {quote('history_user_id')}, "
            f"{quote('history_change_reason')}) "
            f"SELECT {source}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(pk_column)} IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [now, history_type, who, reason, *chunk])
