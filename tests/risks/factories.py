"""Factories for the risk register."""

from __future__ import annotations

from datetime import date

import factory

from risks.choices import RiskCategory, RiskStatus
from risks.models import Risk, RiskAction


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk
        django_get_or_create = ("ref",)

    ref = factory.Sequence(lambda n: f"CR {n + 1:02d}")
    category = RiskCategory.CORPORATE
    risk_type = "Service delivery"
    owner = "Chief Executive"
    date_raised = date(2021, 4, 1)
    description = factory.Sequence(lambda n: f"Risk {n}: partner funding is withdrawn")
    event = "Partner agency reduces its budget"
    impact_description = "Service delivery constrained"
    mitigating_actions = "1. Regular meetings with funding partners"
    current_position = "Funding agreed for this year"
    further_actions = "Review at year end"
    initial_probability = 3
    initial_impact = 4
    current_probability = 3
    current_impact = 4
    target_probability = 2
    target_impact = 4
    status = RiskStatus.OPEN
    status_date = None


class RiskActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAction

    risk = factory.SubFactory(RiskFactory)
    description = "Agree the funding for next year"
    owner = "Director of Finance"
    due_date = date(2024, 6, 30)
