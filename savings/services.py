"""Writes to savings lines and positions.

Every write for a period goes through `require_open_period`, so a signed-off period's savings
cannot change, and records who made it in the history. The figure rules live in
`savings.rules`; the messages here name the line they are about. A return is compared with
what is recorded in `savings.returns`, and applied here by `record_return`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Field, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from nct_monitor.audit import attribute
from nct_monitor.concurrency import Difference, EditConflict, other_change
from nct_monitor.models import Period
from nct_monitor.records import periods_from, refuse_if_signed_off
from nct_monitor.services import require_open_period
from savings.figures import Figures
from savings.models import SavingsLine, SavingsPosition

# The return comparison's names, as callers of the services have long imported them from here.
from savings.returns import (
    FIELD_LABELS,
    LINE_DETAIL_LABELS,
    ReturnComparison,
    ReturnConflict,
    ReturnLine,
    ReturnMatch,
    compare_return,
    describe_change,
    in_words,
    tidy,
    title_key,
)
from savings.rules import FIGURE_LABELS, FIGURES, figure_problems, thousands_text
from savings.selectors import previous_period_with_positions

if TYPE_CHECKING:
    from contracts.models import Contract

__all__ = [
    "FIELD_LABELS",
    "Figures",
    "PositionFigures",
    "ReturnComparison",
    "ReturnConflict",
    "ReturnLine",
    "ReturnMatch",
    "add_line",
    "check_figures",
    "compare_return",
    "describe_change",
    "position_differences",
    "record_return",
    "reinstate_line",
    "retire_line",
    "start_period",
    "tidy",
    "title_key",
    "update_line",
    "update_position",
]

# The name the position figures had before they became one `Figures`.
PositionFigures = Figures
AnyUser = User | AnonymousUser | None
Progress = Callable[[int, int], None]
BATCH = 500


def _user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


def check_figures(*, title: str, figures: Figures) -> None:
    """ValidationError, by field, for every rule the figures break; each message names the
    line."""
    problems = figure_problems(**figures.as_dict())
    if problems:
        raise ValidationError(
            {problem.field: f"{title}: {problem.message}" for problem in problems}
        )


def _position_open(position: SavingsPosition) -> Period:
    return require_open_period(year=position.period.year, period=position.period.number)


def position_differences(
    position: SavingsPosition, *, figures: Figures, comment: str
) -> tuple[Difference, ...]:
    """A position's saved figures beside the ones an editor tried to save, in £'000."""
    return (
        *(
            Difference(
                f"{FIGURE_LABELS[name]} £'000",
                thousands_text(getattr(position, name)),
                thousands_text(value),
            )
            for name, value in figures.as_dict().items()
        ),
        Difference("Comments", position.comment, (comment or "").strip(), long=True),
    )


@transaction.atomic
def update_position(
    *,
    position: SavingsPosition,
    figures: Figures,
    comment: str,
    user: AnyUser,
    expected_version: int | None = None,
) -> SavingsPosition:
    """Change a line's figures and comment for its period.

    With `expected_version` (the version the editor was shown), an edit made after someone else
    changed the position is refused with an `EditConflict` naming their change, and nothing is
    written, so neither change is silently lost. The period row, then the position, stay locked
    until the transaction ends, as an import of the period locks them, so the check and the
    write cannot interleave with another save.
    """
    _position_open(position)
    locked = (
        SavingsPosition.objects.select_for_update(of=("self",))
        .select_related("line", "period__year")
        .get(pk=position.pk)
    )
    title = locked.line.title
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(
            [
                other_change(
                    record=f"{title} ({locked.period.label})",
                    history=SavingsPosition.history.filter(id=locked.pk),  # type: ignore[attr-defined]
                    differences=position_differences(locked, figures=figures, comment=comment),
                )
            ]
        )
    check_figures(title=title, figures=figures)
    for name, value in figures.as_dict().items():
        setattr(locked, name, value)
    locked.comment = (comment or "").strip()
    locked.carried_forward = False
    locked.version += 1
    locked.updated_by = _user(user)
    attribute(locked, user=user, reason=f"Edited on the {locked.period.label} tracker")
    locked.full_clean()
    locked.save()
    return locked


def _check_line_identity(
    *, contract: Contract, year_id: int, ref: str, title: str, exclude_pk: int | None = None
) -> None:
    others = SavingsLine.objects.filter(contract=contract, year_id=year_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    errors: dict[str, str] = {}
    if ref and others.filter(ref=ref).exists():
        errors["ref"] = f"Another savings line of this year has the Ref {ref}."
    if others.filter(title__iexact=title).exists():
        errors["title"] = f"Another savings line of this year is titled '{title}'."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_line(
    *,
    contract: Contract,
    period: Period,
    ref: str,
    title: str,
    sro: str,
    group: str,
    figures: Figures,
    comment: str,
    user: AnyUser,
) -> SavingsPosition:
    """A new savings line of the period's year, with its position in that period."""
    period = require_open_period(year=period.year, period=period.number)
    ref, title, sro, group = tidy(ref), tidy(title), tidy(sro), tidy(group)
    if not title:
        raise ValidationError({"title": "Enter the savings proposal's title."})
    if not group:
        raise ValidationError({"group": f"{title}: enter the group the line belongs to."})
    _check_line_identity(contract=contract, year_id=period.year_id, ref=ref, title=title)
    check_figures(title=title, figures=figures)
    last = SavingsPosition.objects.filter(period=period, line__contract=contract).aggregate(
        last=Max("order")
    )["last"]
    line = SavingsLine(
        contract=contract,
        year=period.year,
        ref=ref,
        title=title,
        sro=sro,
        group=group,
    )
    attribute(line, user=user, reason=f"Added on the {period.label} tracker")
    line.full_clean()
    line.save()
    position = SavingsPosition(
        line=line,
        period=period,
        comment=(comment or "").strip(),
        order=(last or 0) + 1,
        updated_by=_user(user),
    )
    for name, value in figures.as_dict().items():
        setattr(position, name, value)
    attribute(position, user=user, reason=f"Added on the {period.label} tracker")
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def update_line(
    *, line: SavingsLine, ref: str, title: str, sro: str, group: str, user: AnyUser
) -> SavingsLine:
    """Change what describes a line (its Ref, title, SRO or group) for every period."""
    locked = SavingsLine.objects.select_for_update().get(pk=line.pk)
    ref, title, sro, group = tidy(ref), tidy(title), tidy(sro), tidy(group)
    if not title:
        raise ValidationError({"title": "Enter the savings proposal's title."})
    if not group:
        raise ValidationError({"group": f"{title}: enter the group the line belongs to."})
    _check_line_identity(
        contract=locked.contract, year_id=locked.year_id, ref=ref, title=title, exclude_pk=line.pk
    )
    changed = [
        LINE_DETAIL_LABELS[name]
        for name, value in (("ref", ref), ("title", title), ("sro", sro), ("group", group))
        if getattr(locked, name) != value
    ]
    if changed:
        # Every period the line has a position in prints these details.
        refuse_if_signed_off(
            Period.objects.filter(savings_positions__line=locked),
            change=f"Changing the {in_words(changed)} of '{locked.title}'",
        )
    locked.ref, locked.title, locked.sro, locked.group = ref, title, sro, group
    attribute(locked, user=user, reason="Line details edited")
    locked.full_clean()
    locked.save()
    return locked


