"""The councils' officer report template: its sections in order, which of them a final report
must have, and how a report's sections are numbered when printed.

The papers print the implications as one section, "7. Implications (including financial
implications)", with a sub-section for each (7.1 Resources and Financial, 7.2 Legal and
Governance…) and paragraphs 7.1.1, 7.1.2… Each implication is a section of its own kind, so
officers write them one by one; `outline` groups them under the one heading where the first of
them stands. The web page, the report's PDF and the pack all print from `outline`, so the
numbers agree everywhere.

The resources and financial implications start with paragraphs generated, as the report is
shown or printed, from the forecast as at the report's period and each council's share of it
(`apportion`, through the forecast's shares), followed by the officer's own paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from committee.appendices import forecast_figures
from committee.choices import SectionKind
from committee.models import ReportSection
from nct_monitor.models import Period

IMPLICATIONS_HEADING = "Implications (including financial implications)"


@dataclass(frozen=True)
class TemplateSection:
    """A section of the template: its kind, the heading it is printed with by default, and
    whether a report must have it before it is final."""

    kind: SectionKind
    heading: str
    required: bool
    implication: bool = False

    @property
    def label(self) -> str:
        return self.heading if not self.implication else f"{self.heading} implications"


# Required: what a decision cannot be taken without (what is asked and why, what it costs, the
# legal position, the risks, the public sector equality duty) and the list of background papers
# the Local Government Act 1972 (s. 100D) requires. "None" is a valid body for any of them.
TEMPLATE: tuple[TemplateSection, ...] = (
    TemplateSection(SectionKind.PURPOSE, "Purpose of Report", required=True),
    TemplateSection(SectionKind.EXECUTIVE_SUMMARY, "Executive Summary", required=False),
    TemplateSection(SectionKind.RECOMMENDATIONS, "Recommendations", required=True),
    TemplateSection(SectionKind.REASONS, "Reasons for Recommendations", required=True),
    TemplateSection(SectionKind.BACKGROUND, "Report Background", required=False),
    TemplateSection(SectionKind.ISSUES_AND_CHOICES, "Issues and Choices", required=False),
    TemplateSection(SectionKind.FINANCIAL, "Resources and Financial", True, implication=True),
    TemplateSection(SectionKind.LEGAL, "Legal and Governance", True, implication=True),
    TemplateSection(SectionKind.RISK, "Risk", True, implication=True),
    TemplateSection(SectionKind.CONSULTATION, "Consultation", False, implication=True),
    TemplateSection(SectionKind.SCRUTINY, "Consideration by Scrutiny", False, implication=True),
    TemplateSection(SectionKind.EQUALITY, "Equality", True, implication=True),
    TemplateSection(SectionKind.CLIMATE, "Climate and Environment", False, implication=True),
    TemplateSection(SectionKind.COMMUNITY_SAFETY, "Community Safety", False, implication=True),
    TemplateSection(SectionKind.COMMUNICATIONS, "Communications", False, implication=True),
    TemplateSection(SectionKind.BACKGROUND_PAPERS, "Background Papers", required=True),
)
BY_KIND = {entry.kind.value: entry for entry in TEMPLATE}
RANK = {entry.kind.value: index for index, entry in enumerate(TEMPLATE)}
IMPLICATION_KINDS = frozenset(entry.kind.value for entry in TEMPLATE if entry.implication)


def is_implication(kind: str) -> bool:
    return kind in IMPLICATION_KINDS


@dataclass
class OutlineEntry:
    """A section as printed: its number ("7" or "7.1"), its heading and the section written,
    or, for the implications heading, no section of its own and the implications under it."""

    number: str
    heading: str
    section: ReportSection | None
    children: list[OutlineEntry] = field(default_factory=list)


def outline(sections: Iterable[ReportSection]) -> list[OutlineEntry]:
    """The report's sections numbered as printed, in the order of their `number`.

    The implications go under one heading at the place of the first of them, in the
    template's order (resources and financial first), and two of one kind in their order.
    """
    ordered = sorted(sections, key=lambda section: section.number)
    implications = sorted(
        (section for section in ordered if is_implication(section.kind)),
        key=lambda section: (RANK[section.kind], section.number),
    )
    entries: list[OutlineEntry] = []
    for section in ordered:
        if not is_implication(section.kind):
            entries.append(OutlineEntry(str(len(entries) + 1), section.heading, section))
        elif section is implications[0]:
            number = str(len(entries) + 1)
            children = [
                OutlineEntry(f"{number}.{index}", child.heading, child)
                for index, child in enumerate(implications, start=1)
            ]
            entries.append(OutlineEntry(number, IMPLICATIONS_HEADING, None, children))
    return entries


def printed_numbers(sections: Iterable[ReportSection]) -> dict[int, str]:
    """Each section's printed number ("3", "7.2") by its primary key."""
    numbers = {}
    for entry in outline(sections):
        for printed in [entry, *entry.children]:
            if printed.section is not None:
                numbers[printed.section.pk] = printed.number
    return numbers


@dataclass(frozen=True)
class TemplateStatus:
    """A section of the template, and the printed numbers of the report's sections of that
    kind (none when it is missing)."""

    template: TemplateSection
    numbers: list[str]

    @property
    def written(self) -> bool:
        return bool(self.numbers)


def template_status(sections: Iterable[ReportSection]) -> list[TemplateStatus]:
    """For each section of the template, where the report has it, if it does."""
    ordered = sorted(sections, key=lambda section: section.number)
    numbers = printed_numbers(ordered)
    return [
        TemplateStatus(
            entry, [numbers[section.pk] for section in ordered if section.kind == entry.kind]
        )
        for entry in TEMPLATE
    ]


def missing_required(sections: Iterable[ReportSection]) -> list[TemplateSection]:
    return [
        status.template
        for status in template_status(sections)
        if status.template.required and not status.written
    ]


def place_for(kind: str, sections: Sequence[ReportSection]) -> int:
    """The `number` a new section of `kind` takes so that it prints in the template's order:
    the place of the first section that comes after it in the template, else the end."""
    rank = RANK.get(kind)
    ordered = sorted(sections, key=lambda section: section.number)
    if rank is not None:
        for section in ordered:
            if section.kind in RANK and RANK[section.kind] > rank:
                return section.number
    return (ordered[-1].number + 1) if ordered else 1


def financial_paragraphs(period: Period) -> list[str]:
    """The paragraphs that open the resources and financial implications, as the figures stand
    now: the forecast pressure as at `period`, what it is made of, and each council's share.

    A period with no forecast says so, rather than printing figures from another period.
    """
    figures = forecast_figures(period)
    if figures is None:
        return [
            f"No finance forecast is recorded for {period.label} ({period.month_label}), so "
            "this report states no forecast pressure and no share of one for either council."
        ]
    shares = " and ".join(
        f"{council} ({percentage}%) {share}" for council, percentage, share in figures["shares"]
    )
    made_of = ", ".join(f"{label} {amount}" for label, amount in figures["lines"])
    return [
        f"The forecast outturn pressure at {figures['label']} is {figures['total']}: {made_of}.",
        f"Unless mitigations are found, the councils fund it in their contract shares: {shares}.",
    ]
