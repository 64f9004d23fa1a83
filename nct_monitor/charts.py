"""Charts drawn on the server as SVG, the same in a web page and in a PDF report.

Each builder returns a `Chart`: the SVG, an accessible name, a one-sentence description and the
data as a table, which `templates/components/chart.html` prints under the chart as its text
alternative. A builder given no figures draws nothing: its Chart carries the sentence that says
so (`empty`), which the templates print instead of an empty axes. Money is given in pounds and
its axis reads in £m (`money=True`); bars stand on zero; and the figure is drawn at the width of
the pack's printed page, so its text prints at `FONT_PT` or more. matplotlib is slow to import,
so it is imported inside the builders.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Frontend colours, so charts match the tags and tables around them.
COLOURS = {
    "red": "#d4351c",
    "amber": "#f47738",
    "green": "#00703c",
    "blue": "#1d70b8",
    "purple": "#4c2c92",
    "grey": "#505a5f",
    "light-grey": "#b1b4b6",
    "black": "#0b0c0c",
    "band": "#cce2d8",
}


# The pack's printed width (A4 less 18mm margins, see committee/static/committee/pack.css) and
# the text size of a chart at that width: a chart is drawn no wider, so it prints at least so big.
PRINTED_WIDTH_PT = (210 - 2 * 18) / 25.4 * 72
FONT_PT = 11
FIGURE_WIDTH_IN = 6.7

# Charts kept in memory by each process, the least recently shown dropped first (an SVG is a few
# tens of kB).
CHARTS_KEPT = 200
_drawn_svgs: OrderedDict[str, SafeString] = OrderedDict()
_drawn_lock = threading.Lock()


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]
    colour: str = COLOURS["blue"]


@dataclass
class Chart:
    """An SVG chart with its text alternative."""

    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # When there are no figures to draw: the sentence shown instead of the chart.
    empty: str = ""


def _empty(title: str, description: str, message: str) -> Chart:
    return Chart(title, description, mark_safe(""), empty=message)


def _has_figures(values: Sequence[Decimal | float | None]) -> bool:
    return any(value is not None and value != 0 for value in values)


def money_tick(value: float, step: float) -> str:
    """An axis label for `value` pounds, on an axis whose ticks are `step` pounds apart: £m with
    as many decimals as the step needs (£0m, £50m; £1.5m; £0.25m), never an exponent."""
    step_m = abs(step) / 1_000_000
    decimals = 0
    while decimals < 3 and step_m and round(step_m, decimals) != round(step_m, 6):
        decimals += 1
    amount = abs(value) / 1_000_000
    text = f"£{amount:,.{decimals}f}m"
    return f"−{text}" if value < 0 and round(amount, decimals) != 0 else text


def _value_axis(ax: Any, *, money: bool) -> None:
    """Ticks at round numbers; money in £m; no offset or scientific notation."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator, ScalarFormatter  # slow: see _figure

    locator = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10])
    ax.yaxis.set_major_locator(locator)
    if money:

        def label(value: float, _position: int | None) -> str:
            ticks = locator.tick_values(*ax.get_ylim())
            step = ticks[1] - ticks[0] if len(ticks) > 1 else value
            return money_tick(value, step)

        ax.yaxis.set_major_formatter(FuncFormatter(label))
    else:
        formatter = ScalarFormatter(useOffset=False)
        formatter.set_scientific(False)
        ax.yaxis.set_major_formatter(formatter)


def _figure(width: float, height: float) -> tuple[Any, Any]:
    # matplotlib is slow to import; only pages that draw a chart pay for it.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: smaller, and readable in the PDF
            "svg.hashsalt": "nct-monitor",  # the same data draws the same SVG
            "font.family": "sans-serif",
            "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
            "font.size": FONT_PT,
            "axes.titlesize": FONT_PT,
            "axes.labelsize": FONT_PT,
            "xtick.labelsize": FONT_PT,
            "ytick.labelsize": FONT_PT,
            "legend.fontsize": FONT_PT,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return fig, ax


def _svg(fig: Any, title: str, description: str) -> SafeString:
    import matplotlib.pyplot as plt  # slow to import: see _figure

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # A <style> element would need an unsafe Content Security Policy; matplotlib's only sets
    # line joins, so it goes.
    svg = re.sub(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    # The figure's own ids would clash when a page shows two charts; give them a prefix.
    prefix = "c" + hashlib.sha1((title + svg).encode(), usedforsecurity=False).hexdigest()[:8]
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}. {escape(description)}" focusable="false" ',
        1,
    )
    return mark_safe(svg)