def _refuse_retirement_change(line: SavingsLine, day: date, *, doing: str) -> None:
    """A line's retirement from `day` changes which lines its year's periods from then list
    as missing; refuse it when one of those periods is signed off."""
    refuse_if_signed_off(
        periods_from(day).filter(year_id=line.year_id),
        change=f"{doing} '{line.title}' from {day:%-d %B %Y}",
        field="retired_on" if doing == "Retiring" else None,
    )


@transaction.atomic
def retire_line(*, line: SavingsLine, retired_on: date, reason: str, user: AnyUser) -> SavingsLine:
    """Stop a line taking new positions. Its positions and history stay as they are."""
    locked = SavingsLine.objects.select_for_update().get(pk=line.pk)
    if locked.is_retired:
        raise ValidationError(f"{locked.title} is already retired.")
    reason = tidy(reason)
    if not reason:
        raise ValidationError({"reason": f"Give the reason for retiring {locked.title}."})
    _refuse_retirement_change(locked, retired_on, doing="Retiring")
    locked.retired_on = retired_on
    locked.retired_reason = reason
    attribute(locked, user=user, reason=f"Retired: {reason}")
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def reinstate_line(*, line: SavingsLine, user: AnyUser) -> SavingsLine:
    """Let a retired line take positions again."""
    locked = SavingsLine.objects.select_for_update().get(pk=line.pk)
    if not locked.is_retired:
        raise ValidationError(f"{locked.title} is not retired.")
    assert locked.retired_on is not None
    _refuse_retirement_change(locked, locked.retired_on, doing="Reinstating")
    locked.retired_on = None
    locked.retired_reason = ""
    attribute(locked, user=user, reason="Reinstated")
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def start_period(*, period: Period, contract: Contract, user: AnyUser) -> list[SavingsPosition]:
    """Copy the previous period's positions forward into `period`, for review.

    The previous period is the latest earlier one of the same year with positions. Lines that
    already have a position in `period`, and retired lines, are left out. Each copy is marked
    as carried forward until an officer saves it or a return confirms it.
    """
    period = require_open_period(year=period.year, period=period.number)
    previous = previous_period_with_positions(period, contract=contract)
    if previous is None:
        raise ValidationError(
            f"No earlier period of {period.year.label} has savings positions to copy forward. "
            "Upload a return or add the lines instead."
        )
    present = set(
        SavingsPosition.objects.filter(period=period, line__contract=contract).values_list(
            "line_id", flat=True
        )
    )
    copies = []
    for source in SavingsPosition.objects.filter(
        period=previous, line__contract=contract, line__retired_on__isnull=True
    ).exclude(line_id__in=present):
        copy = SavingsPosition(
            line_id=source.line_id,
            period=period,
            target=source.target,
            red=source.red,
            amber=source.amber,
            green=source.green,
            mitigations=source.mitigations,
            comment=source.comment,
            order=source.order,
            carried_forward=True,
            updated_by=_user(user),
        )
        copy.full_clean(exclude=["line", "period", "updated_by"], validate_constraints=False)
        copies.append(copy)
    if not copies:
        raise ValidationError(
            f"Every line of {previous.label} already has a position for {period.label}."
        )
    return bulk_create_with_history(
        copies,
        SavingsPosition,
        batch_size=BATCH,
        default_user=_user(user),
        default_change_reason=f"Carried forward from {previous.label}",
    )


