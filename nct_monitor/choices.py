from __future__ import annotations

from django.db import models


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open"
    SIGNED_OFF = "signed_off", "Signed off"
