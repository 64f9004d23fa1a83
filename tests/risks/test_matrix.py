"""The one definition of the 5×5 matrix, its scales and its bands."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from risks.matrix import IMPACT, LIKELIHOOD, Score, band_for, bands, score


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (1, "low"),
        (3, "low"),
        (4, "medium"),
        (6, "medium"),
        (8, "high"),
        (12, "high"),
        (15, "very_high"),
        (16, "very_high"),
        (25, "very_high"),
    ],
)
def test_each_score_falls_in_the_register_s_band(value, band):
    assert band_for(value).key == band


def test_every_cell_of_the_matrix_has_exactly_the_appendix_score():
    # Appendix 8's matrix, impact catastrophic (5) down to insignificant (1), probability
    # almost certain (5) to very low (1).
    published = [
        [25, 20, 15, 10, 5],
        [20, 16, 12, 8, 4],
        [15, 12, 9, 6, 3],
        [10, 8, 6, 4, 2],
        [5, 4, 3, 2, 1],
    ]
    computed = [[score(p, i) for p in (5, 4, 3, 2, 1)] for i in (5, 4, 3, 2, 1)]
    assert computed == published


def test_the_likelihood_scale_names_each_level_with_its_percentage():
    assert [level.label for level in LIKELIHOOD.values()] == [
        "1 Very low (5%)",
        "2 Low (25%)",
        "3 Medium (50%)",
        "4 High (75%)",
        "5 Almost certain (95%)",
    ]


def test_the_impact_scale_runs_from_insignificant_to_catastrophic():
    assert [level.name for level in IMPACT.values()] == [
        "Insignificant",
        "Minor",
        "Moderate",
        "Major",
        "Catastrophic",
    ]


@pytest.mark.parametrize("bad", [0, 6, 2.5, True, None])
def test_a_probability_outside_1_to_5_or_not_whole_is_refused(bad):
    with pytest.raises(ValueError, match="must be a whole number from 1 to 5"):
        score(bad, 3)


def test_a_score_describes_itself_for_screen_readers():
    assert Score(4, 4).describe() == "16, very high (probability 4 high × impact 4 major)"


def test_the_bands_are_configured_in_one_setting(settings):
    settings.NCT_RISK_BANDS = (
        ("low", "Low", 1, 4, "green"),
        ("medium", "Medium", 5, 9, "yellow"),
        ("high", "High", 10, 16, "orange"),
        ("very_high", "Very high", 20, 25, "red"),
    )
    assert band_for(4).key == "low"
    assert band_for(16).key == "high"
    assert [band.key for band in bands()] == ["low", "medium", "high", "very_high"]


def test_bands_that_leave_a_score_out_are_refused(settings):
    settings.NCT_RISK_BANDS = (("low", "Low", 1, 3, "green"), ("high", "High", 8, 25, "red"))
    with pytest.raises(ImproperlyConfigured, match="put the score 4 in exactly one band"):
        bands()


def test_a_band_is_always_named_beside_its_colour():
    band = band_for(12)
    assert (band.name, band.colour, band.range_label) == ("High", "orange", "8–12")
    assert band.tag_class == "govuk-tag nct-band nct-band--orange"
