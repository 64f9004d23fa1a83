"""The risk register's fixed vocabularies."""

from __future__ import annotations

from django.db import models


class RiskCategory(models.TextChoices):
    """The three sections of the Trust's strategic risk register, in the register's order."""

    CORPORATE = "corporate", "Corporate"
    SOCIAL_CARE = "social_care", "Social Care"
    FINANCE_OPERATIONAL = "finance_operational", "Finance and Operational"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    TRANSFERRED = "transferred", "Transferred to the operational register"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class Movement(models.TextChoices):
    """How a risk's current score moved since the previous review."""

    UP = "up", "Up"
    DOWN = "down", "Down"
    SAME = "same", "Same"
    NEW = "new", "New"


class ScoreKind(models.TextChoices):
    """The three scores every risk carries."""

    INITIAL = "initial", "Initial"
    CURRENT = "current", "Current"
    TARGET = "target", "Target residual"
