"""Writing KPI results, targets, definitions and rectification plans through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis import services
from kpis.choices import Frequency, PlanStatus, Unit
from kpis.models import KpiResult, KpiTarget, RectificationPlan
from nct_monitor import services as period_services
from nct_monitor.periods import PeriodRef
from nct_monitor.selectors import get_year
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, quarterly_count_kpi, result, series, target

pytestmark = pytest.mark.django_db


def D(text):
    return Decimal(text)


def check(kpi, label="2024/25 P6", value=None, numerator=None, denominator=None):
    return services.check_result(
        kpi=kpi,
        period=PeriodRef.parse(label),
        value=None if value is None else D(value),
        numerator=None if numerator is None else D(numerator),
        denominator=None if denominator is None else D(denominator),
    )


def errors_of(call):
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_a_value_from_numerator_and_denominator_is_a_percentage_to_two_places():
    kpi = KpiDefinitionFactory(number=1)
    assert check(kpi, numerator="2", denominator="3") == D("66.67")


def test_a_stated_value_that_agrees_to_one_decimal_place_is_accepted():
    kpi = KpiDefinitionFactory(number=1)
    assert check(kpi, value="66.7", numerator="2", denominator="3") == D("66.67")
    assert check(kpi, value="66.62", numerator="2", denominator="3") == D("66.67")


def test_a_stated_value_that_disagrees_names_the_stated_and_computed_figures():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi, value="60", numerator="50", denominator="100")) == {
        "value": [
            "KPI 1's stated value 60% does not agree with its numerator and denominator: "
            "50 ÷ 100 gives 50%. Correct one of them, or leave the value blank to have it "
            "computed."
        ]
    }


def test_a_stated_value_just_beyond_the_agreement_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    # 2 ÷ 3 = 66.67; 66.61 is 0.06 away.
    assert "value" in errors_of(lambda: check(kpi, value="66.61", numerator="2", denominator="3"))


def test_a_denominator_of_zero_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi, numerator="5", denominator="0")) == {
        "denominator": ["KPI 1's denominator is 0, so no value can be computed from it."]
    }


def test_a_numerator_without_a_denominator_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi, numerator="5")) == {
        "denominator": ["Enter KPI 1's denominator as well as its numerator, or neither."]
    }


def test_a_percentage_above_100_is_refused_for_a_kpi_that_does_not_allow_it():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi, value="120")) == {
        "value": ["KPI 1 allows 0% to 100%: 120% is outside that."]
    }


def test_a_percentage_computed_above_100_is_refused_too():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi, numerator="12", denominator="10")) == {
        "value": [
            "KPI 1 allows 0% to 100%: 120% is outside that (computed from its numerator and "
            "denominator)."
        ]
    }


def test_a_negative_percentage_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    assert "value" in errors_of(lambda: check(kpi, value="-1"))


def test_a_percentage_defined_without_limits_is_0_to_100():
    agency = KpiDefinitionFactory(number=17, minimum=None, maximum=None)
    assert errors_of(lambda: check(agency, value="120")) == {
        "value": ["KPI 17 allows 0% to 100%: 120% is outside that."]
    }
    assert check(agency, value="100") == D("100.00")


def test_a_percentage_may_be_given_a_wider_range_by_its_definition():
    growth = KpiDefinitionFactory(number=17, minimum=None, maximum=D("150"))
    assert check(growth, value="120") == D("120.00")


def test_a_negative_count_is_refused():
    kpi = quarterly_count_kpi()
    assert errors_of(lambda: check(kpi, "2024/25 P6", value="-1")) == {
        "value": ["KPI 20 is a count, so it cannot be negative; -1 is not allowed."]
    }


def test_a_count_must_be_whole():
    kpi = quarterly_count_kpi()
    assert errors_of(lambda: check(kpi, "2024/25 P6", value="1.5")) == {
        "value": ["KPI 20 is a count, so its value must be a whole number, not 1.5."]
    }


def test_a_quarterly_kpi_at_a_month_that_is_not_a_quarter_end_is_refused():
    kpi = quarterly_count_kpi()
    assert errors_of(lambda: check(kpi, "2024/25 P5", value="1")) == {
        "period": [
            "KPI 20 is reported quarterly, at a quarter end (period 3, 6, 9 or 12, or Q1 to "
            "Q4); 2024/25 P5 is not a quarter end."
        ]
    }


def test_a_result_needs_a_figure():
    kpi = KpiDefinitionFactory(number=1)
    assert errors_of(lambda: check(kpi)) == {
        "value": ["Enter KPI 1's value, or its numerator and denominator."]
    }


def test_days_are_averaged_from_total_days_and_children():
    kpi = KpiDefinitionFactory(number=18, unit=Unit.DAYS, maximum=None)
    assert check(kpi, numerator="1250", denominator="9") == D("138.89")


def test_recording_a_result_keeps_its_history_with_who_changed_it(officer):
    kpi = KpiDefinitionFactory(number=1)
    first = result(kpi, "2024/25 P6", "70", user=officer)
    result(kpi, "2024/25 P6", "72", commentary="Corrected", user=officer)
    stored = KpiResult.objects.get(pk=first.pk)
    assert stored.value == D("72.00")
    assert [h.value for h in stored.history.order_by("history_date")] == [D("70"), D("72")]
    assert stored.history.first().history_user == officer


def test_recording_the_same_result_again_changes_nothing():
    kpi = KpiDefinitionFactory(number=1)
    first = result(kpi, "2024/25 P6", "70")
    result(kpi, "2024/25 P6", "70.00")
    assert first.history.count() == 1


def test_a_result_for_a_signed_off_period_is_refused(admin_user):
    kpi = KpiDefinitionFactory(number=1)
    period_services.sign_off_period(
        period=period("2023/24 P9"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    with pytest.raises(ValidationError, match="2023/24 P9 is signed off"):
        result(kpi, "2023/24 P9", "70")
    assert not KpiResult.objects.exists()


def test_saving_a_period_is_all_or_nothing():
    good = KpiDefinitionFactory(number=1)
    bad = KpiDefinitionFactory(number=2)
    entries = [
        services.ResultEntry(good, D("70"), None, None, ""),
        services.ResultEntry(bad, D("170"), None, None, ""),
    ]
    with pytest.raises(ValidationError):
        services.save_period_results(period=period("2024/25 P6"), entries=entries, user=None)
    assert not KpiResult.objects.exists()


def test_clearing_a_result_removes_it_and_its_history_keeps_it():
    kpi = KpiDefinitionFactory(number=1)
    result(kpi, "2024/25 P6", "70")
    outcome = services.save_period_results(
        period=period("2024/25 P6"),
        entries=[services.ResultEntry(kpi, None, None, None, "")],
        user=None,
    )
    assert outcome.removed == 1
    assert not KpiResult.objects.exists()
    assert KpiResult.history.filter(history_type="-").count() == 1


def test_a_tolerance_below_zero_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    with pytest.raises(ValidationError) as raised:
        target(kpi, "2024/25", "80", "-1")
    assert raised.value.message_dict == {
        "tolerance": ["KPI 1's tolerance cannot be below 0; it is -1."]
    }
    assert not KpiTarget.objects.exists()


def test_a_target_outside_the_kpis_range_is_refused():
    kpi = KpiDefinitionFactory(number=1)
    with pytest.raises(ValidationError) as raised:
        target(kpi, "2024/25", "120", "5")
    assert raised.value.message_dict == {
        "target": ["KPI 1 allows 0% to 100%: 120% cannot be its target."]
    }


def test_a_target_that_rates_a_signed_off_result_cannot_change(admin_user):
    kpi = KpiDefinitionFactory(number=1)
    target(kpi, "2023/24", "80", "5")
    result(kpi, "2023/24 P9", "70")
    period_services.sign_off_period(
        period=period("2023/24 P9"),
        user=admin_user,
        exceptions_reason="Gaps accepted for this test",
    )
    with pytest.raises(ValidationError, match=r"signed-off periods \(2023/24 P9\)"):
        target(kpi, "2023/24", "70", "5")
    assert KpiTarget.objects.get().target == D("80")
    # Setting the same target again is not a change, and another year is free.
    target(kpi, "2023/24", "80", "5")
    target(kpi, "2024/25", "70", "5")


def test_a_kpi_cannot_become_quarterly_while_it_has_monthly_results():
    kpi = KpiDefinitionFactory(number=1)
    result(kpi, "2024/25 P5", "70")
    with pytest.raises(ValidationError, match="2024/25 P5 is not a quarter end"):
        services.save_kpi_definition(
            number=1,
            title=kpi.title,
            unit=kpi.unit,
            polarity=kpi.polarity,
            frequency=Frequency.QUARTERLY,
            minimum=kpi.minimum,
            maximum=kpi.maximum,
            baseline=kpi.baseline,
            baseline_year=None,
            user=None,
        )


def _breaching_kpi():
    kpi = KpiDefinitionFactory(number=1)
    target(kpi, "2023/24", "80", "5")
    target(kpi, "2024/25", "80", "5")
    series(kpi, "2023/24 P11", ["60", "60", "60"])
    return kpi


def test_a_rectification_plan_is_linked_to_the_breachs_first_red_period(officer):
    kpi = _breaching_kpi()
    plan = services.record_rectification_plan(
        kpi=kpi,
        period=period("2024/25 P1"),
        owner="Director of Children's Services",
        actions="Weekly triage review.",
        due_date=date(2024, 7, 31),
        user=officer,
    )
    assert (plan.breach_start.label, plan.breach_end.label) == ("2023/24 P11", "2024/25 P1")
    assert plan.status == PlanStatus.NOT_STARTED


def test_a_plan_needs_a_breach():
    kpi = KpiDefinitionFactory(number=1)
    with pytest.raises(ValidationError, match="not in persistent breach as at 2024/25 P1"):
        services.record_rectification_plan(
            kpi=kpi,
            period=period("2024/25 P1"),
            owner="Someone",
            actions="Something",
            due_date=date(2024, 7, 31),
            user=None,
        )
    assert not RectificationPlan.objects.exists()


def test_updating_a_plan_keeps_its_history(officer):
    kpi = _breaching_kpi()
    plan = services.record_rectification_plan(
        kpi=kpi,
        period=period("2024/25 P1"),
        owner="Director",
        actions="Weekly triage review.",
        due_date=date(2024, 7, 31),
        user=officer,
    )
    services.update_rectification_plan(
        plan=plan,
        owner="Director",
        actions="Weekly triage review.",
        due_date=date(2024, 8, 31),
        status=PlanStatus.IN_PROGRESS,
        progress="Triage started.",
        user=officer,
    )
    assert [h.status for h in plan.history.order_by("history_date")] == [
        "not_started",
        "in_progress",
    ]


def test_a_year_without_targets_stays_without(officer):
    kpi = KpiDefinitionFactory(number=1)
    outcome = services.save_year_targets(
        year=get_year("2024/25"),
        entries=[services.TargetEntry(kpi, None, None)],
        user=officer,
    )
    assert (outcome.created, outcome.unchanged) == (0, 1)
