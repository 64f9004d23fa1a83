"""The 5×5 risk scoring matrix: likelihood and impact scales, scores and bands.

This is the only definition of how a risk is scored and coloured. Every page, table, export,
JSON summary and report asks this module for a score's band, so no two places can colour the
same score differently.

A score is always probability × impact, each on 1-5, computed and never typed. The bands are
configuration: set `NCT_RISK_BANDS` in the settings to change them. Each band is
`(key, name, lowest score, highest score, colour)`; the colour is a GOV.UK tag colour, and the
band's name is always shown beside it, so colour is never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Level:
    """One point of the likelihood or impact scale."""

    value: int
    name: str
    definition: str
    percentage: str = ""

    @property
    def label(self) -> str:
        """`4 High (75%)` or `3 Moderate`."""
        if self.percentage:
            return f"{self.value} {self.name} ({self.percentage})"
        return f"{self.value} {self.name}"


# From the Trust's business plan, Appendix 8 ("Risk likelihood").
LIKELIHOOD: dict[int, Level] = {
    1: Level(1, "Very low", "Unlikely to occur", "5%"),
    2: Level(2, "Low", "May occur", "25%"),
    3: Level(3, "Medium", "Is as likely as not to occur", "50%"),
    4: Level(4, "High", "Is likely to occur", "75%"),
    5: Level(5, "Almost certain", "Is almost certain to occur", "95%"),
}

# From Appendix 8 ("Definitions of risk impact classifications"): service, financial loss,
# complaints and media, objectives, and injury.
IMPACT: dict[int, Level] = {
    1: Level(
        1,
        "Insignificant",
        "Annoyance but does not disrupt service; financial loss under £5,000; isolated service "
        "user complaints; failure to achieve a unit level objective; slight injury to an "
        "employee or service user.",
    ),
    2: Level(
        2,
        "Minor",
        "Minor impact on service; financial loss between £5,000 and £50,000; service user "
        "complaints contained within the directorate; failure to achieve several team plan "
        "objectives; minor injury to a service user or staff.",
    ),
    3: Level(
        3,
        "Moderate",
        "Disruption to service causing some concern; financial loss between £51,000 and "
        "£250,000; adverse local media coverage or a significant number of service user "
        "complaints; failure to achieve a service plan objective; injury resulting in loss of "
        "working time.",
    ),
    4: Level(
        4,
        "Major",
        "Significant service disruption; financial loss between £250,000 and £1,000,000; "
        "adverse national media coverage; failure to achieve one or more strategic plan "
        "objectives; serious injury or permanent disablement.",
    ),
    5: Level(
        5,
        "Catastrophic",
        "Total failure of service for a significant period; financial loss over £1,000,000; "
        "national adverse media coverage for more than 3 days, possible resignation of a chief "
        "or senior officer; failure to achieve a strategic theme or major corporate objective; "
        "a fatality.",
    ),
}


@dataclass(frozen=True)
class Band:
    """A range of scores shown in one colour, always with its name."""

    key: str  # low, medium, high, very_high: the keys JSON and filters use
    name: str
    low: int
    high: int
    colour: str  # a GOV.UK tag colour: green, yellow, orange, red, …

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int) and self.low <= score <= self.high

    @property
    def tag_class(self) -> str:
        return f"govuk-tag nct-band nct-band--{self.colour}"

    @property
    def cell_class(self) -> str:
        return f"nct-risk-cell nct-risk-cell--{self.colour}"

    @property
    def range_label(self) -> str:
        return f"{self.low}–{self.high}"


DEFAULT_BANDS: tuple[tuple[str, str, int, int, str], ...] = (
    ("low", "Low", 1, 3, "green"),
    ("medium", "Medium", 4, 6, "yellow"),
    ("high", "High", 8, 12, "orange"),
    ("very_high", "Very high", 15, 25, "red"),
)

POSSIBLE_SCORES = tuple(sorted({p * i for p in SCALE for i in SCALE}))


def bands() -> tuple[Band, ...]:
    """The bands in force (from `NCT_RISK_BANDS`, else the register's own), lowest first.

    Read on each call so that a changed setting applies everywhere at once. Every score a
    5×5 matrix can give must fall in exactly one band.
    """
    configured = getattr(settings, "NCT_RISK_BANDS", DEFAULT_BANDS)
    found = tuple(Band(*entry) for entry in configured)
    for score in POSSIBLE_SCORES:
        holders = [band.name for band in found if score in band]
        if len(holders) != 1:
            raise ImproperlyConfigured(
                f"NCT_RISK_BANDS must put the score {score} in exactly one band; "
                f"it is in {len(holders)} ({', '.join(holders) or 'none'})."
            )
    return tuple(sorted(found, key=lambda band: band.low))


def band_keys() -> list[str]:
    return [band.key for band in bands()]


def band_for(score: int) -> Band:
    """The band a score falls in."""
    for band in bands():
        if score in band:
            return band
    raise ValueError(f"{score!r} is not a risk score: scores are probability × impact, 1 to 25.")


def band_by_key(key: str) -> Band:
    for band in bands():
        if band.key == key:
            return band
    raise KeyError(key)


def score(probability: int, impact: int) -> int:
    """Probability × impact, each a whole number 1 to 5."""
    for name, value in (("probability", probability), ("impact", impact)):
        if not isinstance(value, int) or isinstance(value, bool) or value not in SCALE:
            raise ValueError(f"The {name} must be a whole number from 1 to 5, not {value!r}.")
    return probability * impact


@dataclass(frozen=True)
class Score:
    """A probability and impact with the score and band they give."""

    probability: int
    impact: int

    @property
    def value(self) -> int:
        return score(self.probability, self.impact)

    @property
    def band(self) -> Band:
        return band_for(self.value)

    @property
    def likelihood_level(self) -> Level:
        return LIKELIHOOD[self.probability]

    @property
    def impact_level(self) -> Level:
        return IMPACT[self.impact]

    def describe(self) -> str:
        """`16, very high (probability 4 high × impact 4 major)`, for screen readers and text."""
        return (
            f"{self.value}, {self.band.name.lower()} (probability {self.probability} "
            f"{self.likelihood_level.name.lower()} × impact {self.impact} "
            f"{self.impact_level.name.lower()})"
        )

    def __str__(self) -> str:
        return f"{self.probability} × {self.impact} = {self.value}"