def _update_rows(
    model: type[models.Model], objects: Sequence[models.Model], fields: list[str]
) -> None:
    """Write `fields` of each object with one prepared UPDATE run for them all.

    Django's `bulk_update` builds a CASE expression for every field of every row, which takes
    many seconds for a long return; the rows are already locked and checked, so one statement
    executed for many rows does the same work in a fraction of the time. The database
    constraints still check every row.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [field for name in fields if isinstance(field := meta.get_field(name), Field)]
    assert meta.pk is not None and len(columns) == len(fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(str(field.column))} = %s" for field in columns)
        + f" WHERE {quote(str(meta.pk.column))} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _comparison_to_apply(
    *,
    contract: Contract,
    period: Period,
    lines: Sequence[ReturnLine],
    compared: ReturnComparison | None,
) -> ReturnComparison:
    """The comparison a return is applied from, made under lock unless one already was; a
    ValidationError for any conflict or figure that breaks a rule."""
    comparison = compared
    if comparison is None or comparison.period.pk != period.pk:
        comparison = compare_return(contract=contract, period=period, lines=lines, lock=True)
    if comparison.conflicts:
        raise ValidationError([f"Row {c.row}: {c.message}" for c in comparison.conflicts])
    for match in comparison.matches:
        check_figures(title=match.entry.title, figures=match.entry.figures)
    return comparison


def _line_of(match: ReturnMatch, *, contract: Contract, period: Period) -> SavingsLine:
    entry = match.entry
    line = SavingsLine(
        contract=contract,
        year=period.year,
        ref=entry.ref,
        title=entry.title,
        sro=entry.sro,
        group=entry.group,
    )
    line.full_clean(exclude=["contract", "year"], validate_unique=False, validate_constraints=False)
    return line


def _write_lines(
    comparison: ReturnComparison,
    *,
    contract: Contract,
    period: Period,
    history_user: User | None,
    reason: str,
) -> None:
    """Create the return's new lines and change the details of those that differ."""
    new_lines = []
    changed_lines = []
    for match in comparison.matches:
        if match.line is None:
            match.line = _line_of(match, contract=contract, period=period)
            new_lines.append(match.line)
        elif match.line_changes:
            for name, (_, after) in match.line_changes.items():
                setattr(match.line, name, after)
            changed_lines.append(match.line)
    if new_lines:
        created = bulk_create_with_history(
            new_lines,
            SavingsLine,
            batch_size=BATCH,
            default_user=history_user,
            default_change_reason=reason,
        )
        # Some databases do not return new primary keys from a bulk insert; the history helper
        # reads the rows back in the same order.
        for line, saved in zip(new_lines, created, strict=True):
            line.pk = saved.pk
    if changed_lines:
        _update_rows(SavingsLine, changed_lines, ["ref", "title", "sro", "group"])
        SavingsLine.history.bulk_history_create(  # type: ignore[attr-defined]
            changed_lines,
            batch_size=BATCH,
            update=True,
            default_user=history_user,
            default_change_reason=reason,
        )


