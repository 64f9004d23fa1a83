from __future__ import annotations

from django.db import models


class MemberRole(models.TextChoices):
    CO_CHAIR = "co_chair", "Co-Chair"
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-Chair"
    MEMBER = "member", "Member"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class SectionKind(models.TextChoices):
    """The sections of the councils' report template (`committee.report_template`), in its
    order, and `GENERAL` for any other section (such as Next Steps)."""

    PURPOSE = "purpose", "Purpose of report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    RECOMMENDATIONS = "recommendations", "Recommendations"
    REASONS = "reasons", "Reasons for recommendations"
    BACKGROUND = "background", "Report background"
    ISSUES_AND_CHOICES = "issues_and_choices", "Issues and choices"
    FINANCIAL = "financial", "Implications: resources and financial"
    LEGAL = "legal", "Implications: legal and governance"
    RISK = "risk", "Implications: risk"
    CONSULTATION = "consultation", "Implications: consultation"
    SCRUTINY = "scrutiny", "Implications: consideration by scrutiny"
    EQUALITY = "equality", "Implications: equality"
    CLIMATE = "climate", "Implications: climate and environment"
    COMMUNITY_SAFETY = "community_safety", "Implications: community safety"
    COMMUNICATIONS = "communications", "Implications: communications"
    BACKGROUND_PAPERS = "background_papers", "Background papers"
    GENERAL = "general", "Other section (such as Next Steps)"


class PackVariant(models.TextChoices):
    PUBLIC = "public", "Public"
    EXEMPT = "exempt", "Exempt (restricted)"


class PackStatus(models.TextChoices):
    BUILDING = "building", "Building"
    BUILT = "built", "Built, not published"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Published, superseded"
    FAILED = "failed", "Failed"


class ExemptParagraph(models.IntegerChoices):
    """Schedule 12A to the Local Government Act 1972, Part 1: descriptions of exempt information."""

    INDIVIDUAL = 1, "1. Information relating to any individual"
    IDENTITY = 2, "2. Information likely to reveal the identity of an individual"
    FINANCIAL = 3, "3. Information relating to the financial or business affairs of any person"
    LABOUR = 4, "4. Information relating to labour relations consultations or negotiations"
    LEGAL = 5, "5. Information in respect of which legal professional privilege could be claimed"
    NOTICE = 6, "6. Information revealing an intention to give a notice, order or direction"
    CRIME = 7, "7. Information relating to the prevention, investigation or prosecution of crime"


class AppendixKind(models.TextChoices):
    """Appendices generated from live data as at the report's period."""

    SAVINGS_RAG = "savings_rag", "Savings RAG table"
    KPI_SCORECARD = "kpi_scorecard", "KPI scorecard"
    RISK_EXTRACT = "risk_extract", "Risk register extract"
    CONTRACT_SUM_MTFP = "contract_sum_mtfp", "Contract sum and MTFP"
    BUSINESS_CASES = "business_cases", "Business cases and funding blocks"
    PERIOD_FORECAST = "period_forecast", "Period forecast"
