from __future__ import annotations

from django.db import models


class Rating(models.TextChoices):
    """A savings line's RAG rating in a period: the worst colour that holds any of its target.

    Red when any amount is red (even if mitigated: the saving itself will not be delivered),
    else amber when any is amber, else green. A line with a zero target has nothing left to
    deliver and counts as green.
    """

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"

    @property
    def severity(self) -> int:
        return {"red": 2, "amber": 1, "green": 0}[self.value]