def _position_of(
    match: ReturnMatch, *, period: Period, history_user: User | None
) -> SavingsPosition:
    entry = match.entry
    position = SavingsPosition(
        line=match.line,
        period=period,
        comment=entry.comment,
        order=match.order,
        updated_by=history_user,
        **entry.figures.as_dict(),
    )
    position.full_clean(
        exclude=["line", "period", "updated_by"], validate_unique=False, validate_constraints=False
    )
    return position


POSITION_FIELDS = [
    *FIGURES,
    "comment",
    "order",
    "carried_forward",
    "version",
    "updated_by",
    "updated_at",
]


def _write_positions(
    comparison: ReturnComparison, *, period: Period, history_user: User | None, reason: str
) -> None:
    """Create the return's new positions and change those that differ, as a new version."""
    now = timezone.now()
    new_positions = []
    changed_positions = []
    for match in comparison.matches:
        if match.position is None:
            match.position = _position_of(match, period=period, history_user=history_user)
            new_positions.append(match.position)
        elif match.position_changes:
            position = match.position
            for name, (_, after) in match.position_changes.items():
                setattr(position, name, after)
            position.version += 1
            position.updated_by = history_user
            position.updated_at = now
            changed_positions.append(position)
    if new_positions:
        bulk_create_with_history(
            new_positions,
            SavingsPosition,
            batch_size=BATCH,
            default_user=history_user,
            default_change_reason=reason,
        )
    if changed_positions:
        _update_rows(SavingsPosition, changed_positions, POSITION_FIELDS)
        SavingsPosition.history.bulk_history_create(  # type: ignore[attr-defined]
            changed_positions,
            batch_size=BATCH,
            update=True,
            default_user=history_user,
            default_change_reason=reason,
        )


@transaction.atomic
def record_return(
    *,
    contract: Contract,
    period: Period,
    lines: Sequence[ReturnLine],
    user: AnyUser,
    reason: str,
    progress: Progress | None = None,
    compared: ReturnComparison | None = None,
) -> ReturnComparison:
    """Apply a period return: create the new lines and positions, change what differs, leave
    the rest untouched (so the same return applied twice changes nothing the second time).

    All of it or nothing. Bulk writes keep a long return to a handful of queries; the figures
    were checked row by row before, and the database constraints check them again.
    `compared` may be a comparison of these lines made with `lock=True` earlier in the same
    transaction (as the importer's plan is), so it need not be made twice.
    """
    period = require_open_period(year=period.year, period=period.number)
    comparison = _comparison_to_apply(
        contract=contract, period=period, lines=lines, compared=compared
    )
    history_user = _user(user)
    total = max(len(comparison.matches), 1)
    _write_lines(
        comparison, contract=contract, period=period, history_user=history_user, reason=reason
    )
    if progress:
        progress(total // 3, total)
    _write_positions(comparison, period=period, history_user=history_user, reason=reason)
    if progress:
        progress(total, total)
    return comparison
