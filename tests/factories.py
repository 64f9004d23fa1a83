"""factory_boy factories for the foundation's models. Apps keep theirs in tests/<app>/."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from contracts import services as contract_services
from contracts.models import Contract
from nct_monitor.models import Period
from nct_monitor.selectors import get_period

COUNCIL_NAMES = {
    "NNC": "North Northamptonshire Council",
    "WNC": "West Northamptonshire Council",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.SelfAttribute("username")
    password = factory.django.Password("a-long-test-password")


class ContractFactory(factory.Factory):
    """The contract through its service, with councils and shares from 1 April 2021."""

    class Meta:
        model = Contract

    name = "Service Delivery Contract"
    provider = "Northamptonshire Children's Trust"
    start_date = date(2020, 11, 1)
    shares = factory.LazyFunction(lambda: {"NNC": Decimal("44.16"), "WNC": Decimal("55.84")})

    @classmethod
    def _create(cls, model_class, *, shares, **kwargs):
        contract = contract_services.create_contract(
            councils={short: COUNCIL_NAMES.get(short, f"{short} Council") for short in shares},
            **kwargs,
        )
        contract_services.set_council_shares(
            contract=contract, effective_from=date(2021, 4, 1), shares=shares
        )
        return contract


def period(label: str) -> Period:
    """The period for `2023/24 P9`, from the years every database has."""
    year, _, number = label.partition(" P")
    return get_period(year, int(number))
