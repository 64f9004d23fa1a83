"""A period return compared with what is recorded: which line of the year each return line is,
what it would change, and what stops it being applied.

`compare_return` only reads; `savings.services.record_return` writes what it found. The
importer's preview shows a comparison with `describe_change` and `FIELD_LABELS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from nct_monitor.choices import PeriodStatus
from nct_monitor.models import Period
from nct_monitor.periods import PeriodRef
from nct_monitor.records import signed_off_message
from savings.figures import Figures
from savings.models import SavingsLine, SavingsPosition
from savings.rules import FIGURE_LABELS, FIGURES, thousands_text
from savings.selectors import previous_period_with_positions

if TYPE_CHECKING:
    from contracts.models import Contract

LINE_DETAIL_LABELS = {"ref": "Ref", "title": "title", "sro": "SRO", "group": "group"}

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


def tidy(text: str | None) -> str:
    """Text as stored: surrounding spaces gone and runs of spaces made one."""
    return re.sub(r"\s+", " ", text or "").strip()


def title_key(title: str) -> str:
    """How titles are compared: ignoring case and spacing."""
    return tidy(title).casefold()


def in_words(words: Sequence[str]) -> str:
    """`Ref`, `Ref and title`, `Ref, title and SRO`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


def describe_change(name: str, value: Any) -> str:
    """A field's value as the preview shows it: figures in £'000 as the return writes them."""
    if name in FIGURES:
        return thousands_text(value)
    if name == "carried_forward":
        return "carried forward, not reviewed" if value else "confirmed"
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ReturnLine:
    """One line of a period return, with the row it came from."""

    row: int
    ref: str
    title: str
    sro: str
    group: str
    figures: Figures
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


@dataclass
class _Recorded:
    """What a return is compared with: the year's lines, the period's positions by line, and
    the previous period's targets by line."""

    period: Period
    lines: list[SavingsLine]
    positions: dict[int, SavingsPosition]
    previous_period: Period | None
    previous_targets: dict[int, Decimal]
    by_ref: dict[str, SavingsLine] = field(init=False)
    by_title: dict[str, SavingsLine] = field(init=False)
    # Each line matched so far, with the row that matched it.
    matched_rows: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_ref = {line.ref: line for line in self.lines if line.ref}
        self.by_title = {title_key(line.title): line for line in self.lines}


def _recorded(*, contract: Contract, period: Period, lock: bool) -> _Recorded:
    """Every line of the year and position of the period in a few queries, locked if asked."""
    existing_lines = SavingsLine.objects.filter(contract=contract, year_id=period.year_id)
    existing_positions = SavingsPosition.objects.filter(period=period, line__contract=contract)
    if lock:
        existing_lines = existing_lines.select_for_update()
        existing_positions = existing_positions.select_for_update(of=("self",))
    previous_period = previous_period_with_positions(period, contract=contract)
    previous_targets: dict[int, Decimal] = {}
    if previous_period is not None:
        previous_targets = dict(
            SavingsPosition.objects.filter(
                period=previous_period, line__contract=contract
            ).values_list("line_id", "target")
        )
    return _Recorded(
        period=period,
        lines=list(existing_lines),
        positions={
            position.line_id: position for position in existing_positions.select_related("line")
        },
        previous_period=previous_period,
        previous_targets=previous_targets,
    )


def _identify(entry: ReturnLine, recorded: _Recorded) -> SavingsLine | ReturnConflict | None:
    """The line of the year a return line is, by Ref, else by title; None for a new line."""
    line = recorded.by_ref.get(entry.ref) if entry.ref else None
    same_title = recorded.by_title.get(title_key(entry.title))
    if line is None and same_title is not None:
        if entry.ref and same_title.ref and same_title.ref != entry.ref:
            return ReturnConflict(
                entry.row,
                "Ref",
                f"The line '{same_title.title}' has the Ref {same_title.ref}, not "
                f"{entry.ref}. Give it its Ref, or give this line another title.",
            )
        return same_title
    if line is not None and same_title is not None and same_title.pk != line.pk:
        return ReturnConflict(
            entry.row,
            "Savings proposal",
            f"Ref {entry.ref} is the line '{line.title}', but another line of "
            f"{recorded.period.year.label} is titled '{same_title.title}'"
            + (f" (Ref {same_title.ref})" if same_title.ref else "")
            + ": two lines cannot share a title.",
        )
    return line


