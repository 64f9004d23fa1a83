"""Demo data for savings: the Period 9 (December 2023) savings table of the March 2024 papers,
with its arithmetic corrected (see fixtures/README.md), imported as a return would be."""

from __future__ import annotations

from django.conf import settings

from nct_monitor.importing import apply_return, check_return
from nct_monitor.selectors import get_period
from savings.importers import savings_importer

RETURN = "savings-2023-24-p9.csv"
PARAMS = {"year": "2023/24", "period": 9}


def load() -> list[str]:
    period = get_period(PARAMS["year"], PARAMS["period"])
    if period.is_signed_off:
        return [f"{period.label} is signed off; its savings are left as they are"]
    data = (settings.BASE_DIR / "fixtures" / RETURN).read_bytes()
    plan = check_return(savings_importer, data, filename=RETURN, params=PARAMS)
    if not plan.created and not plan.changed:
        return []
    apply_return(savings_importer, data, filename=RETURN, params=PARAMS, user=None)
    return [
        f"Imported the {period.label} savings return: {len(plan.created)} created, "
        f"{len(plan.changed)} changed"
    ]
