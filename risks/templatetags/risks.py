"""Template helpers for the risk register's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from risks.matrix import Score
from risks.tables import movement_text, score_tag

register = template.Library()


@register.filter
def get_level(levels: dict[int, Any], value: int) -> Any:
    """`likelihood|get_level:4` → the scale's level 4."""
    return levels[value]


@register.simple_tag
def risk_score(score: Score, label: str = "") -> SafeString:
    """A score in its band's colour with the band's name, as every risk page shows it."""
    return score_tag(score, label=label)


@register.simple_tag
def risk_movement(movement: str, previous: Score | None = None) -> SafeString:
    return movement_text(movement, previous)
