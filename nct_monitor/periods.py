"""Financial years and periods: parsing and labels.

A financial year runs from 1 April to 31 March and is written `2023/24`. Period 1 is April
and period 12 is March; quarter 1 is periods 1-3, reported at period 3. These are plain values;
the open or signed-off state of a period lives in the `Period` model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

YEAR_PATTERN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*$")
PERIOD_LABEL_PATTERN = re.compile(r"^\s*(\d{4}/\d{2})\s+P(\d{1,2})\s*$", re.IGNORECASE)
QUARTER_LABEL_PATTERN = re.compile(r"^\s*(\d{4}/\d{2})\s+Q([1-4])\s*$", re.IGNORECASE)
QUARTER_END_PERIODS = (3, 6, 9, 12)
MONTH_NAMES = (
    "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "January", "February", "March",
)  # fmt: skip


def year_label(start_year: int) -> str:
    """`2023` → `2023/24`."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_year(text: str | int) -> int:
    """`2023/24` → 2023. ValueError with a clear message when it is not written YYYY/YY."""
    if isinstance(text, int):
        return text
    match = YEAR_PATTERN.match(str(text))
    if not match:
        raise ValueError(
            f"{text!r} is not a financial year: write it as YYYY/YY, for example 2023/24."
        )
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValueError(
            f"{text!r} is not a financial year: the two years must be consecutive, "
            f"for example {year_label(start)}."
        )
    return start


def parse_period_number(value: str | int) -> int:
    """A period number 1-12 (also `P6`); ValueError otherwise."""
    text = str(value).strip().upper().removeprefix("P")
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError(f"{value!r} is not a period: periods are numbered 1 to 12.")
    return int(text)


def parse_quarter(value: str | int) -> int:
    """A quarter 1-4 (also `Q2`); ValueError otherwise."""
    text = str(value).strip().upper().removeprefix("Q")
    if not text.isdigit() or not 1 <= int(text) <= 4:
        raise ValueError(f"{value!r} is not a quarter: quarters are Q1 to Q4.")
    return int(text)


@dataclass(frozen=True, order=True)
class PeriodRef:
    """A period of a financial year as a value: `PeriodRef(2024, 6)` is `2024/25 P6`."""

    start_year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12:
            raise ValueError(f"{self.number!r} is not a period: periods are numbered 1 to 12.")

    @classmethod
    def parse(cls, text: str) -> PeriodRef:
        """`2024/25 P6`, `2024/25 Q2` (its quarter end), `2024/25:6` or `2024:6` → a PeriodRef.

        `2024:6` (start year and period) is the value the period pickers send.
        """
        text = str(text).strip()
        if match := PERIOD_LABEL_PATTERN.match(text):
            return cls(parse_year(match.group(1)), parse_period_number(match.group(2)))
        if match := QUARTER_LABEL_PATTERN.match(text):
            return cls.quarter_end(parse_year(match.group(1)), int(match.group(2)))
        if ":" in text:
            year, _, number = text.partition(":")
            year = year.strip()
            start_year = int(year) if len(year) == 4 and year.isdigit() else parse_year(year)
            return cls(start_year, parse_period_number(number))
        raise ValueError(f"{text!r} is not a period: write it as 2024/25 P6 or 2024/25:6.")

    @classmethod
    def quarter_end(cls, start_year: int, quarter: int) -> PeriodRef:
        return cls(start_year, QUARTER_END_PERIODS[quarter - 1])

    @classmethod
    def containing(cls, day: date) -> PeriodRef:
        """The period a calendar date falls in."""
        start_year = day.year if day.month >= 4 else day.year - 1
        return cls(start_year, (day.month - 4) % 12 + 1)

    @property
    def year_label(self) -> str:
        return year_label(self.start_year)

    @property
    def label(self) -> str:
        return f"{self.year_label} P{self.number}"

    @property
    def quarter(self) -> int:
        return (self.number - 1) // 3 + 1

    @property
    def quarter_label(self) -> str:
        return f"{self.year_label} Q{self.quarter}"

    @property
    def is_quarter_end(self) -> bool:
        return self.number in QUARTER_END_PERIODS

    @property
    def month_start(self) -> date:
        month = (self.number + 2) % 12 + 1
        return date(self.start_year + (1 if month < 4 else 0), month, 1)

    def has_ended(self, today: date) -> bool:
        """Whether the period's month is over on `today`."""
        return self.next().month_start <= today

    @property
    def month_label(self) -> str:
        """`December 2023`, as the papers name a period."""
        return f"{MONTH_NAMES[self.number - 1]} {self.month_start.year}"

    def previous(self) -> PeriodRef:
        """The period before, across the year end: 2024/25 P1 follows 2023/24 P12."""
        if self.number == 1:
            return PeriodRef(self.start_year - 1, 12)
        return PeriodRef(self.start_year, self.number - 1)

    def next(self) -> PeriodRef:
        if self.number == 12:
            return PeriodRef(self.start_year + 1, 1)
        return PeriodRef(self.start_year, self.number + 1)

    def previous_quarter_end(self) -> PeriodRef:
        """The quarter end before this one (this period must be a quarter end)."""
        back = self.previous()
        while not back.is_quarter_end:
            back = back.previous()
        return back

    def latest_quarter_end(self) -> PeriodRef:
        """The latest quarter end at or before this period."""
        here = self
        while not here.is_quarter_end:
            here = here.previous()
        return here

    def __str__(self) -> str:
        return self.label
