"""Demo data: the Trust's strategic risk register (business plan 2024/25, Appendix 8).

`fixtures/risk_register.csv` is the register in the import layout, loaded through the same
importer as an officer's upload; the published scores that were wrong are corrected there
(see fixtures/README.md). Loading it again changes nothing.
"""

from __future__ import annotations

from django.conf import settings

from nct_monitor.importing import apply_return
from risks.importers import importer

REGISTER = "risk_register.csv"


def load() -> list[str]:
    path = settings.BASE_DIR / "fixtures" / REGISTER
    plan = apply_return(importer, path.read_bytes(), filename=REGISTER, params={}, user=None)
    if not plan.created and not plan.changed:
        return []
    return [
        f"Risk register: {len(plan.created)} risks added, {len(plan.changed)} changed "
        f"from {REGISTER}"
    ]
