"""Appendices generated from live data as at a report's period.

Each kind of appendix has a builder that asks the owning app's selector for its figures, the
same selector its own pages use, so an appendix can never disagree with the tracker, the
scorecard or the register. A period with no data gives an appendix that says so instead of a
table of zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from committee.choices import AppendixKind
from nct_monitor.models import Period


@dataclass
class AppendixContent:
    """What an appendix shows: a template and its context, or why there is nothing to show."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    empty_message: str = ""

    @property
    def has_data(self) -> bool:
        return not self.empty_message


Builder = Callable[[Period], AppendixContent]
BUILDERS: dict[str, Builder] = {}


def builder(kind: AppendixKind) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        BUILDERS[kind.value] = function
        return function

    return register


def build_appendix(kind: str, period: Period) -> AppendixContent:
    """The content of an appendix of `kind` as at `period`."""
    if kind not in BUILDERS:
        return AppendixContent(
            template="", empty_message=f"Appendices of this kind ({kind}) cannot be produced."
        )
    return BUILDERS[kind](period)


def forecast_figures(period: Period) -> dict[str, Any] | None:
    """The period's forecast pressure and each council's share, written for a paragraph."""
    return None
