"""What an import will do, and did: the records it creates, changes or leaves as they are.

A plan is shown as the preview, stored with the run, and fingerprinted, so a confirm applies
only what its preview showed (`PlanChanged` otherwise).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Change:
    """One field an import changes, with its value before and after, as the preview shows them."""

    field: str
    before: str
    after: str


@dataclass
class PlannedItem:
    """One record an import creates or changes (or leaves as it is)."""

    action: str  # "create", "change" or "unchanged"
    label: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What applying a return will do. The same file planned twice plans the same thing."""

    items: list[PlannedItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, action: str, label: str, changes: Sequence[Change] = ()) -> None:
        self.items.append(PlannedItem(action, label, list(changes)))

    @property
    def created(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "create"]

    @property
    def changed(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "change"]

    @property
    def unchanged(self) -> list[PlannedItem]:
        return [item for item in self.items if item.action == "unchanged"]

    def summary(self) -> str:
        return (
            f"{len(self.created)} to create, {len(self.changed)} to change, "
            f"{len(self.unchanged)} unchanged"
        )

    def lines(self) -> list[str]:
        out = []
        for item in self.created:
            out.append(f"create {item.label}")
        for item in self.changed:
            detail = "; ".join(f"{c.field} {c.before} → {c.after}" for c in item.changes)
            out.append(f"change {item.label}: {detail}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": [
                {
                    "action": item.action,
                    "label": item.label,
                    "changes": [c.__dict__ for c in item.changes],
                }
                for item in self.items
            ],
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        return cls(
            items=[
                PlannedItem(
                    item["action"], item["label"], [Change(**change) for change in item["changes"]]
                )
                for item in data.get("items", [])
            ],
            notes=list(data.get("notes", [])),
        )

    def fingerprint(self) -> str:
        """Identifies the plan, so a confirm can check that nothing moved since the preview."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def changes_between(
    before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]
) -> list[Change]:
    """The fields whose value differs, labelled for people."""
    return [
        Change(labels.get(name, name), _show(before.get(name)), _show(after.get(name)))
        for name in after
        if before.get(name) != after.get(name)
    ]


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    return str(value)


class PlanChanged(Exception):
    """The data moved between the preview and the confirm; the new plan is attached."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__("The data has changed since the preview.")
