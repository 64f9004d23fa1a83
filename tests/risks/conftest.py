"""Fixtures for the risk register's tests: the register file and a controllable clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def register_file() -> bytes:
    """The Trust's register (Appendix 8) in the import layout, as the demo loads it."""
    return (settings.BASE_DIR / "fixtures" / "risk_register.csv").read_bytes()


@pytest.fixture
def on_day(time_machine):
    """`on_day(2024, 10, 15)` moves the clock to noon that day in London."""

    def travel(year: int, month: int, day: int) -> None:
        time_machine.move_to(datetime(year, month, day, 12, 0, tzinfo=LONDON), tick=False)

    return travel
