"""Writes to savings lines and positions.

Every write for a period goes through `require_open_period`, so a signed-off period's savings
cannot change, and records who made it in the history. The figure rules live in
`savings.rules`; the messages here name the line they are about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Field, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from contracts.models import Contract
from nct_monitor.audit import attribute
from nct_monitor.choices import PeriodStatus
from nct_monitor.concurrency import Difference, EditConflict, other_change
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.records import periods_from, refuse_if_signed_off, signed_off_message
from nct_monitor.services import require_open_period
from savings.models import SavingsLine, SavingsPosition
from savings.rules import FIGURE_LABELS, FIGURES, figure_problems, thousands_text
from savings.selectors import previous_period_with_positions

AnyUser = User | AnonymousUser | None
Progress = Callable[[int, int], None]
BATCH = 500


@dataclass(frozen=True)
class PositionFigures:
    """A position's five figures in pounds."""

    target: Decimal
    red: Decimal
    amber: Decimal
    green: Decimal
    mitigations: Decimal

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in FIGURES}


def tidy(text: str | None) -> str:
    """Text as stored: surrounding spaces gone and runs of spaces made one."""
    return re.sub(r"\s+", " ", text or "").strip()


def title_key(title: str) -> str:
    """How titles are compared: ignoring case and spacing."""
    return tidy(title).casefold()


def _user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


def check_figures(*, title: str, figures: PositionFigures) -> None:
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
    position: SavingsPosition, *, figures: PositionFigures, comment: str
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
    figures: PositionFigures,
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
    figures: PositionFigures,
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
            change=f"Changing the {_and(changed)} of '{locked.title}'",
        )
    locked.ref, locked.title, locked.sro, locked.group = ref, title, sro, group
    attribute(locked, user=user, reason="Line details edited")
    locked.full_clean()
    locked.save()
    return locked


LINE_DETAIL_LABELS = {"ref": "Ref", "title": "title", "sro": "SRO", "group": "group"}


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


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


# Returns: a period's positions for many lines at once, as the importer gives them.


@dataclass(frozen=True)
class ReturnLine:
    """One line of a period return, with the row it came from."""

    row: int
    ref: str
    title: str
    sro: str
    group: str
    figures: PositionFigures
    comment: str


@dataclass(frozen=True)
class ReturnConflict:
    """A return line that cannot be applied because of what is already recorded."""

    row: int
    column: str
    message: str


@dataclass
class ReturnMatch:
    """A return line, the line and position it matches (None: to be created) and what changes.

    Changes map a field to (before, after).
    """

    entry: ReturnLine
    order: int
    line: SavingsLine | None
    position: SavingsPosition | None
    line_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    position_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    previous_target: Decimal | None = None  # the target in the previous period, if different

    @property
    def action(self) -> str:
        if self.line is None or self.position is None:
            return "create"
        return "change" if self.line_changes or self.position_changes else "unchanged"


@dataclass
class ReturnComparison:
    """What a return would do to a period: a match per line, conflicts, and the period's
    positions the return leaves out."""

    period: Period
    matches: list[ReturnMatch]
    conflicts: list[ReturnConflict]
    left_out: list[SavingsLine]
    previous_period: Period | None
    # Lines of the previous period the return does not give a position in this one.
    not_carried: list[SavingsLine] = field(default_factory=list)


def _table_order(lines: Sequence[ReturnLine]) -> list[ReturnLine]:
    """The lines as the tracker shows them: each group together, groups in the order they
    first appear. A line's place is set from this, so a return whose groups are interleaved and
    the tracker's export of it place every line the same way."""
    groups: dict[str, list[ReturnLine]] = {}
    for entry in lines:
        groups.setdefault(entry.group, []).append(entry)
    return [entry for members in groups.values() for entry in members]


def _display_order(positions: Sequence[SavingsPosition]) -> list[int]:
    """The lines of a period's positions (their ids) as the tracker shows them: by place, each
    group together."""
    groups: dict[str, list[int]] = {}
    for position in sorted(positions, key=lambda p: (p.order, p.line_id)):
        groups.setdefault(position.line.group, []).append(position.line_id)
    return [line_id for members in groups.values() for line_id in members]


