"""Reports follow the councils' template: implications grouped and numbered as the papers do,
the resources and financial implications opened live from the figures, and a report is final
only with every section the template requires."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import packs, services
from committee.choices import ReportStatus, SectionKind
from committee.models import OfficerReport, ReportSection
from contracts import services as contract_services
from contracts.choices import ForecastCategory
from nct_monitor.finance import format_pounds
from tests.committee.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.contracts.factories import forecast
from tests.factories import period

pytestmark = pytest.mark.django_db


def add(report, number, kind, heading, body="Officers' words."):
    return ReportSection.objects.create(
        report=report, number=number, kind=kind, heading=heading, body=body
    )


def rendered(report):
    return packs.rendered_report(packs.report_queryset().get(pk=report.pk))


def printed(report):
    """(number, heading, paragraph numbers) of every printed section and sub-section."""
    rows = []
    for entry in rendered(report).sections:
        for shown in [entry, *entry.subsections]:
            rows.append((shown.number, shown.heading, [p.number for p in shown.paragraphs]))
    return rows


def text(paragraph) -> str:
    return re.sub(r"<[^>]+>", "", str(paragraph.html))


def test_implications_print_as_one_section_with_numbered_sub_sections(contract):
    report = ReportFactory(sections=False)
    add(report, 1, SectionKind.PURPOSE, "Purpose of Report")
    add(report, 2, SectionKind.RECOMMENDATIONS, "Recommendations")
    add(report, 3, SectionKind.GENERAL, "Next Steps")
    add(report, 4, SectionKind.LEGAL, "Legal and Governance", "First.\n\nSecond.")
    add(report, 5, SectionKind.FINANCIAL, "Resources and Financial", "The split.")
    add(report, 6, SectionKind.RISK, "Risk")
    add(report, 7, SectionKind.BACKGROUND_PAPERS, "Background Papers", "None.")

    assert printed(report) == [
        ("1", "Purpose of Report", ["1.1."]),
        ("2", "Recommendations", ["2.1."]),
        ("3", "Next Steps", ["3.1."]),
        ("4", "Implications (including financial implications)", []),
        # Resources and financial first, whatever its place: the generated paragraph, then
        # the officer's.
        ("4.1", "Resources and Financial", ["4.1.1.", "4.1.2."]),
        ("4.2", "Legal and Governance", ["4.2.1.", "4.2.2."]),
        ("4.3", "Risk", ["4.3.1."]),
        ("5", "Background Papers", ["5.1."]),
    ]


def test_the_report_page_and_pdf_document_print_the_same_grouped_numbers(officer_client, contract):
    report = ReportFactory()
    html = officer_client.get(reverse("committee:report_detail", args=[report.pk])).content
    document = packs.report_html(report)
    for page in (html.decode(), document):
        assert "4. Implications (including financial implications)" in page
        assert "4.2. Legal and Governance" in page
        assert '<span class="para-number">4.1.2.</span>' in page
        assert "5. Background Papers" in page


def test_the_financial_paragraph_follows_the_forecast_as_it_changes(contract):
    forecast(period("2023/24 P9"))
    report = ReportFactory()
    financial = rendered(report).sections[3].subsections[0]
    assert "is £29.670m" in text(financial.paragraphs[0])
    assert "NNC (44.16%) £13,102,272.00 and WNC (55.84%) £16,567,728.00" in text(
        financial.paragraphs[1]
    )
    assert text(financial.paragraphs[2]) == "The councils share the cost."

    # An entry without an amount (and note) removes that category's line.
    gone = {category: contract_services.ForecastEntry(None, "") for category in ForecastCategory}
    contract_services.set_period_forecast(
        period=period("2023/24 P9"),
        pressures=gone
        | {ForecastCategory.PLACEMENTS: contract_services.ForecastEntry(Decimal("1000000.01"), "")},
    )

    financial = rendered(report).sections[3].subsections[0]
    assert "is £1.000m: placements £1.000m." in text(financial.paragraphs[0])
    # Each share from apportion, and the two add up to the penny.
    nnc, wnc = Decimal("441600.00"), Decimal("558400.01")
    assert nnc + wnc == Decimal("1000000.01")
    assert f"NNC (44.16%) {format_pounds(nnc)} and WNC (55.84%) {format_pounds(wnc)}" in text(
        financial.paragraphs[1]
    )


def test_a_period_without_a_forecast_says_so_before_the_officers_paragraphs(contract):
    report = ReportFactory(data_period=period("2024/25 P3"))
    financial = rendered(report).sections[3].subsections[0]
    assert [p.number for p in financial.paragraphs] == ["4.1.1.", "4.1.2."]
    assert text(financial.paragraphs[0]).startswith(
        "No finance forecast is recorded for 2024/25 P3 (June 2024)"
    )


def test_a_changed_forecast_changes_the_pack_part_of_the_report(contract):
    forecast(period("2023/24 P9"))
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, number=4, subject="Savings", report=ReportFactory())
    before = packs.pack_document(meeting, exempt=False)

    forecast(period("2023/24 P9"), {ForecastCategory.PLACEMENTS: Decimal("24307000.00")})
    after = packs.pack_document(meeting, exempt=False)

    part = {p.key: p for p in before.parts}, {p.key: p for p in after.parts}
    key = f"item-{item.pk}"
    assert "is £29.670m" in part[0][key].html and "is £30.670m" in part[1][key].html
    assert part[0][key].sha256 != part[1][key].sha256
    assert part[0]["cover"].sha256 == part[1]["cover"].sha256


def test_marking_final_is_refused_naming_each_missing_required_section(clerk, contract):
    report = ReportFactory(status=ReportStatus.DRAFT)
    report.sections.filter(kind__in=[SectionKind.LEGAL, SectionKind.BACKGROUND_PAPERS]).delete()

    with pytest.raises(ValidationError) as refused:
        services.mark_report_final(report=report, user=clerk)

    title = report.title
    assert refused.value.messages == [
        f"“{title}” has no Legal and Governance implications section, which the report "
        "template requires (write “None” if there is nothing to say).",
        f"“{title}” has no Background Papers section, which the report template requires "
        "(write “None” if there is nothing to say).",
    ]
    assert OfficerReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_the_report_page_lists_missing_sections_with_a_link_to_add_each(officer_client, contract):
    report = ReportFactory(status=ReportStatus.DRAFT)
    report.sections.filter(kind=SectionKind.RISK).delete()
    url = reverse("committee:report_detail", args=[report.pk])

    html = officer_client.get(url).content.decode()

    add_url = reverse("committee:reportsection_add", args=[report.pk])
    assert f'href="{add_url}?kind=risk"' in html
    assert f'href="{add_url}?kind=legal"' not in html
    assert "Written: section 4.2" in html  # legal and governance
    assert "Mark as final" not in html

    form = officer_client.get(f"{add_url}?kind=risk").content.decode()
    assert 'value="Risk"' in form
    assert '<option value="risk" selected>' in form
    assert 'name="number" value="15"' in form  # where equality stands, so risk goes before it


def test_a_section_added_at_a_taken_place_goes_before_the_one_there(officer, contract):
    report = ReportFactory(status=ReportStatus.DRAFT)
    report.sections.filter(kind=SectionKind.RISK).delete()

    services.save_section(
        report=report, number=15, heading="Risk", body="None.", kind=SectionKind.RISK, user=officer
    )

    kinds = list(report.sections.order_by("number").values_list("number", "kind"))
    assert kinds[-3:] == [(15, "risk"), (16, "equality"), (17, "background_papers")]
    services.mark_report_final(report=report, user=officer)


def test_the_demo_reports_follow_the_template_and_store_no_figures(contract):
    from committee import demo

    demo.load()

    reports = list(OfficerReport.objects.prefetch_related("sections"))
    assert len(reports) == 3
    for report in reports:
        assert services.report_problems(report) == []
        assert report.status == ReportStatus.FINAL
        financial = report.sections.get(kind=SectionKind.FINANCIAL)
        assert "{generated}" not in financial.body
        assert "forecast outturn pressure at" not in financial.body
    savings = OfficerReport.objects.get(title__startswith="Review of realisation")
    assert [entry[0] for entry in printed(savings)][6:9] == ["7", "8", "8.1"]


def test_a_demo_report_reads_the_forecast_entered_after_it_was_written(contract):
    from committee import demo

    demo.load()
    savings = OfficerReport.objects.get(title__startswith="Review of realisation")
    assert "No finance forecast is recorded for 2023/24 P9" in packs.report_html(savings)

    contract_services.set_period_forecast(
        period=period("2023/24 P9"),
        pressures={
            ForecastCategory.PLACEMENTS: contract_services.ForecastEntry(
                Decimal("1247000.00"), "placements"
            )
        },
    )

    html = packs.report_html(savings)
    assert "The forecast outturn pressure at 2023/24 P9 (December 2023) is £1.247m" in html
    assert "NNC (44.16%) £550,675.20 and WNC (55.84%) £696,324.80" in html
