from __future__ import annotations

from typing import Any

from django import forms as django_forms

from committee.choices import AppendixKind, ExemptParagraph, MemberRole, SectionKind
from committee.models import (
    AgendaItem,
    CommitteeMember,
    Meeting,
    OfficerReport,
)
from contracts import selectors as contracts
from nct_monitor.forms import DateInput, Form
from nct_monitor.models import Period
from nct_monitor.selectors import period_choices


class MeetingForm(Form):
    date = django_forms.DateField(label="Date", widget=DateInput())
    time = django_forms.TimeField(
        label="Start time",
        widget=django_forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-10"}),
    )
    venue = django_forms.CharField(label="Venue", max_length=300)
    proper_officer = django_forms.CharField(
        label="Issued by",
        max_length=300,
        required=False,
        help_text="The proper officer and the date of issue, as printed on the agenda.",
    )


class CommitteeForm(Form):
    name = django_forms.CharField(label="Name", max_length=200)
    administrator = django_forms.CharField(
        label="Committee administrator",
        max_length=300,
        required=False,
        help_text="Name, team and council, as printed on the agenda.",
    )
    administrator_email = django_forms.EmailField(
        label="Committee administrator's email address", required=False
    )
    monitoring_officer_email = django_forms.EmailField(
        label="Monitoring Officer's email address",
        required=False,
        help_text="Members' questions about declarations of interest go here.",
    )
    press_email = django_forms.EmailField(
        label="Email address for press and media enquiries", required=False
    )
    enquiries_email = django_forms.EmailField(
        label="Email address for public enquiries about meetings", required=False
    )


class MemberForm(Form):
    name = django_forms.CharField(
        label="Name", max_length=200, help_text="As printed, e.g. Councillor Fiona Baker."
    )
    council = django_forms.ModelChoiceField(label="Council", queryset=contracts.councils())
    role = django_forms.ChoiceField(label="Role", choices=MemberRole.choices)
    order = django_forms.IntegerField(label="Order on the agenda", min_value=0, initial=0)
    is_active = django_forms.BooleanField(label="Currently a member", required=False, initial=True)


class AgendaItemForm(Form):
    number = django_forms.IntegerField(label="Item number", min_value=1)
    subject = django_forms.CharField(label="Subject", max_length=300)
    presenting_officers = django_forms.CharField(
        label="Presenting officers", max_length=300, required=False
    )
    exempt = django_forms.BooleanField(
        label="Exempt information (not for publication)", required=False
    )
    exempt_paragraph = django_forms.TypedChoiceField(
        label="Paragraph of Schedule 12A",
        choices=[("", "Not exempt"), *ExemptParagraph.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    minutes_of = django_forms.ModelChoiceField(
        label="Minutes of an earlier meeting presented for approval",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes_of"].queryset = Meeting.objects.filter(
            committee=meeting.committee, date__lt=meeting.date
        ).select_related("committee")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("exempt") and not cleaned.get("exempt_paragraph"):
            self.add_error(
                "exempt_paragraph",
                "Select the paragraph of Schedule 12A that makes the item exempt",
            )
        return cleaned


class ReportForm(Form):
    title = django_forms.CharField(label="Report title", max_length=300)
    authors = django_forms.CharField(
        label="Report authors",
        widget=django_forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: name, post, email.",
    )
    executive_members = django_forms.CharField(
        label="Executive members", widget=django_forms.Textarea(attrs={"rows": 3}), required=False
    )
    data_period = django_forms.ChoiceField(
        label="Figures as at",
        help_text="The appendices and generated figures are taken from this period's data.",
    )
    key_decision = django_forms.BooleanField(label="Key decision", required=False)
    eligible_for_call_in = django_forms.BooleanField(
        label="Eligible for call-in by Scrutiny", required=False
    )
    equality_implications = django_forms.BooleanField(
        label="Public sector equality duty implications", required=False
    )
    exempt = django_forms.BooleanField(
        label="Contains confidential or exempt information", required=False
    )
    exempt_paragraph = django_forms.TypedChoiceField(
        label="Paragraph of Schedule 12A",
        choices=[("", "Not exempt"), *ExemptParagraph.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_period"].choices = period_choices()

    def clean_data_period(self) -> Period:
        start, _, number = self.cleaned_data["data_period"].partition(":")
        return Period.objects.select_related("year").get(
            year__start_year=int(start), number=int(number)
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("exempt") and not cleaned.get("exempt_paragraph"):
            self.add_error("exempt_paragraph", "Select the paragraph of Schedule 12A that applies")
        return cleaned

    @staticmethod
    def initial_for(report: OfficerReport) -> dict[str, Any]:
        return {
            "title": report.title,
            "authors": report.authors,
            "executive_members": report.executive_members,
            "data_period": f"{report.data_period.year.start_year}:{report.data_period.number}",
            "key_decision": report.key_decision,
            "eligible_for_call_in": report.eligible_for_call_in,
            "equality_implications": report.equality_implications,
            "exempt": report.exempt,
            "exempt_paragraph": report.exempt_paragraph,
        }


class SectionForm(Form):
    number = django_forms.IntegerField(
        label="Place in the report",
        min_value=1,
        help_text=(
            "Sections print in this order and are numbered from it; a section put at a taken "
            "place goes before the section there. The implications print together as one "
            "section."
        ),
    )
    heading = django_forms.CharField(label="Heading", max_length=200)
    kind = django_forms.ChoiceField(
        label="Section of the report template",
        choices=SectionKind.choices,
        help_text=(
            "The resources and financial implications start with paragraphs written from the "
            "forecast as at the report's period each time it is shown or printed; write only "
            "what the figures do not say."
        ),
    )
    body = django_forms.CharField(
        label="Text",
        widget=django_forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Markdown: a blank line starts a new numbered paragraph; lines starting “- ” "
            "are bullets. Write “None” where there is nothing to say."
        ),
    )


class AppendixForm(Form):
    letter = django_forms.CharField(label="Appendix letter", max_length=2, initial="A")
    kind = django_forms.ChoiceField(label="Generated from", choices=AppendixKind.choices)
    title = django_forms.CharField(label="Title", max_length=200)


class MinutesForm(Form):
    members_present = django_forms.ModelMultipleChoiceField(
        label="Members present",
        queryset=CommitteeMember.objects.none(),
        widget=django_forms.CheckboxSelectMultiple,
        required=False,
    )
    officers_present = django_forms.CharField(
        label="Officers present",
        widget=django_forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One per line: name and post.",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = meeting.committee.members.select_related(
            "council"
        )


class MinuteItemForm(Form):
    number = django_forms.IntegerField(label="Minute number", min_value=1)
    title = django_forms.CharField(label="Title", max_length=300)
    body = django_forms.CharField(
        label="Minute",
        widget=django_forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown, including any resolutions.",
    )


class PublishForm(Form):
    reason = django_forms.CharField(
        label="Reason for republishing",
        widget=django_forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=(
            "Needed when an earlier version of this pack was published. It is kept with the pack."
        ),
    )


def agenda_item_initial(item: AgendaItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "subject": item.subject,
        "presenting_officers": item.presenting_officers,
        "exempt": item.exempt,
        "exempt_paragraph": item.exempt_paragraph,
        "minutes_of": item.minutes_of,
    }
