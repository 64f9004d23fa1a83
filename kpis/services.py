"""Writes for KPIs: definitions, targets and tolerances, period results, rectification plans.

Results are period data, so every write of one goes through `require_open_period`. Targets
belong to a year; a target cannot change once a result it rates is in a signed-off period,
since that would change a signed-off scorecard. The rules each write applies (`check_result`,
`check_target` and the rest) are in `kpis.rules`, shared with the forms and the importers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from kpis.choices import PlanStatus
from kpis.conflicts import Figures, figures_of, result_change, shown_figures
from kpis.models import KpiDefinition, KpiResult, KpiTarget, RectificationPlan
from kpis.rules import (
    breach_for,
    check_plan,
    check_result,
    check_results_fit,
    check_target,
    check_target_open,
)
from nct_monitor.audit import attribute, record_history_in_bulk
from nct_monitor.bulk import insert_rows
from nct_monitor.concurrency import EditConflict, OtherChange, Stamp
from nct_monitor.models import FinancialYear, Period
from nct_monitor.records import refuse_if_signed_off
from nct_monitor.services import require_open_period, require_open_periods


def _lock_year(year: FinancialYear) -> None:
    # Signing off a period takes its row lock; holding the year's period rows keeps them from
    # being signed off while a target changes.
    list(Period.objects.select_for_update().filter(year=year).values_list("pk", flat=True))


@transaction.atomic
def set_kpi_target(
    *,
    kpi: KpiDefinition,
    year: FinancialYear,
    target: Decimal | None,
    tolerance: Decimal | None,
    user: Any,
    reason: str | None = None,
    illustrative: bool = False,
) -> KpiTarget:
    """Set a KPI's target and tolerance for a year (creating or changing it).

    `illustrative` marks a target invented for the demonstration, shown labelled as such.
    """
    check_target(kpi, target=target, tolerance=tolerance)
    assert target is not None and tolerance is not None
    existing = KpiTarget.objects.filter(kpi=kpi, year=year).first()
    # The same target set again is left as it is; a changed one is what `illustrative` says.
    same = existing is not None and (existing.target, existing.tolerance) == (target, tolerance)
    if existing is not None and same and (existing.illustrative or not illustrative):
        return existing
    _lock_year(year)
    check_target_open(kpi, year)
    record = existing or KpiTarget(kpi=kpi, year=year)
    record.target = target
    record.tolerance = tolerance
    record.illustrative = illustrative
    record.full_clean()
    attribute(record, user=user, reason=reason)
    record.save()
    return record


@transaction.atomic
def remove_kpi_target(
    *, kpi: KpiDefinition, year: FinancialYear, user: Any, reason: str | None = None
) -> bool:
    """Remove a KPI's target for a year (its results are then `no_target`); False if none."""
    existing = KpiTarget.objects.filter(kpi=kpi, year=year).first()
    if existing is None:
        return False
    _lock_year(year)
    check_target_open(kpi, year)
    attribute(existing, user=user, reason=reason)
    existing.delete()
    return True


@dataclass(frozen=True)
class TargetEntry:
    """A KPI's row on the year's targets form: both blank means no target."""

    kpi: KpiDefinition
    target: Decimal | None
    tolerance: Decimal | None


@dataclass
class Outcome:
    created: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.created} added, {self.changed} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )


@transaction.atomic
def save_year_targets(*, year: FinancialYear, entries: Sequence[TargetEntry], user: Any) -> Outcome:
    """Every KPI's target and tolerance for a year, from the targets form: all or nothing."""
    outcome = Outcome()
    existing = {target.kpi_id: target for target in KpiTarget.objects.filter(year=year)}
    errors: list[ValidationError] = []
    for entry in entries:
        before = existing.get(entry.kpi.pk)
        try:
            if entry.target is None and entry.tolerance is None:
                if remove_kpi_target(kpi=entry.kpi, year=year, user=user):
                    outcome.removed += 1
                else:
                    outcome.unchanged += 1
                continue
            if before is not None and (before.target, before.tolerance) == (
                entry.target,
                entry.tolerance,
            ):
                outcome.unchanged += 1
                continue
            set_kpi_target(
                kpi=entry.kpi,
                year=year,
                target=entry.target,
                tolerance=entry.tolerance,
                user=user,
            )
            if before is None:
                outcome.created += 1
            else:
                outcome.changed += 1
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError([message for error in errors for message in error.messages])
    return outcome


