"""The rules a savings position's figures must keep, written once for the forms, the services
and the importer, and how the savings tables write an amount.

Amounts are pounds (Decimal). The papers and the returns write them in £'000, to the pound:
three decimals at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from savings.choices import Rating

THOUSAND = Decimal(1000)
POUND = Decimal(1)
PENNY = Decimal("0.01")

# The figures of a position, in the order the returns and the tracker print them.
FIGURES = ("target", "red", "amber", "green", "mitigations")
FIGURE_LABELS = {
    "target": "Target",
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "mitigations": "Mitigations",
    "shortfall": "Shortfall",
}


def thousands_text(amount: Decimal) -> str:
    """An amount in pounds as £'000, exact: 1,247 for £1,247,000 and 1,247.5 for £1,247,500.

    Unlike a rounded £'000 column this hides nothing, so a figure in a message or a preview can
    be compared with the spreadsheet cell it came from.
    """
    value = (amount / THOUSAND).quantize(Decimal("0.00001"))
    text = f"{abs(value):,.3f}".rstrip("0").rstrip(".")
    return f"-{text}" if value < 0 else text


def thousands_value(amount: Decimal) -> Decimal:
    """An amount in pounds as an exact £'000 number for a spreadsheet cell: 1247 or 1247.5."""
    value = (amount / THOUSAND).quantize(Decimal("0.001"))
    if value == value.to_integral_value():
        return value.quantize(POUND)
    return Decimal(format(value.normalize(), "f"))


def pounds_from_thousands(value: Decimal) -> Decimal:
    """£'000 (up to 3 decimals) → pounds with 2 decimal places, as money is stored."""
    return (value * THOUSAND).quantize(PENNY)


@dataclass(frozen=True)
class Problem:
    """A figure that breaks a rule: the field it belongs to and what is wrong (in £'000)."""

    field: str
    message: str


def figure_problems(
    *,
    target: Decimal,
    red: Decimal,
    amber: Decimal,
    green: Decimal,
    mitigations: Decimal,
) -> list[Problem]:
    """Every rule the five figures (in pounds) break.

    Each amount is 0 or more and to the pound; red + amber + green is the target; mitigations
    offset red and cannot exceed it.
    """
    values = {
        "target": target,
        "red": red,
        "amber": amber,
        "green": green,
        "mitigations": mitigations,
    }
    problems = []
    for name, value in values.items():
        label = FIGURE_LABELS[name]
        if value < 0:
            problems.append(Problem(name, f"{label} cannot be negative ({thousands_text(value)})."))
        elif value != value.quantize(POUND):
            problems.append(
                Problem(
                    name,
                    f"{label} must be to the pound, at most 3 decimal places in £'000 "
                    f"({(value / THOUSAND).normalize():f}).",
                )
            )
    if problems:
        return problems
    if red + amber + green != target:
        problems.append(
            Problem(
                "target",
                f"Red + Amber + Green = {thousands_text(red)} + {thousands_text(amber)} + "
                f"{thousands_text(green)} = {thousands_text(red + amber + green)}, but the "
                f"target is {thousands_text(target)} (£'000). They must be equal.",
            )
        )
    if mitigations > red:
        problems.append(
            Problem(
                "mitigations",
                f"Mitigations ({thousands_text(mitigations)}) are more than Red "
                f"({thousands_text(red)}) (£'000): mitigations offset red savings and cannot "
                "exceed them.",
            )
        )
    return problems


def rating_of(*, red: Decimal, amber: Decimal) -> Rating:
    """The line's rating: the worst colour holding any amount (see `Rating`)."""
    if red > 0:
        return Rating.RED
    if amber > 0:
        return Rating.AMBER
    return Rating.GREEN
