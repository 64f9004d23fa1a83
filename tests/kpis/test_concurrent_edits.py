"""Two officers entering the same period's KPI results: a result one of them changed after the
other opened the page is not overwritten. A row the second officer changed too is a conflict,
which refuses the whole save and shows the first one's change; a row they left alone is not
written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kpis import services
from kpis.importers import RESULT_COLUMNS, results_importer
from kpis.models import KpiResult
from nct_monitor.concurrency import NEW, NOTHING_SAVED, EditConflict, Stamp
from nct_monitor.importing import apply_return
from nct_monitor.roles import OFFICER
from tests.factories import period
from tests.kpis.factories import KpiDefinitionFactory, result
from tests.spreadsheets import xlsx

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RESULTS = reverse("kpis:results", kwargs={"year": 2024, "period": 1})
P1 = "2024/25 P1"


@pytest.fixture(autouse=True)
def _at_two_past_two(time_machine):
    time_machine.move_to(datetime(2024, 5, 15, 14, 2, tzinfo=LONDON), tick=False)


@pytest.fixture
def alex(make_user):
    return make_user(OFFICER, username="alex", first_name="Alex", last_name="Morgan")


@pytest.fixture
def kpis(db):
    return KpiDefinitionFactory(number=1), KpiDefinitionFactory(number=2)


def entry(kpi, value, version, commentary=""):
    return services.ResultEntry(
        kpi, None if value is None else Decimal(value), None, None, commentary, version
    )


def save(entries, user):
    return services.save_period_results(period=period(P1), entries=entries, user=user)


def stored() -> dict[int, Decimal]:
    return {r.kpi.number: r.value for r in KpiResult.objects.select_related("kpi")}


def test_a_changed_row_whose_result_someone_else_changed_refuses_the_whole_save(
    kpis, alex, officer
):
    kpi1, kpi2 = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, "71", shown, "Improving")], alex)
    history = KpiResult.history.count()

    with pytest.raises(EditConflict) as refused:
        save([entry(kpi1, "70", shown), entry(kpi2, "50", NEW)], officer)

    assert refused.value.messages == [
        "Alex Morgan changed KPI 1's 2024/25 P1 result at 14:02 on 15 May 2024, after you "
        "opened it: Value 71% (you entered 70%); different text in Commentary.",
        NOTHING_SAVED,
    ]
    assert stored() == {1: Decimal("71.00")}  # KPI 2's new result was not written either
    assert KpiResult.history.count() == history


def test_a_row_left_as_it_was_shown_keeps_someone_elses_change(kpis, alex, officer):
    kpi1, kpi2 = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, "71", shown)], alex)

    outcome = save([entry(kpi1, "68", shown), entry(kpi2, "50", NEW)], officer)

    assert (outcome.created, outcome.unchanged) == (1, 1)
    assert stored() == {1: Decimal("71.00"), 2: Decimal("50.00")}


def test_a_row_left_blank_does_not_remove_a_result_someone_else_added(kpis, alex, officer):
    kpi1, kpi2 = kpis
    save([entry(kpi1, "71", NEW)], alex)

    save([entry(kpi1, None, NEW), entry(kpi2, "50", NEW)], officer)

    assert stored() == {1: Decimal("71.00"), 2: Decimal("50.00")}


def test_a_result_someone_else_added_is_not_overwritten(kpis, alex, officer):
    kpi1, _ = kpis
    save([entry(kpi1, "71", NEW)], alex)

    with pytest.raises(EditConflict) as refused:
        save([entry(kpi1, "70", NEW)], officer)

    assert refused.value.messages[0] == (
        "Alex Morgan added KPI 1's 2024/25 P1 result at 14:02 on 15 May 2024, after you opened "
        "it: Value 71% (you entered 70%)."
    )
    assert stored() == {1: Decimal("71.00")}


def test_a_result_someone_else_removed_is_not_brought_back(kpis, alex, officer):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, None, shown)], alex)

    with pytest.raises(EditConflict) as refused:
        save([entry(kpi1, "70", shown)], officer)

    assert refused.value.messages[0] == (
        "Alex Morgan removed KPI 1's 2024/25 P1 result at 14:02 on 15 May 2024, after you "
        "opened it: Value blank (you entered 70%)."
    )
    assert stored() == {}


def test_a_result_removed_and_added_again_is_not_the_one_shown(kpis, alex, officer):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, None, shown)], alex)
    save([entry(kpi1, "68", NEW)], alex)  # back at version 1, with another id

    with pytest.raises(EditConflict):
        save([entry(kpi1, "70", shown)], officer)

    assert stored() == {1: Decimal("68.00")}


def test_the_same_change_made_by_both_is_not_a_conflict(kpis, alex, officer):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, "71", shown)], alex)

    outcome = save([entry(kpi1, "71", shown)], officer)

    assert outcome.unchanged == 1
    assert KpiResult.objects.get().version == 2


def test_each_change_adds_one_to_the_version(kpis, officer):
    kpi1, _ = kpis
    first = result(kpi1, P1, "68")
    save([entry(kpi1, "70", Stamp.of(first))], officer)
    save([entry(kpi1, "72", Stamp(first.pk, 2))], officer)

    assert KpiResult.objects.get().version == 3


def test_a_save_after_an_import_changed_the_result_is_refused(kpis, alex, officer):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    apply_return(
        results_importer,
        xlsx([list(RESULT_COLUMNS), ["KPI 1", "2024/25", 1, 73, None, None, "From the return"]]),
        filename="results.xlsx",
        params={},
        user=alex,
    )

    with pytest.raises(EditConflict) as refused:
        save([entry(kpi1, "70", shown)], officer)

    [change] = refused.value.changes
    assert (change.who, change.reason) == ("Alex Morgan", "Imported from a KPI results return")
    assert stored() == {1: Decimal("73.00")}


def post_data(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for index, (number, version, value) in enumerate(rows):
        data.update(
            {
                f"form-{index}-kpi": str(number),
                f"form-{index}-version": str(version),
                f"form-{index}-value": value,
                f"form-{index}-commentary": "",
            }
        )
    return data


def test_the_results_page_carries_each_results_version(officer_client, kpis):
    kpi1, _ = kpis
    saved = result(kpi1, P1, "68")

    forms = officer_client.get(RESULTS).context["formset"].forms

    assert [form["version"].value() for form in forms] == [f"{saved.pk}:1", "new"]


def test_the_results_page_shows_the_current_figures_and_the_other_change(
    officer_client, kpis, alex
):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, "71", shown, "Improving")], alex)

    response = officer_client.post(RESULTS, post_data([(1, shown, "70"), (2, "new", "50")]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: KPI results for 2024/25 P1" in html
    assert "Alex Morgan changed KPI 1&#x27;s 2024/25 P1 result at 14:02 on 15 May 2024" in html
    assert "Saved by Alex Morgan" in html
    forms = response.context["formset"].forms
    # KPI 1 shows the result as saved now, at its version; KPI 2 keeps what was typed.
    assert [
        (form["value"].value(), form["commentary"].value(), form["version"].value())
        for form in forms
    ] == [("71", "Improving", f"{shown.pk}:2"), ("50", "", "new")]
    assert stored() == {1: Decimal("71.00")}


def test_saving_again_from_the_refreshed_results_page_succeeds(officer_client, kpis, alex):
    kpi1, _ = kpis
    shown = Stamp.of(result(kpi1, P1, "68"))
    save([entry(kpi1, "71", shown)], alex)
    officer_client.post(RESULTS, post_data([(1, shown, "70"), (2, "new", "50")]))

    response = officer_client.post(
        RESULTS, post_data([(1, Stamp(shown.pk, 2), "70"), (2, "new", "50")])
    )

    assert response.status_code == 302
    assert stored() == {1: Decimal("70.00"), 2: Decimal("50.00")}


def test_a_results_post_without_versions_is_refused_as_out_of_date(officer_client, kpis):
    data = post_data([(1, "new", "70"), (2, "new", "50")])
    del data["form-0-version"]

    response = officer_client.post(RESULTS, data)

    assert "This page is out of date" in response.content.decode()
    assert stored() == {}
