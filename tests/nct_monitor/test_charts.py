from __future__ import annotations

from decimal import Decimal

from nct_monitor.charts import Series, line_chart, sparkline, waterfall_chart
from nct_monitor.finance import format_millions


def test_a_line_chart_is_an_svg_with_an_accessible_name_and_a_data_table():
    chart = line_chart(
        title="KPI 1 trend",
        description="Rising from 80% to 90%.",
        labels=["2024/25 P1", "2024/25 P2"],
        series=[Series("Result", [Decimal("80"), Decimal("90")])],
        target=[Decimal("85"), Decimal("85")],
        value_format=lambda v: f"{v}%",
    )
    assert chart.svg.startswith("<svg ")
    assert 'role="img" aria-label="KPI 1 trend. Rising from 80% to 90%."' in chart.svg
    assert chart.headers == ["Period", "Result", "Target"]
    assert chart.rows == [["2024/25 P1", "80%", "85%"], ["2024/25 P2", "90%", "85%"]]


def test_the_same_data_draws_the_same_svg():
    def draw():
        return sparkline([1, 2, 3], label="Trend").__str__()

    assert draw() == draw()


def test_a_waterfall_computes_its_end_total_from_the_steps():
    chart = waterfall_chart(
        title="MTFP 2024/25",
        description="From the initial to the net contract sum.",
        start=("Initial contract sum", Decimal("150938000")),
        steps=[
            ("Inflation", Decimal("9721000")),
            ("Demand", Decimal("25815000")),
            ("Savings", Decimal("-9045000")),
        ],
        end_label="Net contract sum",
        value_format=format_millions,
    )
    assert chart.rows[-1] == ["Net contract sum", "£177.429m"]


def test_a_chart_drawn_before_is_reused_and_one_with_other_figures_is_drawn_anew():
    def chart(values):
        return line_chart(
            title="KPI 2 trend",
            description="Two results.",
            labels=["2024/25 P1", "2024/25 P2"],
            series=[Series("Result", values)],
            value_format=str,
        )

    first = chart([Decimal("10"), Decimal("20")])
    again = chart([Decimal("10"), Decimal("20")])
    other = chart([Decimal("10"), Decimal("30")])

    assert again.svg is first.svg  # the kept drawing, not a new one
    assert other.svg != first.svg
    assert other.rows == [["2024/25 P1", "10"], ["2024/25 P2", "30"]]