def _place(matches: list[ReturnMatch], positions: Sequence[SavingsPosition]) -> None:
    """Set where each line sits in the period's table. When every line of the return already
    has a position and the return lists them in the order the tracker shows them (as the
    tracker's export does), every line keeps its place; otherwise the return's order is taken,
    numbering its lines from 1."""
    in_return = [match.position.line_id for match in matches if match.position is not None]
    returned = set(in_return)
    keep = (
        len(in_return) == len(matches)
        and [line_id for line_id in _display_order(positions) if line_id in returned] == in_return
    )
    for number, match in enumerate(matches, start=1):
        if match.position is None:
            match.order = number
        elif keep:
            match.order = match.position.order
        else:
            match.order = number
            if match.position.order != number:
                match.position_changes["order"] = (match.position.order, number)


def compare_return(
    *, contract: Contract, period: Period, lines: Sequence[ReturnLine], lock: bool = False
) -> ReturnComparison:
    """Match each return line to a line of the year, by Ref, else by title, and say what would
    change. Reads every line and position of the year in a few queries, whatever its length."""
    existing_lines = SavingsLine.objects.filter(contract=contract, year_id=period.year_id)
    existing_positions = SavingsPosition.objects.filter(period=period, line__contract=contract)
    if lock:
        existing_lines = existing_lines.select_for_update()
        existing_positions = existing_positions.select_for_update(of=("self",))
    year_lines = list(existing_lines)
    by_ref = {line.ref: line for line in year_lines if line.ref}
    by_title = {title_key(line.title): line for line in year_lines}
    positions = {
        position.line_id: position for position in existing_positions.select_related("line")
    }
    previous_period = previous_period_with_positions(period, contract=contract)
    previous_targets: dict[int, Decimal] = {}
    if previous_period is not None:
        previous_targets = dict(
            SavingsPosition.objects.filter(
                period=previous_period, line__contract=contract
            ).values_list("line_id", "target")
        )

    matches: list[ReturnMatch] = []
    conflicts: list[ReturnConflict] = []
    matched_rows: dict[int, int] = {}
    for order, entry in enumerate(_table_order([*lines]), start=1):
        line = by_ref.get(entry.ref) if entry.ref else None
        same_title = by_title.get(title_key(entry.title))
        if line is None and same_title is not None:
            if entry.ref and same_title.ref and same_title.ref != entry.ref:
                conflicts.append(
                    ReturnConflict(
                        entry.row,
                        "Ref",
                        f"The line '{same_title.title}' has the Ref {same_title.ref}, not "
                        f"{entry.ref}. Give it its Ref, or give this line another title.",
                    )
                )
                continue
            line = same_title
        elif line is not None and same_title is not None and same_title.pk != line.pk:
            conflicts.append(
                ReturnConflict(
                    entry.row,
                    "Savings proposal",
                    f"Ref {entry.ref} is the line '{line.title}', but another line of "
                    f"{period.year.label} is titled '{same_title.title}'"
                    + (f" (Ref {same_title.ref})" if same_title.ref else "")
                    + ": two lines cannot share a title.",
                )
            )
            continue
        if line is not None:
            if line.pk in matched_rows:
                conflicts.append(
                    ReturnConflict(
                        entry.row,
                        "Savings proposal",
                        f"This row and row {matched_rows[line.pk]} are both the line "
                        f"'{line.title}'; each line appears once.",
                    )
                )
                continue
            matched_rows[line.pk] = entry.row
            # A retired line keeps the positions it has, but takes no new one.
            if line.is_retired and line.pk not in positions:
                conflicts.append(
                    ReturnConflict(
                        entry.row,
                        "Savings proposal",
                        f"'{line.title}' was retired on {line.retired_on:%-d %B %Y}; reinstate "
                        "it on its page before a return gives it a position.",
                    )
                )
                continue
        match = ReturnMatch(entry=entry, order=order, line=line, position=None)
        if line is not None:
            after_line = {
                "ref": entry.ref or line.ref,  # a blank Ref leaves the line's Ref as it is
                "title": entry.title,
                "sro": entry.sro,
                "group": entry.group,
            }
            match.line_changes = {
                name: (getattr(line, name), value)
                for name, value in after_line.items()
                if getattr(line, name) != value
            }
            match.position = positions.get(line.pk)
            if match.position is not None:
                after_position: dict[str, Any] = {
                    **entry.figures.as_dict(),
                    "comment": entry.comment,
                    "carried_forward": False,
                }
                match.position_changes = {
                    name: (getattr(match.position, name), value)
                    for name, value in after_position.items()
                    if getattr(match.position, name) != value
                }
            elif line.pk in previous_targets and previous_targets[line.pk] != entry.figures.target:
                match.previous_target = previous_targets[line.pk]
        matches.append(match)
    _place(matches, list(positions.values()))
    conflicts.extend(_signed_off_line_changes(matches))
    in_return = {match.line.pk for match in matches if match.line is not None}
    left_out = [line for line in year_lines if line.pk in positions and line.pk not in in_return]
    not_carried = [
        line
        for line in year_lines
        if line.pk in previous_targets
        and line.pk not in positions
        and line.pk not in in_return
        and not line.is_retired
    ]
    return ReturnComparison(
        period, matches, conflicts, left_out, previous_period, not_carried=not_carried
    )