def _drawn(spec: tuple[Any, ...], draw: Callable[[], SafeString]) -> SafeString:
    """The SVG `draw()` makes for `spec` (everything the drawing depends on), kept when the same
    chart was drawn before in this process. Drawing is most of the cost of a page with a chart,
    and the same figures always draw the same SVG, so a kept one never goes stale. The store is
    in memory, not the shared cache, so a page of many charts runs no query per chart."""
    key = hashlib.sha256(repr(spec).encode()).hexdigest()
    with _drawn_lock:
        svg = _drawn_svgs.get(key)
        if svg is not None:
            _drawn_svgs.move_to_end(key)
            return svg
    svg = draw()
    with _drawn_lock:
        _drawn_svgs[key] = svg
        while len(_drawn_svgs) > CHARTS_KEPT:
            _drawn_svgs.popitem(last=False)
    return svg


def _legend(ax: Any) -> None:
    # Above the plot, inside the figure's width, so the chart is no wider than the page.
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.02),
        ncol=4,
        frameon=False,
        borderaxespad=0,
    )


def _series_spec(series: Sequence[Series]) -> tuple[Any, ...]:
    return tuple((line.name, tuple(line.values), line.colour) for line in series)


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def line_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_format: Callable[[Any], str] = lambda v: "" if v is None else str(v),
    y_label: str = "",
    target: Sequence[Decimal | float | None] | None = None,
    band: tuple[Sequence[Decimal | float | None], Sequence[Decimal | float | None]] | None = None,
    empty: str,
    money: bool = False,
) -> Chart:
    """Lines over periods, with an optional target line and tolerance band; `empty` is the
    sentence shown instead when no series has a value."""
    if not any(any(v is not None for v in line.values) for line in series):
        return _empty(title, description, empty)
    spec = (
        "line",
        title,
        description,
        tuple(labels),
        _series_spec(series),
        None if target is None else tuple(target),
        None if band is None else (tuple(band[0]), tuple(band[1])),
        y_label,
        money,
    )
    svg = _drawn(
        spec,
        lambda: _draw_lines(title, description, labels, series, y_label, target, band, money),
    )
    headers = ["Period", *[line.name for line in series]]
    if target is not None:
        headers.append("Target")
    rows = []
    for i, label in enumerate(labels):
        row = [label, *[value_format(line.values[i]) for line in series]]
        if target is not None:
            row.append(value_format(target[i]))
        rows.append(row)
    return Chart(title, description, svg, headers, rows)


def _draw_lines(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    y_label: str,
    target: Sequence[Decimal | float | None] | None,
    band: tuple[Sequence[Decimal | float | None], Sequence[Decimal | float | None]] | None,
    money: bool,
) -> SafeString:
    fig, ax = _figure(FIGURE_WIDTH_IN, 3.2)
    x = list(range(len(labels)))
    if band is not None:
        low = [_number(v) for v in band[0]]
        high = [_number(v) for v in band[1]]
        ax.fill_between(
            x,
            [v if v is not None else float("nan") for v in low],
            [v if v is not None else float("nan") for v in high],
            color=COLOURS["band"],
            label="Tolerance",
            step="mid",
        )
    if target is not None:
        ax.step(
            x,
            [_number(v) if v is not None else float("nan") for v in target],
            where="mid",
            color=COLOURS["black"],
            linestyle="--",
            linewidth=1.2,
            label="Target",
        )
    for line in series:
        ax.plot(
            x,
            [_number(v) if v is not None else float("nan") for v in line.values],
            marker="o",
            color=line.colour,
            linewidth=2,
            label=line.name,
        )
    ax.set_xticks(
        x,
        labels,
        rotation=45 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
    )
    if y_label:
        ax.set_ylabel(y_label)
    _value_axis(ax, money=money)
    ax.grid(axis="y", color=COLOURS["light-grey"], linewidth=0.5)
    _legend(ax)
    return _svg(fig, title, description)