def _lock_result(kpi: KpiDefinition, period: Period) -> KpiResult | None:
    return (
        KpiResult.objects.select_for_update(of=("self",))
        .select_related("kpi", "period__year")
        .filter(kpi=kpi, period=period)
        .first()
    )


@transaction.atomic
def record_kpi_result(
    *,
    kpi: KpiDefinition,
    period: Period,
    value: Decimal | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    commentary: str = "",
    user: Any,
    reason: str | None = None,
    expected: Stamp | None = None,
    illustrative: bool = False,
) -> KpiResult:
    """Record (or correct) a KPI's result for an open period.

    With a numerator and denominator the value is computed from them; a stated value must
    agree. The period must be open, and a quarterly KPI's period a quarter end. With
    `expected` (the result the editor was shown, `NEW` for none), a save made after someone
    else added, changed or removed the result is refused with an `EditConflict`, and nothing is
    written. The period row, then the result, stay locked until the transaction ends.
    `illustrative` marks a result invented for the demonstration, shown labelled as such.
    """
    locked = require_open_period(year=period.year, period=period.number)
    stored = check_result(
        kpi=kpi, period=locked.ref, value=value, numerator=numerator, denominator=denominator
    )
    commentary = (commentary or "").strip()
    wanted: Figures = (stored, numerator, denominator, commentary)
    existing = _lock_result(kpi, locked)
    # The same figures saved again leave the result as it is (a form saves unchanged rows
    # too); changed figures are whatever `illustrative` says, so a real entry is real.
    same = existing is not None and figures_of(existing) == wanted
    if existing is not None and same and (existing.illustrative or not illustrative):
        return existing
    if expected is not None and not expected.matches(existing):
        raise EditConflict([result_change(kpi, locked, existing, wanted)])
    result = existing or KpiResult(kpi=kpi, period=locked)
    if existing is not None:
        result.version += 1
    result.value = stored
    result.numerator = numerator
    result.denominator = denominator
    result.commentary = commentary
    result.illustrative = illustrative
    result.full_clean()
    attribute(result, user=user, reason=reason)
    result.save()
    return result


@dataclass(frozen=True)
class ResultFigures:
    """One result for `record_kpi_results`: its figures as `check_result` stored them."""

    kpi: KpiDefinition
    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str


@transaction.atomic
def record_kpi_results(
    *, entries: list[ResultFigures], user: Any, reason: str | None = None
) -> tuple[int, int]:
    """Record many results at once, as an import does: (created, changed).

    The same rules as `record_kpi_result` (open periods, figures checked by `check_result`),
    written in a few statements: the periods are locked together, new results and their
    history rows are created in bulk, changed ones updated in bulk with their version moved on,
    and unchanged ones left alone.
    """
    require_open_periods(entry.period for entry in entries)
    for entry in entries:
        check_result(
            kpi=entry.kpi,
            period=entry.period.ref,
            value=entry.value if entry.numerator is None else None,
            numerator=entry.numerator,
            denominator=entry.denominator,
        )
    existing = {
        (result.kpi_id, result.period_id): result
        for result in KpiResult.objects.select_for_update().filter(
            period_id__in={entry.period.pk for entry in entries},
            kpi_id__in={entry.kpi.pk for entry in entries},
        )
    }
    created: list[dict[str, Any]] = []
    changed: list[KpiResult] = []
    for entry in entries:
        commentary = entry.commentary.strip()
        wanted: Figures = (entry.value, entry.numerator, entry.denominator, commentary)
        result = existing.get((entry.kpi.pk, entry.period.pk))
        if result is None:
            created.append(
                {
                    "kpi_id": entry.kpi.pk,
                    "period_id": entry.period.pk,
                    "value": entry.value,
                    "numerator": entry.numerator,
                    "denominator": entry.denominator,
                    "commentary": commentary,
                    "version": 1,
                    "illustrative": False,
                }
            )
        elif figures_of(result) != wanted:
            result.value, result.numerator, result.denominator, result.commentary = wanted
            result.version += 1
            result.illustrative = False
            changed.append(result)
    who = user if getattr(user, "is_authenticated", False) else None
    if created:
        # check_result has checked every figure, and the database's constraints hold the rest.
        insert_rows(KpiResult, created)
        new_pks = list(
            KpiResult.objects.filter(
                period_id__in={row["period_id"] for row in created},
                kpi_id__in={row["kpi_id"] for row in created},
            )
            .exclude(pk__in=[result.pk for result in existing.values()])
            .values_list("pk", flat=True)
        )
        record_history_in_bulk(KpiResult, new_pks, user=who, reason=reason)
    if changed:
        for result in changed:
            result.full_clean(
                exclude=["kpi", "period"], validate_unique=False, validate_constraints=False
            )
        bulk_update_with_history(
            changed,
            KpiResult,
            ["value", "numerator", "denominator", "commentary", "version", "illustrative"],
            batch_size=500,
            default_user=who,
            default_change_reason=reason,
        )
    return len(created), len(changed)


