from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import InvestToSaveLine
from tests.contracts.factories import InvestToSaveLineFactory

pytestmark = pytest.mark.django_db


def test_the_net_is_funding_less_offsetting_grants_split_between_the_councils(contract):
    InvestToSaveLineFactory(amount=Decimal("1300000"))
    InvestToSaveLineFactory(amount=Decimal("516000"))
    InvestToSaveLineFactory(kind="grant", title="DfE grant", amount=Decimal("300000"))

    [figures] = selectors.invest_to_save(start_year=2023)

    assert figures.funding_total == Decimal("1816000.00")
    assert figures.grants_total == Decimal("300000.00")
    assert figures.net == Decimal("1516000.00")
    assert figures.net_shares == {"NNC": Decimal("669465.60"), "WNC": Decimal("846534.40")}


def test_each_programme_and_year_has_its_own_net(contract):
    InvestToSaveLineFactory(amount=Decimal("1816000"))
    InvestToSaveLineFactory(year="2024/25", amount=Decimal("1280000"))
    InvestToSaveLineFactory(year="2024/25", amount=Decimal("410000"))

    assert [(f.year_label, f.net) for f in selectors.invest_to_save()] == [
        ("2023/24", Decimal("1816000.00")),
        ("2024/25", Decimal("1690000.00")),
    ]


def test_a_programme_is_matched_whatever_its_spelling(contract):
    InvestToSaveLineFactory(programme="Circle to Success")

    line = InvestToSaveLineFactory(
        programme="  circle  to success ", kind="grant", amount=Decimal(1)
    )

    assert line.programme == "Circle to Success"
    assert len(selectors.invest_to_save()) == 1


def test_a_grant_larger_than_the_funding_it_offsets_is_refused(contract):
    InvestToSaveLineFactory(amount=Decimal("300000"))

    with pytest.raises(ValidationError) as error:
        InvestToSaveLineFactory(kind="grant", title="DfE grant", amount=Decimal("330000"))

    assert error.value.message_dict == {
        "amount": [
            "Grants for Circle to Success in 2023/24 would be £330,000.00, more than its funding "
            "of £300,000.00: a grant offsets funding, so it cannot be larger."
        ]
    }
    assert InvestToSaveLine.objects.count() == 1


def test_reducing_funding_below_its_grants_is_refused(contract):
    funding = InvestToSaveLineFactory(amount=Decimal("1300000"))
    InvestToSaveLineFactory(kind="grant", amount=Decimal("300000"))

    with pytest.raises(ValidationError):
        services.update_invest_to_save_line(
            line=funding,
            programme="Circle to Success",
            year="2023/24",
            kind="funding",
            title=funding.title,
            amount=Decimal("200000"),
        )

    funding.refresh_from_db()
    assert funding.amount == Decimal("1300000.00")


def test_negative_invest_to_save_money_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        InvestToSaveLineFactory(amount=Decimal("-1"))

    assert error.value.message_dict == {"amount": ["Amount must be £0 or more, not −£1.00."]}
