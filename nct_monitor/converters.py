"""URL converters: a financial year is written `2023-24` in URLs (a slash would split it)."""

from __future__ import annotations

from nct_monitor.periods import parse_year, year_label


class FinancialYearConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> int:
        return parse_year(value.replace("-", "/"))  # ValueError → 404

    def to_url(self, value: int | str) -> str:
        start = parse_year(value) if isinstance(value, str) else value
        return year_label(start).replace("/", "-")
