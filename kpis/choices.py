"""The KPIs' vocabularies. Imports nothing else from the app."""

from __future__ import annotations

from django.db import models


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    DAYS = "days", "Days"
    COUNT = "count", "Count"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Rating(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NO_TARGET = "no_target", "No target"
    NO_DATA = "no_data", "No data"


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    DECLINING = "declining", "Declining"
    UNCHANGED = "unchanged", "Unchanged"


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
