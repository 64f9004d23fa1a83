"""Demo data for the contract, from `fixtures/contract.json` (see fixtures/README.md)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.conf import settings

from contracts import selectors, services


def load() -> list[str]:
    data = json.loads((settings.BASE_DIR / "fixtures" / "contract.json").read_text())
    done = []
    contract = selectors.get_contract()
    if contract is None:
        contract = services.create_contract(
            name=data["contract"]["name"],
            provider=data["contract"]["provider"],
            start_date=date.fromisoformat(data["contract"]["start_date"]),
            councils={c["short_name"]: c["name"] for c in data["councils"]},
        )
        done.append(f"Created the contract with {contract.provider}")
    for schedule in data["share_schedules"]:
        shares = {council: Decimal(value) for council, value in schedule["shares"].items()}
        effective_from = date.fromisoformat(schedule["effective_from"])
        if selectors.shares_on(effective_from, contract=contract) != shares:
            services.set_council_shares(
                contract=contract,
                effective_from=effective_from,
                shares=shares,
                note=schedule["note"],
            )
            done.append(f"Set council shares from {effective_from}")
    return done
