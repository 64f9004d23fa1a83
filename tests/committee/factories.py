from __future__ import annotations

from datetime import date, time

import factory

from committee.choices import ReportStatus, SectionKind
from committee.models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Meeting,
    OfficerReport,
    ReportSection,
)
from contracts.models import Council
from tests.factories import period


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("name",)

    name = "Children's Trust Joint Committee"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"Councillor Number {n}")
    council = factory.LazyFunction(lambda: Council.objects.get(short_name="NNC"))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    date = date(2024, 3, 6)
    time = time(14, 0)
    venue = "Council Chamber, Swanspool House, Wellingborough"


REQUIRED_SECTIONS = [
    (1, SectionKind.PURPOSE, "Purpose of Report", "To update the Committee."),
    (2, SectionKind.RECOMMENDATIONS, "Recommendations", "To note the report."),
    (11, SectionKind.REASONS, "Reasons for Recommendations", "For oversight of the Trust."),
    (12, SectionKind.FINANCIAL, "Resources and Financial", "The councils share the cost."),
    (13, SectionKind.LEGAL, "Legal and Governance", "The contract governs the work."),
    (14, SectionKind.RISK, "Risk", "No new risk."),
    (15, SectionKind.EQUALITY, "Equality Implications", "None."),
    (16, SectionKind.BACKGROUND_PAPERS, "Background Papers", "None."),
]


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerReport
        skip_postgeneration_save = True

    title = "Review of realisation of 2023/24 NCT savings proposals"
    authors = "David Watts, Director of Children's Services (interim), NNC"
    data_period = factory.LazyFunction(lambda: period("2023/24 P9"))
    status = ReportStatus.FINAL

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        """The sections the report template requires: purpose and recommendations at places 1
        and 2, the rest from place 11 on, so a test can put its own sections in between."""
        if not create or extracted is False:
            return
        for number, kind, heading, body in REQUIRED_SECTIONS:
            ReportSection.objects.create(
                report=self, number=number, kind=kind, heading=heading, body=body
            )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    subject = factory.Sequence(lambda n: f"Item {n + 1}")