def _signed_off_line_changes(matches: Sequence[ReturnMatch]) -> list[ReturnConflict]:
    """A conflict for each return line that would change the details of a line that a
    signed-off period prints (its Ref, title, SRO or group), in one query."""
    changing = {
        match.line.pk: match for match in matches if match.line is not None and match.line_changes
    }
    if not changing:
        return []
    signed_off: dict[int, list[str]] = {}
    for line_id, start_year, number in (
        SavingsPosition.objects.filter(line_id__in=changing, period__status=PeriodStatus.SIGNED_OFF)
        .order_by("period__year__start_year", "period__number")
        .values_list("line_id", "period__year__start_year", "period__number")
    ):
        signed_off.setdefault(line_id, []).append(PeriodRef(start_year, number).label)
    conflicts = []
    for line_id, labels in signed_off.items():
        match = changing[line_id]
        assert match.line is not None
        fields = [LINE_DETAIL_LABELS[name] for name in match.line_changes]
        conflicts.append(
            ReturnConflict(
                match.entry.row,
                "Savings proposal" if "title" in match.line_changes else fields[0],
                signed_off_message(
                    labels, change=f"Changing the {_and(fields)} of '{match.line.title}'"
                ),
            )
        )
    return sorted(conflicts, key=lambda conflict: conflict.row)


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
    comparison = compared
    if comparison is None or comparison.period.pk != period.pk:
        comparison = compare_return(contract=contract, period=period, lines=lines, lock=True)
    if comparison.conflicts:
        raise ValidationError([f"Row {c.row}: {c.message}" for c in comparison.conflicts])
    for match in comparison.matches:
        check_figures(title=match.entry.title, figures=match.entry.figures)
    history_user = _user(user)
    now = timezone.now()
    total = max(len(comparison.matches), 1)

    new_lines = []
    changed_lines = []
    for match in comparison.matches:
        entry = match.entry
        if match.line is None:
            match.line = SavingsLine(
                contract=contract,
                year=period.year,
                ref=entry.ref,
                title=entry.title,
                sro=entry.sro,
                group=entry.group,
            )
            match.line.full_clean(
                exclude=["contract", "year"], validate_unique=False, validate_constraints=False
            )
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
    if progress:
        progress(total // 3, total)

    new_positions = []
    changed_positions = []
    for match in comparison.matches:
        entry = match.entry
        if match.position is None:
            position = SavingsPosition(
                line=match.line,
                period=period,
                comment=entry.comment,
                order=match.order,
                updated_by=history_user,
                **entry.figures.as_dict(),
            )
            position.full_clean(
                exclude=["line", "period", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            match.position = position
            new_positions.append(position)
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
        _update_rows(
            SavingsPosition,
            changed_positions,
            [
                *FIGURES,
                "comment",
                "order",
                "carried_forward",
                "version",
                "updated_by",
                "updated_at",
            ],
        )
        SavingsPosition.history.bulk_history_create(  # type: ignore[attr-defined]
            changed_positions,
            batch_size=BATCH,
            update=True,
            default_user=history_user,
            default_change_reason=reason,
        )
    if progress:
        progress(total, total)
    return comparison


def describe_change(name: str, value: Any) -> str:
    """A field's value as the preview shows it: figures in £'000 as the return writes them."""
    if name in FIGURES:
        return thousands_text(value)
    if name == "carried_forward":
        return "carried forward, not reviewed" if value else "confirmed"
    return "" if value is None else str(value)


FIELD_LABELS = {
    "ref": "Ref",
    "title": "Savings proposal",
    "sro": "SRO",
    "group": "Group",
    "order": "Place in the table",
    "comment": "Comments",
    "carried_forward": "Review",
    **{name: f"{label} £'000" for name, label in FIGURE_LABELS.items()},
}
