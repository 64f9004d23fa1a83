"""What the risk register registers with the period record: its sign-off checks and the
figures a period's register prints."""

from __future__ import annotations

from django.urls import reverse

from nct_monitor.models import Period
from nct_monitor.records import Gap
from risks.models import Risk, RiskReview
from risks.selectors import period_key, register


def review_url(risk: Risk, period: Period) -> str:
    """The page that records `risk`'s review for `period`."""
    url = reverse("risks:riskreview_add", kwargs={"pk": risk.pk})
    return f"{url}?period={period_key(period)}"


def sign_off_checks(period: Period) -> list[Gap]:
    """Each risk open at the end of the period (and raised by then) with no review for it."""
    reviewed = set(RiskReview.objects.filter(period=period).values_list("risk_id", flat=True))
    return [
        Gap(
            "Risks",
            f"{item.risk.ref} has no review for {period.label}.",
            review_url(item.risk, period),
        )
        for item in register(as_at=period)
        if item.is_open and item.risk.pk not in reviewed
    ]


def printed_figures(period: Period) -> dict[str, str]:
    """Each risk's current score as at the period (from its latest review by then) and its
    target score, as the register prints them."""
    printed: dict[str, str] = {}
    for item in register(as_at=period):
        printed[f"Risk {item.risk.ref}, current score"] = str(item.current.value)
        printed[f"Risk {item.risk.ref}, target score"] = str(item.target.value)
    return printed
