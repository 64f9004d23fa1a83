"""What the savings tracker registers with the period record: its sign-off checks and the
figures a period's papers print."""

from __future__ import annotations

from django.urls import reverse

from nct_monitor.models import Period
from nct_monitor.records import Gap
from savings.figures import Figures
from savings.rules import FIGURE_LABELS, thousands_text
from savings.selectors import savings_summary


def _tracker(period: Period) -> str:
    return reverse(
        "savings:tracker", kwargs={"year": period.year.start_year, "period": period.number}
    )


def _titles(titles: list[str]) -> str:
    shown = ", ".join(f"'{title}'" for title in titles[:3])
    return shown + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")


def sign_off_checks(period: Period) -> list[Gap]:
    """Savings lines not reviewed for the period: positions still carried forward unchanged
    from the previous period, and lines of the previous period with no position in this one."""
    summary = savings_summary(period)
    gaps = []
    if not summary.has_positions and summary.previous_period is not None:
        gaps.append(
            Gap(
                "Savings",
                f"No savings positions are recorded for {period.label}.",
                _tracker(period),
            )
        )
    carried = [item.line.title for item in summary.lines if item.position.carried_forward]
    if carried:
        gaps.append(
            Gap(
                "Savings",
                f"{len(carried)} savings line{'s are' if len(carried) != 1 else ' is'} carried "
                f"forward and not reviewed: {_titles(carried)}.",
                _tracker(period),
            )
        )
    missing = [line.title for line in summary.missing_lines]
    if missing:
        gaps.append(
            Gap(
                "Savings",
                f"{len(missing)} line{'s' if len(missing) != 1 else ''} of "
                f"{summary.previous_period.label if summary.previous_period else 'the year'} "
                f"{'have' if len(missing) != 1 else 'has'} no position: {_titles(missing)}.",
                _tracker(period),
            )
        )
    return gaps


def _figures(prefix: str, figures: Figures) -> dict[str, str]:
    return {
        f"{prefix}, {FIGURE_LABELS[name]} (£'000)": thousands_text(getattr(figures, name))
        for name in FIGURE_LABELS
    }


def printed_figures(period: Period) -> dict[str, str]:
    """Each line's, group's and the whole table's figures, in £'000 as the table prints them."""
    summary = savings_summary(period)
    if not summary.has_positions:
        return {}
    printed: dict[str, str] = {}
    for group in summary.groups:
        for item in group.lines:
            printed.update(_figures(f"Savings, {item.line.title}", item.figures))
        printed.update(_figures(f"Savings, TOTAL {group.name}", group.figures))
    printed.update(_figures("Savings, TOTAL SAVINGS", summary.totals))
    for council, amount in summary.shortfall_shares.items():
        printed[f"Savings, shortfall share, {council} (£)"] = f"{amount:,.2f}"
    return printed
