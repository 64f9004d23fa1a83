"""The figures of a savings position, and of any sum of positions: one `Figures` for the
forms, the services, the returns, the summary and the exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from nct_monitor.finance import money_json
from savings.choices import Rating
from savings.rules import FIGURES, rating_of

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figures:
    """Target, red, amber, green and mitigations in pounds; shortfall and % green follow."""

    target: Decimal = ZERO
    red: Decimal = ZERO
    amber: Decimal = ZERO
    green: Decimal = ZERO
    mitigations: Decimal = ZERO

    @classmethod
    def of(cls, position: object) -> Figures:
        """The figures a position (or anything holding the five figures) stores."""
        return cls(**{name: getattr(position, name) for name in FIGURES})

    @property
    def shortfall(self) -> Decimal:
        """The red savings not offset by mitigations: a pressure the councils fund."""
        return self.red - self.mitigations

    @property
    def green_percent(self) -> Decimal | None:
        """Green as a percentage of the target, to one decimal place; None for no target."""
        if not self.target:
            return None
        return (self.green * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def rating(self) -> Rating:
        return rating_of(red=self.red, amber=self.amber)

    def as_dict(self) -> dict[str, Decimal]:
        """The five stored figures by field name, in the order the returns print them."""
        return {name: getattr(self, name) for name in FIGURES}

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.target + other.target,
            self.red + other.red,
            self.amber + other.amber,
            self.green + other.green,
            self.mitigations + other.mitigations,
        )

    def __sub__(self, other: Figures) -> Figures:
        return Figures(
            self.target - other.target,
            self.red - other.red,
            self.amber - other.amber,
            self.green - other.green,
            self.mitigations - other.mitigations,
        )

    def as_json(self) -> dict[str, str | None]:
        """The keys of the summary JSON's totals, money as strings of pounds."""
        return {
            "target": money_json(self.target),
            "red": money_json(self.red),
            "amber": money_json(self.amber),
            "green": money_json(self.green),
            "mitigations": money_json(self.mitigations),
            "shortfall": money_json(self.shortfall),
        }


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of `figures`; zero for none."""
    result = Figures()
    for item in figures:
        result = result + item
    return result
