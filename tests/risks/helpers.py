"""Small helpers the risk tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

from risks import services
from risks.models import Risk, RiskReview
from tests.factories import period


def review(
    risk: Risk,
    label: str,
    probability: int,
    impact: int,
    *,
    on: date,
    user: Any = None,
    position: str = "Reviewed at the monthly board",
) -> RiskReview:
    """Record `risk`'s review for the period labelled `label` (e.g. `2024/25 P6`)."""
    return services.record_review(
        risk=risk,
        period=period(label),
        probability=probability,
        impact=impact,
        position=position,
        further_actions="Keep under review",
        reviewer="Director of Finance",
        reviewed_on=on,
        user=user,
    )
