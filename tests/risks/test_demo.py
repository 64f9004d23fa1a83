"""The demo register: Appendix 8 in full, with the published scores that were wrong corrected."""

from __future__ import annotations

import pytest

from risks import demo
from risks.models import Risk

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_whole_appendix_register():
    lines = demo.load()

    assert lines == ["Risk register: 27 risks added, 0 changed from risk_register.csv"]
    refs = list(Risk.objects.values_list("ref", flat=True))
    assert len(refs) == 27
    assert {"CR 01", "CR 02", "SCR 01", "SCR 08", "FOR 01", "FOR 017"} <= set(refs)
    counts = {
        prefix: sum(ref.startswith(f"{prefix} ") for ref in refs) for prefix in ("CR", "SCR", "FOR")
    }
    assert counts == {"CR": 2, "SCR": 8, "FOR": 17}


@pytest.mark.parametrize(
    ("ref", "kind", "published", "computed"),
    [
        ("FOR 05", "current", 15, 25),
        ("FOR 06", "current", 12, 16),
        ("FOR 010", "current", 8, 16),
        ("FOR 014", "current", 2, 1),
        ("FOR 014", "target", 2, 1),
    ],
)
def test_the_published_scores_that_do_not_multiply_out_are_computed(ref, kind, published, computed):
    demo.load()

    score = getattr(Risk.objects.get(ref=ref), f"{kind}_score")

    assert score.value == score.probability * score.impact == computed != published


def test_loading_the_demo_again_changes_nothing():
    demo.load()

    assert demo.load() == []
