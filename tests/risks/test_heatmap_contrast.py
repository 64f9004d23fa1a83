"""Every heatmap cell's count is readable on the cell's colour: contrast 4.5:1 or more (WCAG AA),
and a count that is a link keeps the cell's text colour rather than link blue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from risks.matrix import DEFAULT_BANDS

CSS = (Path(__file__).resolve().parents[2] / "risks/static/risks/risks.css").read_text()


def _rules() -> list[tuple[list[str], dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in (part.split(":", 1) for part in body.split(";") if ":" in part)
        )
        rules.append(([s.strip() for s in selectors.split(",")], declarations))
    return rules


def _cell_colours() -> dict[str, tuple[str, str]]:
    """Each heatmap cell class's (text, background) colours."""
    found = {}
    for selectors, declarations in _rules():
        for selector in selectors:
            match = re.fullmatch(r"\.nct-risk-cell--([a-z-]+)", selector)
            if match:
                found[match[1]] = (declarations["color"], declarations["background-color"])
    return found


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_sums_are_wcags():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#1a65a6", "#c22d17") < 1.5  # link blue on the red cell: unreadable


def test_every_band_colour_has_a_cell_style():
    assert {colour for *_, colour in DEFAULT_BANDS} <= set(_cell_colours())


@pytest.mark.parametrize("colour", sorted(_cell_colours()))
def test_the_count_is_readable_on_every_cell_colour(colour):
    text, background = _cell_colours()[colour]
    assert contrast(text, background) >= 4.5, (colour, text, background)


def test_a_linked_count_keeps_the_cells_text_colour_in_every_link_state():
    inherited = {
        selector
        for selectors, declarations in _rules()
        if declarations.get("color") == "inherit"
        for selector in selectors
    }
    for state in ("link", "visited", "hover", "active"):
        assert f".nct-risk-cell a:{state}" in inherited, state