def _matched_line(entry: ReturnLine, recorded: _Recorded) -> SavingsLine | ReturnConflict | None:
    """The line a return line is, once it is known that no other row is that line and that the
    line can take a position; None for a new line."""
    line = _identify(entry, recorded)
    if not isinstance(line, SavingsLine):
        return line
    if line.pk in recorded.matched_rows:
        return ReturnConflict(
            entry.row,
            "Savings proposal",
            f"This row and row {recorded.matched_rows[line.pk]} are both the line "
            f"'{line.title}'; each line appears once.",
        )
    recorded.matched_rows[line.pk] = entry.row
    # A retired line keeps the positions it has, but takes no new one.
    if line.is_retired and line.pk not in recorded.positions:
        return ReturnConflict(
            entry.row,
            "Savings proposal",
            f"'{line.title}' was retired on {line.retired_on:%-d %B %Y}; reinstate "
            "it on its page before a return gives it a position.",
        )
    return line


def _changes(obj: object, after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(obj, name), value)
        for name, value in after.items()
        if getattr(obj, name) != value
    }


def _match(
    entry: ReturnLine, *, order: int, line: SavingsLine | None, recorded: _Recorded
) -> ReturnMatch:
    """A return line beside the line and position it matches, with what it would change."""
    match = ReturnMatch(entry=entry, order=order, line=line, position=None)
    if line is None:
        return match
    match.line_changes = _changes(
        line,
        {
            "ref": entry.ref or line.ref,  # a blank Ref leaves the line's Ref as it is
            "title": entry.title,
            "sro": entry.sro,
            "group": entry.group,
        },
    )
    match.position = recorded.positions.get(line.pk)
    if match.position is not None:
        match.position_changes = _changes(
            match.position,
            {**entry.figures.as_dict(), "comment": entry.comment, "carried_forward": False},
        )
    elif (
        line.pk in recorded.previous_targets
        and recorded.previous_targets[line.pk] != entry.figures.target
    ):
        match.previous_target = recorded.previous_targets[line.pk]
    return match


def compare_return(
    *, contract: Contract, period: Period, lines: Sequence[ReturnLine], lock: bool = False
) -> ReturnComparison:
    """Match each return line to a line of the year, by Ref, else by title, and say what would
    change. Reads every line and position of the year in a few queries, whatever its length."""
    recorded = _recorded(contract=contract, period=period, lock=lock)
    matches: list[ReturnMatch] = []
    conflicts: list[ReturnConflict] = []
    for order, entry in enumerate(_table_order([*lines]), start=1):
        line = _matched_line(entry, recorded)
        if isinstance(line, ReturnConflict):
            conflicts.append(line)
        else:
            matches.append(_match(entry, order=order, line=line, recorded=recorded))
    positions = recorded.positions
    _place(matches, list(positions.values()))
    conflicts.extend(_signed_off_line_changes(matches))
    in_return = {match.line.pk for match in matches if match.line is not None}
    left_out = [
        line for line in recorded.lines if line.pk in positions and line.pk not in in_return
    ]
    not_carried = [
        line
        for line in recorded.lines
        if line.pk in recorded.previous_targets
        and line.pk not in positions
        and line.pk not in in_return
        and not line.is_retired
    ]
    return ReturnComparison(
        period, matches, conflicts, left_out, recorded.previous_period, not_carried=not_carried
    )


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
                    labels, change=f"Changing the {in_words(fields)} of '{match.line.title}'"
                ),
            )
        )
    return sorted(conflicts, key=lambda conflict: conflict.row)