def stacked_bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    stacks: Sequence[Series],
    value_format: Callable[[Any], str],
    y_label: str = "",
    empty: str,
    money: bool = False,
) -> Chart:
    """One bar per label, each split into `stacks` (for example red, amber, green), standing on
    zero; `empty` is the sentence shown instead when every bar is nothing."""
    if not any(_has_figures(stack.values) for stack in stacks):
        return _empty(title, description, empty)
    spec = ("stacked", title, description, tuple(labels), _series_spec(stacks), y_label, money)
    svg = _drawn(spec, lambda: _draw_stacks(title, description, labels, stacks, y_label, money))
    headers = ["", *[stack.name for stack in stacks]]
    rows = [
        [label, *[value_format(stack.values[i]) for stack in stacks]]
        for i, label in enumerate(labels)
    ]
    return Chart(title, description, svg, headers, rows)


def _draw_stacks(
    title: str,
    description: str,
    labels: Sequence[str],
    stacks: Sequence[Series],
    y_label: str,
    money: bool,
) -> SafeString:
    fig, ax = _figure(FIGURE_WIDTH_IN, 3.2)
    x = list(range(len(labels)))
    bottom = [0.0] * len(labels)
    for stack in stacks:
        values = [_number(v) or 0.0 for v in stack.values]
        ax.bar(x, values, bottom=bottom, color=stack.colour, label=stack.name, width=0.6)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(x, labels)
    if y_label:
        ax.set_ylabel(y_label)
    ax.set_ylim(bottom=min(0.0, *bottom))
    _value_axis(ax, money=money)
    ax.grid(axis="y", color=COLOURS["light-grey"], linewidth=0.5)
    ax.set_axisbelow(True)
    _legend(ax)
    return _svg(fig, title, description)


def waterfall_chart(
    *,
    title: str,
    description: str,
    start: tuple[str, Decimal],
    steps: Sequence[tuple[str, Decimal]],
    end_label: str,
    value_format: Callable[[Any], str],
    y_label: str = "",
    empty: str,
    money: bool = False,
) -> Chart:
    """From a starting total through signed steps to the total they make (computed here), the
    bars standing on zero; `empty` is the sentence shown instead when every amount is nothing."""
    if not _has_figures([start[1], *[amount for _, amount in steps]]):
        return _empty(title, description, empty)
    spec = ("waterfall", title, description, start, tuple(steps), end_label, y_label, money)
    svg = _drawn(
        spec,
        lambda: _draw_waterfall(title, description, start, steps, end_label, y_label, money),
    )
    running = start[1] + sum((amount for _, amount in steps), Decimal(0))
    rows = [[start[0], value_format(start[1])]]
    rows += [[label, value_format(amount)] for label, amount in steps]
    rows.append([end_label, value_format(running)])
    return Chart(title, description, svg, ["Step", "Amount"], rows)


def _draw_waterfall(
    title: str,
    description: str,
    start: tuple[str, Decimal],
    steps: Sequence[tuple[str, Decimal]],
    end_label: str,
    y_label: str,
    money: bool,
) -> SafeString:
    fig, ax = _figure(FIGURE_WIDTH_IN, 3.4)
    labels = [start[0], *[label for label, _ in steps], end_label]
    running = start[1]
    bars: list[tuple[float, float, str]] = [(0.0, float(start[1]), COLOURS["blue"])]
    for _, amount in steps:
        low = running if amount >= 0 else running + amount
        bars.append(
            (float(low), float(abs(amount)), COLOURS["red"] if amount >= 0 else COLOURS["green"])
        )
        running += amount
    bars.append((0.0, float(running), COLOURS["blue"]))
    x = list(range(len(labels)))
    ax.bar(
        x,
        [h for _, h, _ in bars],
        bottom=[b for b, _, _ in bars],
        color=[c for _, _, c in bars],
        width=0.6,
    )
    ax.set_xticks(x, labels, rotation=30, ha="right")
    if y_label:
        ax.set_ylabel(y_label)
    ax.set_ylim(bottom=min(0.0, *[b for b, _, _ in bars], *[b + h for b, h, _ in bars]))
    _value_axis(ax, money=money)
    ax.grid(axis="y", color=COLOURS["light-grey"], linewidth=0.5)
    ax.set_axisbelow(True)
    return _svg(fig, title, description)


def sparkline(values: Sequence[Decimal | float | None], *, label: str) -> SafeString:
    """A small line of recent values for a table cell; `label` is its accessible name."""
    fig, ax = _figure(1.2, 0.35)
    points = [_number(v) if v is not None else float("nan") for v in values]
    ax.plot(range(len(points)), points, color=COLOURS["black"], linewidth=1)
    ax.axis("off")
    fig.subplots_adjust(0, 0, 1, 1)
    return _svg(fig, label, "")
