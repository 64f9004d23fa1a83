from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from nct_monitor.charts import (
    FONT_PT,
    PRINTED_WIDTH_PT,
    Series,
    line_chart,
    money_tick,
    sparkline,
    stacked_bar_chart,
    waterfall_chart,
)
from nct_monitor.finance import format_millions


def test_a_line_chart_is_an_svg_with_an_accessible_name_and_a_data_table():
    chart = line_chart(
        title="KPI 1 trend",
        description="Rising from 80% to 90%.",
        labels=["2024/25 P1", "2024/25 P2"],
        series=[Series("Result", [Decimal("80"), Decimal("90")])],
        target=[Decimal("85"), Decimal("85")],
        value_format=lambda v: f"{v}%",
        empty="No results are recorded for KPI 1.",
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
    chart = _mtfp()
    assert chart.rows[-1] == ["Net contract sum", "£177.429m"]


def test_a_chart_drawn_before_is_reused_and_one_with_other_figures_is_drawn_anew():
    def chart(values):
        return line_chart(
            title="KPI 2 trend",
            description="Two results.",
            labels=["2024/25 P1", "2024/25 P2"],
            series=[Series("Result", values)],
            value_format=str,
            empty="No results are recorded for KPI 2.",
        )

    first = chart([Decimal("10"), Decimal("20")])
    again = chart([Decimal("10"), Decimal("20")])
    other = chart([Decimal("10"), Decimal("30")])

    assert again.svg is first.svg  # the kept drawing, not a new one
    assert other.svg != first.svg
    assert other.rows == [["2024/25 P1", "10"], ["2024/25 P2", "30"]]


def _mtfp(**kwargs):
    return waterfall_chart(
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
        money=True,
        empty="No MTFP amounts are recorded for 2024/25.",
        **kwargs,
    )


def _savings(red, amber, green):
    return stacked_bar_chart(
        title="Savings RAG by period, 2024/25",
        description="Red, amber and green by period.",
        labels=["P1", "P2", "P3"],
        stacks=[Series("Red", red), Series("Amber", amber), Series("Green", green)],
        value_format=format_millions,
        money=True,
        empty="No savings positions are recorded for 2024/25.",
    )


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def _value_ticks(svg: str) -> list[str]:
    return [text for text in _texts(svg) if text.startswith(("£", "−£"))]


@pytest.mark.parametrize(
    ("value", "step", "label"),
    [
        (0, 50_000_000, "£0m"),
        (100_000_000, 50_000_000, "£100m"),
        (1_500_000, 500_000, "£1.5m"),
        (250_000, 250_000, "£0.25m"),
        (-2_000_000, 1_000_000, "−£2m"),
    ],
)
def test_a_money_tick_reads_in_millions_with_the_decimals_its_step_needs(value, step, label):
    assert money_tick(value, step) == label


def test_a_money_axis_reads_in_millions_from_zero_with_no_exponent_or_offset():
    svg = str(_mtfp().svg)
    ticks = _value_ticks(svg)
    assert ticks[0] == "£0m"  # the bars stand on zero
    assert ticks == ["£0m", "£50m", "£100m", "£150m"]
    assert not any(mark in text for text in _texts(svg) for mark in ("e+", "1e", "×10", "+1."))


def test_stacked_bars_stand_on_zero_with_a_money_axis():
    chart = _savings(
        [Decimal("250000"), Decimal("300000"), Decimal("120000")],
        [Decimal("400000"), Decimal("350000"), Decimal("500000")],
        [Decimal("900000"), Decimal("1000000"), Decimal("1100000")],
    )
    ticks = _value_ticks(str(chart.svg))
    assert ticks[0] in ("£0m", "£0.0m", "£0.00m")
    assert all(tick.endswith("m") for tick in ticks)
    assert chart.rows[0] == ["P1", "£0.250m", "£0.400m", "£0.900m"]


def test_chart_text_prints_at_nine_points_or_more_on_the_packs_page():
    pack_css = (
        Path(__file__).resolve().parents[2] / "committee/static/committee/pack.css"
    ).read_text()
    assert "size: A4" in pack_css and "margin: 18mm 18mm" in pack_css  # PRINTED_WIDTH_PT's page
    savings = _savings([Decimal(1)] * 3, [Decimal(2)] * 3, [Decimal(3)] * 3)
    kpi = line_chart(
        title="KPI 1 trend",
        description="Results by period.",
        labels=[f"2024/25 P{n}" for n in range(1, 13)],
        series=[Series("Result", [Decimal(n) for n in range(12)])],
        target=[Decimal(5)] * 12,
        value_format=str,
        empty="No results are recorded for KPI 1.",
    )
    for chart in (_mtfp(), savings, kpi):
        svg = str(chart.svg)
        width = float(re.search(r'width="([\d.]+)pt"', svg)[1])
        sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]
        printed = min(sizes) * PRINTED_WIDTH_PT / width  # the pack draws it at the page's width
        assert width <= PRINTED_WIDTH_PT, chart.title  # never shrunk to fit the page
        assert min(sizes) >= FONT_PT >= 9
        assert printed >= 9, (chart.title, printed)


def test_a_chart_with_no_figures_is_a_sentence_not_an_empty_axes():
    chart = _savings([Decimal(0)] * 3, [Decimal(0)] * 3, [None] * 3)
    assert chart.empty == "No savings positions are recorded for 2024/25."
    assert str(chart.svg) == ""
    no_results = line_chart(
        title="KPI 3 trend",
        description="Results by period.",
        labels=["2024/25 P1", "2024/25 P2"],
        series=[Series("Result", [None, None])],
        value_format=str,
        empty="No results are recorded for KPI 3 from 2024/25 P1 to 2024/25 P2.",
    )
    assert no_results.empty.startswith("No results are recorded for KPI 3")
    for template in ("components/chart.html", "committee/partials/print_chart.html"):
        html = render_to_string(template, {"chart": chart})
        assert "No savings positions are recorded for 2024/25." in html
        assert "<svg" not in html and "<table" not in html
