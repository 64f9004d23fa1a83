"""The contract, its councils and their dated shares."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import Contract, Council, CouncilShare, ShareSchedule
from contracts.record import periods_whose_split_changes
from nct_monitor.finance import validate_shares
from nct_monitor.records import refuse_if_signed_off


@transaction.atomic
def set_council_shares(
    *,
    contract: Contract,
    effective_from: date,
    shares: Mapping[str, Decimal],
    note: str = "",
) -> ShareSchedule:
    """Record the councils' shares from a date; they must total exactly 100.00%.

    Shares are keyed by council short name. Setting shares again for the same date replaces
    them. Nothing is saved when any share is refused, nor when a signed-off period would show
    another split (see `contracts.record.periods_whose_split_changes`).
    """
    councils = {council.short_name: council for council in contract.councils.all()}
    unknown = sorted(set(shares) - set(councils))
    if unknown:
        verb = "is not a council" if len(unknown) == 1 else "are not councils"
        raise ValidationError(
            f"{', '.join(unknown)} {verb} of this contract; its councils are "
            f"{', '.join(sorted(councils))}."
        )
    missing = sorted(set(councils) - set(shares))
    if missing:
        raise ValidationError(f"Give a share for {', '.join(missing)}.")
    for short_name, value in shares.items():
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError(
                {short_name: f"{short_name}'s share must have at most 2 decimals."}
            )
    try:
        validate_shares(shares)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    refuse_if_signed_off(
        periods_whose_split_changes(
            contract=contract, effective_from=effective_from, shares=shares
        ),
        change=f"Setting the councils' shares from {effective_from:%-d %B %Y}",
        field="effective_from",
    )

    schedule, _ = ShareSchedule.objects.update_or_create(
        contract=contract, effective_from=effective_from, defaults={"note": note}
    )
    schedule.shares.exclude(council__short_name__in=list(shares)).delete()
    for short_name, percentage in shares.items():
        share = CouncilShare.objects.filter(schedule=schedule, council=councils[short_name]).first()
        if share is None:
            share = CouncilShare(schedule=schedule, council=councils[short_name])
        share.percentage = percentage
        share.full_clean()
        share.save()
    schedule.full_clean()
    return schedule


@transaction.atomic
def create_contract(
    *, name: str, provider: str, start_date: date, councils: Mapping[str, str]
) -> Contract:
    """A contract and its councils ({short name: full name}); existing councils are reused.

    No period's figures change: a contract has no shares until `set_council_shares` gives them.
    """
    contract = Contract(name=name, provider=provider, start_date=start_date)
    contract.full_clean()
    contract.save()
    for short_name, full_name in councils.items():
        council, _ = Council.objects.get_or_create(
            short_name=short_name, defaults={"name": full_name}
        )
        contract.councils.add(council)
    return contract
