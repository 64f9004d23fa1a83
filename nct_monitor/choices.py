from __future__ import annotations

from django.db import models


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open"
    SIGNED_OFF = "signed_off", "Signed off"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    PREVIEWED = "previewed", "Ready to confirm"
    REFUSED = "refused", "Refused"
    APPLYING = "applying", "Importing"
    APPLIED = "applied", "Imported"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed"
