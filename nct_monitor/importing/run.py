"""Checking a return (writing nothing) and applying it (all of it, or nothing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from nct_monitor.caching import invalidate_all
from nct_monitor.importing.plan import ImportPlan, PlanChanged
from nct_monitor.importing.registry import Importer, Progress


def check_return(
    importer: Importer,
    data: bytes,
    *,
    filename: str,
    params: dict[str, Any],
    progress: Progress | None = None,
) -> ImportPlan:
    """What importing the return would do; ImportRefused lists every problem. Writes nothing."""
    parsed = importer.read(data, filename=filename, params=params, progress=progress)
    with transaction.atomic():
        return importer.plan(parsed, params=params)


def apply_return(
    importer: Importer,
    data: bytes,
    *,
    filename: str,
    params: dict[str, Any],
    user: Any,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check the return again and write it in one transaction: all of it or nothing.

    With `expected_fingerprint` (from a preview), raises PlanChanged rather than write
    anything other than what the user saw.
    """
    parsed = importer.read(data, filename=filename, params=params, progress=progress)
    with transaction.atomic():
        plan = importer.plan(parsed, params=params)
        if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
            raise PlanChanged(plan)
        importer.write(parsed, params=params, user=user, progress=progress)
    # Imports write in bulk, which sends no save signals: leave cached summaries behind here.
    invalidate_all()
    return plan
