"""Properties of the importers and the figure forms, on generated input.

Any grid of cells (text, numbers, dates, booleans, blanks, formulas, mostly near what a return
holds) under a template's header is either imported or refused with issues that each name
a sheet and, for a cell's problem, its row below the header; a refused return writes
nothing. The savings and KPI forms take any text without raising, and what they accept fits
the database's figures.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kpis import demo as kpi_demo
from kpis.forms import ResultForm, TargetForm
from kpis.importers import RESULT_COLUMNS, TARGET_COLUMNS, results_importer, targets_importer
from kpis.models import KpiDefinition
from nct_monitor.importing import ImportRefused, apply_return
from nct_monitor.periods import PeriodRef
from risks.importers import COLUMNS as RISK_COLUMNS
from risks.importers import importer as risks_importer
from savings.forms import LineForm, PositionForm
from savings.importers import COLUMNS as SAVINGS_COLUMNS
from savings.importers import savings_importer
from savings.rules import FIGURES
from tests.spreadsheets import imported_row_counts, xlsx

# Small and without a deadline: each example writes and reads a workbook and a database.
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LARGEST_STORED = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)

# Cells: anything a spreadsheet can hold, and what the templates' columns expect.
printable = st.characters(blacklist_categories=("Cs", "Cc"))  # openpyxl refuses control chars
any_cell = st.one_of(
    st.none(),
    st.text(printable, max_size=12),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
    st.booleans(),
    st.sampled_from(["", " ", "N/A", "=1+1", "#N/A", "1,247.5", "£3", "50%", "1e300", "TOTAL"]),
)


# Rows as the templates expect them, which a few spoiled cells and rows then break.
kpi_code = st.sampled_from(["KPI 1", "KPI 2", "KPI 17", "KPI 18", "1", "kpi 19"])
year = st.sampled_from(["2023/24", "2024/25", "2025/26"])
result_row = st.tuples(
    kpi_code,
    year,
    st.one_of(st.integers(1, 12), st.sampled_from(["P6", " 7 "])),
    st.decimals(0, 100, places=2).map(float),
    st.none(),
    st.none(),
    st.one_of(st.none(), st.text(printable, max_size=30)),
).map(list)
target_row = st.tuples(
    kpi_code, year, st.integers(0, 100), st.decimals(0, 10, places=2).map(str)
).map(list)


@st.composite
def risk_row(draw: st.DrawFn) -> list[object]:
    scores = []
    for _ in range(3):
        probability, impact = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        stated = draw(st.sampled_from([probability * impact, None]))
        scores.append((probability, impact, stated))
    raised = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2024, 3, 31)))
    closed = draw(st.one_of(st.none(), st.just(raised)))
    text = st.text(printable, min_size=1, max_size=20).filter(str.strip)
    return [
        f"CR {draw(st.integers(1, 99)):02}",
        draw(st.sampled_from(["Corporate", "Social Care", "Finance and Operational"])),
        draw(st.sampled_from([raised, f"{raised:%d/%m/%Y}"])),
        draw(text),
        None,
        draw(text),
        None,
        None,
        *scores[0],
        None,
        None,
        *scores[1],
        None,
        *scores[2],
        closed,
    ]


@st.composite
def savings_row(draw: st.DrawFn) -> list[object]:
    target = draw(st.integers(0, 1000))
    red = draw(st.integers(0, target))
    amber = draw(st.integers(0, target - red))
    mitigations = draw(st.integers(0, red))
    title = draw(st.sampled_from(["Review of Contracts", "Legal costs", "Fostering", "Agency"]))
    group = draw(st.sampled_from(["NCT", "Valuing care", None]))
    return ["", title, "A SRO", group, target, red, amber, target - red - amber, mitigations, ""]


@st.composite
def spoiled(draw: st.DrawFn, row: st.SearchStrategy[list[object]]) -> list[list[object]]:
    """A few good rows, then perhaps a cell or two replaced by anything, or a row of anything."""
    rows = draw(st.lists(row, min_size=1, max_size=4))
    for _ in range(draw(st.integers(0, 2))):
        cells = rows[draw(st.integers(0, len(rows) - 1))]
        cells[draw(st.integers(0, len(cells) - 1))] = draw(any_cell)
    if draw(st.integers(0, 4)) == 4:
        rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(any_cell, max_size=8)))
    return rows


def as_csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [header, *rows]:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode()


def import_refuses_clearly_or_imports(importer, data, filename, params=None):
    """Import `data` in a transaction rolled back afterwards, so examples do not meet."""
    with transaction.atomic():
        before = imported_row_counts()
        try:
            plan = apply_return(importer, data, filename=filename, params=params or {}, user=None)
        except ImportRefused as refused:
            assert refused.issues
            for issue in refused.issues:
                assert issue.sheet and issue.message
                assert issue.row is None or issue.row >= 2, issue  # the header is the template's
                if issue.column is not None:
                    assert issue.row is not None, issue
            assert imported_row_counts() == before
            event("refused")
        else:
            assert plan.created or plan.changed or plan.unchanged
            event("imported")
        transaction.set_rollback(True)


@pytest.fixture
def kpis(db) -> dict[int, KpiDefinition]:
    kpi_demo.load()
    return {kpi.number: kpi for kpi in KpiDefinition.objects.all()}


@pytest.mark.django_db
@EXAMPLES
@given(rows=spoiled(result_row), as_text=st.booleans())
def test_any_kpi_results_grid_is_imported_or_refused_by_row_and_column(kpis, rows, as_text):
    header = list(RESULT_COLUMNS)
    data, filename = (
        (as_csv(header, rows), "r.csv") if as_text else (xlsx([header, *rows]), "r.xlsx")
    )
    import_refuses_clearly_or_imports(results_importer, data, filename)


@pytest.mark.django_db
@EXAMPLES
@given(rows=spoiled(target_row))
def test_any_kpi_targets_grid_is_imported_or_refused_by_row_and_column(kpis, rows):
    import_refuses_clearly_or_imports(
        targets_importer, xlsx([list(TARGET_COLUMNS), *rows]), "t.xlsx"
    )


@pytest.mark.django_db
@EXAMPLES
@given(rows=spoiled(risk_row()))
def test_any_risk_register_grid_is_imported_or_refused_by_row_and_column(rows):
    import_refuses_clearly_or_imports(risks_importer, xlsx([list(RISK_COLUMNS), *rows]), "r.xlsx")


@pytest.mark.django_db
@EXAMPLES
@given(rows=spoiled(savings_row()))
def test_any_savings_grid_is_imported_or_refused_by_row_and_column(contract, rows):
    import_refuses_clearly_or_imports(
        savings_importer,
        xlsx([list(SAVINGS_COLUMNS), *rows]),
        "s.xlsx",
        {"year": "2023/24", "period": 9},
    )


# Forms: what an officer can type.

typed = st.one_of(
    st.text(max_size=30),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.integers().map(str),
    st.from_regex(r"[-+£]?[0-9,]{0,14}(\.[0-9]{0,5})?(e[-+]?[0-9]{1,4})?%?", fullmatch=True),
)


def fits_a_figure(amount: Decimal | None) -> bool:
    return amount is None or (abs(amount) <= LARGEST_STORED and amount == round(amount, 2))


@EXAMPLES
@given(data=st.fixed_dictionaries({name: typed for name in [*FIGURES, "comment", "version"]}))
def test_the_savings_position_form_never_raises_and_keeps_figures_that_fit(data):
    form = PositionForm(data=data, line_title="Review of Contracts")

    if form.is_valid():
        assert all(fits_a_figure(form.cleaned_data[name]) for name in FIGURES)
        assert all(form.cleaned_data[name] >= 0 for name in FIGURES)


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {name: typed for name in [*FIGURES, "ref", "title", "sro", "group", "comment"]}
    )
)
def test_the_savings_line_form_never_raises_and_keeps_figures_that_fit(data):
    form = LineForm(data=data, groups=["NCT"])

    if form.is_valid():
        assert all(fits_a_figure(form.cleaned_data[name]) for name in FIGURES)


@pytest.mark.django_db
@EXAMPLES
@given(
    number=st.sampled_from([1, 2, 17, 18, 20]),
    data=st.fixed_dictionaries(
        {
            "value": typed,
            "numerator": typed,
            "denominator": typed,
            "commentary": st.text(max_size=50),
            "version": st.sampled_from(["new", "", "x"]),
        }
    ),
)
def test_the_kpi_result_form_never_raises_and_computes_values_that_fit(kpis, number, data):
    form = ResultForm(
        data={**data, "kpi": str(number)}, definition=kpis[number], period=PeriodRef(2024, 6)
    )

    if form.is_valid():
        assert fits_a_figure(form.cleaned_data.get("computed"))


@pytest.mark.django_db
@EXAMPLES
@given(
    number=st.sampled_from([1, 17, 18, 20]),
    data=st.fixed_dictionaries({"target": typed, "tolerance": typed}),
)
def test_the_kpi_target_form_never_raises_and_keeps_figures_that_fit(kpis, number, data):
    form = TargetForm(data={**data, "kpi": str(number)}, definition=kpis[number], locked=[])

    if form.is_valid():
        assert fits_a_figure(form.cleaned_data.get("target"))
        assert fits_a_figure(form.cleaned_data.get("tolerance"))
