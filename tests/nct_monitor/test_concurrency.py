"""The pieces of optimistic locking every editable period record shares."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nct_monitor.concurrency import (
    NEW,
    NOTHING_SAVED,
    Difference,
    EditConflict,
    OtherChange,
    Stamp,
)
from nct_monitor.forms import OUT_OF_DATE, Form, StampField, StampsField

LONDON = ZoneInfo("Europe/London")


def test_a_stamp_is_written_and_read_back():
    assert str(Stamp(57, 3)) == "57:3"
    assert Stamp.parse("57:3") == Stamp(57, 3)
    assert str(NEW) == "new"
    assert Stamp.parse("new") == NEW


@pytest.mark.parametrize("text", ["", "3", "57:", ":3", "57:3:1", "new:1", "-1:2", "a:b"])
def test_a_stamp_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        Stamp.parse(text)


def test_a_record_matches_the_stamp_of_its_id_and_version_only():
    class Record:
        def __init__(self, pk: int, version: int) -> None:
            self.pk, self.version = pk, version

    assert Stamp(5, 2).matches(Record(5, 2))
    assert not Stamp(5, 2).matches(Record(5, 3))
    # Removed and added again: a new id, back at version 2.
    assert not Stamp(5, 2).matches(Record(6, 2))
    assert not Stamp(5, 2).matches(None)
    assert NEW.matches(None)
    assert not NEW.matches(Record(6, 1))


def test_the_message_names_who_when_and_each_figure_that_differs():
    change = OtherChange(
        record="KPI 3's 2023/24 P9 result",
        who="Alex Morgan",
        when=datetime(2024, 1, 15, 14, 2, tzinfo=LONDON),
        action="changed",
        reason="",
        differences=(
            Difference("Value", "71%", "70%"),
            Difference("Numerator", "", ""),
            Difference("Commentary", "Improving", "Steady", long=True),
        ),
    )

    assert change.message == (
        "Alex Morgan changed KPI 3's 2023/24 P9 result at 14:02 on 15 January 2024, after you "
        "opened it: Value 71% (you entered 70%); different text in Commentary."
    )


def test_a_conflict_lists_each_change_then_that_nothing_was_saved():
    change = OtherChange(
        "the 2024/25 P7 review of CR 01", "Someone", None, "added", "", (Difference("A", "", "1"),)
    )

    conflict = EditConflict([change])

    assert conflict.messages == [
        "Someone added the 2024/25 P7 review of CR 01 at an unknown time, after you opened it: "
        "A blank (you entered 1).",
        NOTHING_SAVED,
    ]
    assert [error.code for error in conflict.error_list] == ["stale", "stale"]


class VersionedForm(Form):
    version = StampField()
    versions = StampsField()


def test_the_hidden_version_fields_clean_to_stamps():
    form = VersionedForm({"version": "12:4", "versions": "2024:6=7:1 2024:7=new"})

    assert form.is_valid()
    assert form.cleaned_data == {
        "version": Stamp(12, 4),
        "versions": {"2024:6": Stamp(7, 1), "2024:7": NEW},
    }


def test_a_form_without_its_version_is_out_of_date():
    form = VersionedForm({"versions": "2024:6=x"})

    assert not form.is_valid()
    assert form.errors == {"version": [OUT_OF_DATE], "versions": [OUT_OF_DATE]}


def test_the_hidden_version_fields_render_what_they_were_given():
    form = VersionedForm(initial={"version": Stamp(12, 4), "versions": {"2024:6": Stamp(7, 1)}})

    assert form["version"].value() == "12:4"
    assert form["versions"].value() == "2024:6=7:1"
