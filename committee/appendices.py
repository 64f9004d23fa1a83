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


@builder(AppendixKind.RISK_EXTRACT)
def risk_extract(period: Period) -> AppendixContent:
    """Open risks scored high or very high at the period's end, by band, highest first; the
    lower bands are counted, so the extract accounts for every open risk."""
    from risks.matrix import bands
    from risks.selectors import register

    positions = [position for position in register(as_at=period) if position.is_open]
    if not positions:
        return AppendixContent(
            template="",
            empty_message=f"No open risks are recorded on the register at {period.label}.",
        )
    ordered = sorted(bands(), key=lambda band: band.low, reverse=True)
    shown = [band for band in ordered if band.key in {"very_high", "high"}]
    groups = [
        (
            band,
            sorted(
                (p for p in positions if p.band.key == band.key), key=lambda p: -p.current.value
            ),
        )
        for band in shown
    ]
    counted = [
        (band, sum(1 for p in positions if p.band.key == band.key))
        for band in ordered
        if band not in shown
    ]
    return AppendixContent(
        template="committee/appendices/risk_extract.html",
        context={"groups": groups, "counted": counted, "open_count": len(positions)},
    )


def forecast_figures(period: Period) -> dict[str, Any] | None:
    """The period's forecast pressure and each council's share, written for a paragraph."""
    return None
