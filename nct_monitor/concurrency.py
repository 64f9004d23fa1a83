"""Optimistic locking for the records officers edit per period.

Two officers may open the same savings position, KPI result, risk review or forecast at once.
Each record has a `version`; the edit form carries the version it was filled in from (a
hidden field, a `Stamp`), and the service that saves it, inside its transaction, locks the
period row (`require_open_period`) and then the record (`select_for_update`), compares the
version and adds one to it. A save made from an older version is refused with an
`EditConflict`: nothing is written, and the refusal says who changed the record, when, and
the figures they saved beside the ones the editor tried to save.

Imports take the same locks in the same order (the period first), so an import and a form
save of one period never interleave: whichever comes second waits for the first to finish,
then sees the version it left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

STALE_CODE = "stale"
NOTHING_SAVED = (
    "Nothing was saved. Their figures are shown beside yours: check them, and make your change "
    "again if it is still needed."
)
ACTIONS = {"+": "added", "~": "changed", "-": "removed"}
STAMP = re.compile(r"^(?:new|(\d{1,18}):(\d{1,9}))$")


@dataclass(frozen=True)
class Stamp:
    """The version of a record an editor was shown: its id and version, or `NEW` when there
    was no record yet. The id is part of it because a record removed and added again starts
    again at version 1, and must not pass for the one the editor saw."""

    pk: int | None
    version: int

    @classmethod
    def of(cls, record: models.Model | None) -> Stamp:
        if record is None:
            return NEW
        return cls(int(record.pk), int(record.version))  # type: ignore[attr-defined]

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """The stamp a form carried; ValueError when it is not one."""
        found = STAMP.match((text or "").strip())
        if found is None:
            raise ValueError(f"{text!r} is not a record version")
        if found.group(1) is None:
            return NEW
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return "new" if self.pk is None else f"{self.pk}:{self.version}"

    def matches(self, record: models.Model | None) -> bool:
        """Whether `record` (as it is now; None if there is none) is still what was shown."""
        return self == Stamp.of(record)


NEW = Stamp(None, 0)


@dataclass(frozen=True)
class Difference:
    """One field of a record: as someone else saved it, and as the editor tried to save it.

    A long field (a comment) is shown in full on the page but only named in the message."""

    label: str
    theirs: str
    yours: str
    long: bool = False

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


@dataclass(frozen=True)
class OtherChange:
    """A change someone else saved to a record after the editor opened it."""

    record: str  # the record in the domain's words: "KPI 3, 2023/24 P9"
    who: str
    when: datetime | None
    action: str  # "added", "changed" or "removed"
    reason: str
    differences: tuple[Difference, ...]

    @property
    def when_text(self) -> str:
        if self.when is None:
            return "an unknown time"
        return f"{timezone.localtime(self.when):%H:%M on %-d %B %Y}"

    @property
    def message(self) -> str:
        text = f"{self.who} {self.action} {self.record} at {self.when_text}, after you opened it"
        shown = [
            f"{item.label} {item.theirs or 'blank'} (you entered {item.yours or 'blank'})"
            for item in self.differences
            if item.differs and not item.long
        ]
        named = [item.label for item in self.differences if item.differs and item.long]
        if named:
            shown.append(f"different text in {' and '.join(named)}")
        return f"{text}: {'; '.join(shown)}." if shown else f"{text}."


class EditConflict(ValidationError):
    """A save refused because someone else saved the same record since the editor opened it.

    Nothing of the refused save is written. `changes` holds each record's other change, for
    the page to show their figures beside the editor's.
    """

    def __init__(self, changes: Sequence[OtherChange]) -> None:
        self.changes = list(changes)
        super().__init__(
            [ValidationError(change.message, code=STALE_CODE) for change in self.changes]
            + [ValidationError(NOTHING_SAVED, code=STALE_CODE)]
        )


def person(user: Any) -> str:
    """A user as a change names them: their full name, else their user name."""
    if user is None:
        return "Someone"
    return str(user.get_full_name() or user.get_username())


def other_change(
    *, record: str, history: models.QuerySet[Any], differences: Iterable[Difference]
) -> OtherChange:
    """The latest change in `history` (a record's historical rows), as a refusal shows it.

    The latest is the last written: writes to one record are serialised by its locks, so the
    order of the history rows is the order of the changes, whatever the clock said."""
    latest = history.select_related("history_user").order_by("-history_id").first()
    if latest is None:
        return OtherChange(record, "Someone", None, "changed", "", tuple(differences))
    return OtherChange(
        record=record,
        who=person(latest.history_user),
        when=latest.history_date,
        action=ACTIONS.get(latest.history_type, "changed"),
        reason=latest.history_change_reason or "",
        differences=tuple(differences),
    )


def shown_record(history: models.QuerySet[Any], stamp: Stamp) -> Any | None:
    """The record as the editor was shown it (its historical row at the stamp's version), or
    None when the stamp is `NEW` or the history no longer has that version."""
    if stamp.pk is None:
        return None
    return (
        history.filter(id=stamp.pk, version=stamp.version)
        .exclude(history_type="-")
        .order_by("-history_id")
        .first()
    )
