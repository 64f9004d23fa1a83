"""The importers the upload pages and tasks know, by kind; each app registers its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from nct_monitor.importing.plan import ImportPlan

# How far an importer has got: (rows done, rows in all).
Progress = Callable[[int, int], None]


class Importer(Protocol):
    """An app's importer. `check_return` and `apply_return` drive it the same way for the
    command and for the upload pages."""

    kind: str  # the key it is registered under, e.g. "savings"
    title: str  # e.g. "Savings return"
    permission: str  # needed to upload and apply

    def read(
        self, data: bytes, *, filename: str, params: dict[str, Any], progress: Progress | None
    ) -> Any:
        """Parse and check every row, touching no data; raise ImportRefused with every issue."""

    def plan(self, parsed: Any, *, params: dict[str, Any]) -> ImportPlan:
        """Compare the parsed rows with the database (taking any locks the write needs);
        raise ImportRefused for what only the database can show (a signed-off period…)."""

    def write(
        self, parsed: Any, *, params: dict[str, Any], user: Any, progress: Progress | None
    ) -> None:
        """Write what the plan says, and nothing that is unchanged."""

    def describe(self, params: dict[str, Any]) -> str:
        """What the import is for, e.g. `2023/24 P9`."""

    def success_url(self, params: dict[str, Any]) -> str:
        """Where to go once the return is imported."""


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make an importer available to the upload pages (call from the app's `ready`)."""
    IMPORTERS[importer.kind] = importer
    return importer