@transaction.atomic
def remove_kpi_result(
    *,
    kpi: KpiDefinition,
    period: Period,
    user: Any,
    reason: str | None = None,
    expected: Stamp | None = None,
) -> bool:
    """Remove a KPI's result for an open period (its history keeps it); False if none.

    With `expected`, refused (`EditConflict`) when the result is no longer the one shown.
    """
    locked = require_open_period(year=period.year, period=period.number)
    existing = _lock_result(kpi, locked)
    if existing is None:
        return False
    if expected is not None and not expected.matches(existing):
        raise EditConflict([result_change(kpi, locked, existing, None)])
    attribute(existing, user=user, reason=reason)
    existing.delete()
    return True


@dataclass(frozen=True)
class ResultEntry:
    """A KPI's row on the period's results form: no figures at all means no result.

    `version` is the result the row was filled in from (`NEW` for none), or None to save the
    row whatever happened to the result meanwhile.
    """

    kpi: KpiDefinition
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    version: Stamp | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None


def _entry_figures(entry: ResultEntry, period: Period) -> Figures | None:
    if entry.is_blank:
        return None
    stored = check_result(
        kpi=entry.kpi,
        period=period.ref,
        value=entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
    )
    return (stored, entry.numerator, entry.denominator, entry.commentary.strip())


@transaction.atomic
def save_period_results(*, period: Period, entries: Sequence[ResultEntry], user: Any) -> Outcome:
    """Every due KPI's result for a period, from the results form: all or nothing.

    Each KPI's result is its own record. A row the editor left as it was shown is not
    written, whatever someone else did to that result meanwhile; a row the editor changed
    whose result someone else has changed since is a conflict, and any conflict refuses the
    whole save with an `EditConflict` listing each one, writing nothing.
    """
    locked = require_open_period(year=period.year, period=period.number)
    existing = {
        result.kpi_id: result
        for result in KpiResult.objects.select_for_update().filter(period=locked)
    }
    conflicts: list[OtherChange] = []
    untouched: set[int] = set()
    for entry in entries:
        if entry.version is None:
            continue
        current = existing.get(entry.kpi.pk)
        if entry.version.matches(current):
            continue
        wanted = _entry_figures(entry, locked)
        if wanted == figures_of(current) or wanted == shown_figures(entry.version):
            untouched.add(entry.kpi.pk)
        else:
            conflicts.append(result_change(entry.kpi, locked, current, wanted))
    if conflicts:
        raise EditConflict(conflicts)
    outcome = Outcome()
    for entry in entries:
        before = existing.get(entry.kpi.pk)
        if entry.kpi.pk in untouched:
            outcome.unchanged += 1
            continue
        if entry.is_blank:
            if entry.commentary.strip():
                raise ValidationError(
                    {
                        "value": f"Enter {entry.kpi.code}'s value, or its numerator and "
                        "denominator: commentary needs a result."
                    }
                )
            if before is not None:
                remove_kpi_result(kpi=entry.kpi, period=locked, user=user)
                outcome.removed += 1
            continue
        after = record_kpi_result(
            kpi=entry.kpi,
            period=locked,
            value=entry.value,
            numerator=entry.numerator,
            denominator=entry.denominator,
            commentary=entry.commentary,
            user=user,
        )
        if before is None:
            outcome.created += 1
        elif figures_of(before) == figures_of(after):
            outcome.unchanged += 1
        else:
            outcome.changed += 1
    return outcome


