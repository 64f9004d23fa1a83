"""Caching what is computed from signed-off periods.

A signed-off period's figures cannot change, so summaries and charts computed from them are
kept in the cache. The key carries the moment the period was last signed off, so reopening it
(or signing it off again) leaves the old entry behind for good; a generation number, bumped
when a reopen happens and whenever a record the figures are labelled with is saved, does the
same for everything at once. The cache is the database (see CACHES), so every web and task
process sees the same generation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

from nct_monitor.models import Period

T = TypeVar("T")
GENERATION_KEY = "nct:generation"
TIMEOUT = 60 * 60 * 24


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


_pending = threading.local()


def invalidate_all(**kwargs: Any) -> None:
    """Leave every cached summary behind (after a reopen, or an edit of what labels them).

    Called on every save of a product record, so it bumps the generation once per transaction,
    when it commits: an import of 10,000 rows costs one bump, not 10,000.
    """
    if getattr(_pending, "scheduled", False):
        return
    _pending.scheduled = True
    transaction.on_commit(_bump)


def _bump() -> None:
    _pending.scheduled = False
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def period_key(kind: str, period: Period) -> str | None:
    """The cache key of `kind` for `period`, or None when the period is open (never cached)."""
    if not period.is_signed_off or period.status_changed_at is None:
        return None
    stamp = period.status_changed_at.timestamp()
    return f"nct:{kind}:{period.pk}:{stamp}:{generation()}"


def for_period(kind: str, period: Period, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache when `period` is signed off."""
    key = period_key(kind, period)
    if key is None:
        return compute()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=TIMEOUT)
    return found  # type: ignore[no-any-return]