# What a period's scorecard prints or rates by; notes are shown with the definition only.
SHOWN_FIELDS = (
    "title",
    "unit",
    "polarity",
    "frequency",
    "minimum",
    "maximum",
    "baseline",
    "baseline_year",
)
DEFINITION_FIELDS = (*SHOWN_FIELDS, "notes")


@transaction.atomic
def save_kpi_definition(
    *,
    number: int,
    title: str,
    unit: str,
    polarity: str,
    frequency: str,
    minimum: Decimal | None,
    maximum: Decimal | None,
    baseline: Decimal | None,
    baseline_year: FinancialYear | None,
    notes: str = "",
    user: Any,
    reason: str | None = None,
) -> KpiDefinition:
    """Create or change a KPI's definition (administrators).

    Refused when results already recorded would break it: a quarterly KPI with results at
    other periods, or results outside a narrower range.
    """
    definition = KpiDefinition.objects.select_for_update().filter(
        number=number
    ).first() or KpiDefinition(number=number)
    wanted = {
        "title": title.strip(),
        "unit": unit,
        "polarity": polarity,
        "frequency": frequency,
        "minimum": minimum,
        "maximum": maximum,
        "baseline": baseline,
        "baseline_year": baseline_year,
        "notes": notes.strip(),
    }
    if definition.pk is not None and all(
        getattr(definition, name) == wanted[name] for name in DEFINITION_FIELDS
    ):
        return definition
    if definition.pk is not None:
        changed = [name for name in SHOWN_FIELDS if getattr(definition, name) != wanted[name]]
        if changed:
            # Every signed-off result of the KPI is printed and rated by these fields.
            refuse_if_signed_off(
                Period.objects.filter(
                    pk__in=KpiResult.objects.filter(kpi=definition).values("period_id")
                ),
                change=f"Changing {definition.code}'s "
                + ", ".join(name.replace("_", " ") for name in changed),
                field=changed[0],
            )
    for name, value in wanted.items():
        setattr(definition, name, value)
    definition.full_clean()
    if definition.pk is not None:
        check_results_fit(definition)
    attribute(definition, user=user, reason=reason)
    definition.save()
    return definition


@transaction.atomic
def record_rectification_plan(
    *,
    kpi: KpiDefinition,
    period: Period,
    owner: str,
    actions: str,
    due_date: date,
    status: str = PlanStatus.NOT_STARTED,
    progress: str = "",
    user: Any,
    illustrative: bool = False,
) -> RectificationPlan:
    """Record the rectification plan for a KPI's persistent breach as at `period`.

    The plan is linked to the breach's first red period, so it stays the breach's plan for as
    long as the run of red results goes on.
    """
    breach_start, breach_end = breach_for(kpi, period)
    existing = RectificationPlan.objects.filter(kpi=kpi, breach_start=breach_start).first()
    if existing is not None:
        raise ValidationError(
            f"{kpi.code}'s breach from {existing.first_label} already has a rectification "
            "plan: update that one."
        )
    plan = RectificationPlan(
        kpi=kpi,
        breach_start=breach_start,
        breach_end=breach_end,
        owner=owner,
        actions=actions,
        due_date=due_date,
        status=status,
        progress=progress,
        illustrative=illustrative,
    )
    check_plan(plan)
    attribute(plan, user=user, reason="Recorded")
    plan.save()
    return plan


@transaction.atomic
def update_rectification_plan(
    *,
    plan: RectificationPlan,
    owner: str,
    actions: str,
    due_date: date,
    status: str,
    progress: str = "",
    user: Any,
) -> RectificationPlan:
    """Update a rectification plan: its owner, actions, due date, status and progress."""
    locked = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
    locked.owner = owner
    locked.actions = actions
    locked.due_date = due_date
    locked.status = status
    locked.progress = progress
    check_plan(locked)
    attribute(locked, user=user, reason="Updated")
    locked.save()
    return locked
