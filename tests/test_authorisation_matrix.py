"""Every URL, for anonymous visitors and each of the four roles, by GET and by POST.

The table below is the policy, written by intent: who may use each page. The test walks every
URL pattern the project has (a new one fails until it is added here), requests it as each user
inside a transaction that is rolled back, and fails on any unexpected allow, any unexpected
refusal, and any server error. "Allowed" means the request reached the view: not a redirect to
a login page, not 403, not 405.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from committee import services as committee_services
from committee.models import (
    AgendaItem,
    AgendaPack,
    Committee,
    CommitteeMember,
    Meeting,
    MinuteItem,
    OfficerReport,
    ReportAppendix,
    ReportSection,
)
from contracts.models import (
    BusinessCase,
    BusinessCaseSaving,
    ContractSum,
    ForecastPressure,
    FundingAllocation,
    InvestToSaveLine,
    MtfpBuildUp,
    ShareSchedule,
)
from kpis.models import KpiDefinition, RectificationPlan
from nct_monitor.models import ImportRun, Period
from risks.models import Risk
from risks.services import record_review, save_action
from savings.models import SavingsLine, SavingsPosition

ANON, MEMBER, OFFICER, CLERK, ADMIN = "anonymous", "member", "officer", "clerk", "admin"
USERS = (ANON, MEMBER, OFFICER, CLERK, ADMIN)
ALL = {MEMBER, OFFICER, CLERK, ADMIN}
NOBODY: set[str] = set()
MONITORING = {OFFICER, ADMIN}  # monitoring data: savings, KPIs, risks, contract finance
CONFIG = {ADMIN}  # councils and shares, years, reopening, KPI definitions
CLERKS = {CLERK, ADMIN}  # committees, meetings, agendas, minutes, packs
REPORTS = {OFFICER, CLERK, ADMIN}  # officer reports are written by officers and clerks
EVERYONE = {ANON, *ALL}

# url name: (who may GET it, who may POST to it)
READ = (ALL, NOBODY)
POLICY: dict[str, tuple[set[str], set[str]]] = {
    "home": READ,
    "dashboard_period": READ,
    "health": ({ANON, *ALL}, NOBODY),
    "login": (EVERYONE, EVERYONE),
    "logout": (NOBODY, ALL),
    "password_change": (ALL, ALL),
    "two_factor_setup": (ALL, ALL),
    "two_factor_verify": (ALL, ALL),
    "password_reset": (EVERYONE, EVERYONE),
    "password_reset_done": (EVERYONE, NOBODY),
    "password_reset_confirm": (EVERYONE, EVERYONE),
    "password_reset_complete": (EVERYONE, NOBODY),
    # The committee papers as published, open to anyone; nothing here takes a POST.
    "public:meeting_list": (EVERYONE, NOBODY),
    "public:meeting": (EVERYONE, NOBODY),
    "public:pack": (EVERYONE, NOBODY),
    "public:report": (EVERYONE, NOBODY),
    "public:report_pdf": (EVERYONE, NOBODY),
    "public:calendar": (EVERYONE, NOBODY),
    "public:feed": (EVERYONE, NOBODY),
    "people:user_list": (CONFIG, NOBODY),
    "people:user_add": (CONFIG, CONFIG),
    "people:user_edit": (CONFIG, CONFIG),
    "people:password_link": (NOBODY, CONFIG),
    "people:two_factor_reset": (NOBODY, CONFIG),
    "period_list": READ,
    "period_jump": READ,
    "year_add": (CONFIG, CONFIG),
    "period_sign_off": (MONITORING, MONITORING),
    "period_reopen": (CONFIG, CONFIG),
    "period_history": READ,
    "import_list": READ,
    "import_run": (MONITORING, NOBODY),
    "import_confirm": (NOBODY, MONITORING),
    "import_cancel": (NOBODY, MONITORING),
    "contracts:overview": READ,
    "contracts:shareschedule_add": (CONFIG, CONFIG),
    "contracts:planinvestment_list": READ,
    "contracts:shareschedule_history": READ,
    "contracts:contractsum_list": READ,
    "contracts:contractsum_add": (MONITORING, MONITORING),
    "contracts:contractsum_edit": (MONITORING, MONITORING),
    "contracts:contractsum_history": READ,
    "contracts:mtfpbuildup_list": READ,
    "contracts:mtfpbuildup_add": (MONITORING, MONITORING),
    "contracts:mtfpbuildup_edit": (MONITORING, MONITORING),
    "contracts:mtfpbuildup_history": READ,
    "contracts:businesscase_list": READ,
    "contracts:businesscase_add": (MONITORING, MONITORING),
    "contracts:businesscase_detail": READ,
    "contracts:businesscase_edit": (MONITORING, MONITORING),
    "contracts:businesscase_history": READ,
    "contracts:businesscasesaving_add": (MONITORING, MONITORING),
    "contracts:businesscasesaving_edit": (MONITORING, MONITORING),
    "contracts:businesscasesaving_remove": (MONITORING, MONITORING),
    "contracts:businesscasesaving_history": READ,
    "contracts:fundingallocation_list": READ,
    "contracts:fundingallocation_add": (MONITORING, MONITORING),
    "contracts:fundingallocation_edit": (MONITORING, MONITORING),
    "contracts:fundingallocation_remove": (MONITORING, MONITORING),
    "contracts:fundingallocation_history": READ,
    "contracts:investtosaveline_list": READ,
    "contracts:investtosaveline_add": (MONITORING, MONITORING),
    "contracts:investtosaveline_edit": (MONITORING, MONITORING),
    "contracts:investtosaveline_history": READ,
    "contracts:forecastpressure_list": READ,
    "contracts:forecastpressure_add": (MONITORING, MONITORING),
    "contracts:forecastpressure_detail": READ,
    "contracts:forecastpressure_edit": (MONITORING, MONITORING),
    "contracts:forecastpressure_history": READ,
    "savings:index": READ,
    "savings:tracker": READ,
    "savings:tracker_export": READ,
    "savings:period_start": (NOBODY, MONITORING),
    "savings:savingsline_add": (MONITORING, MONITORING),
    "savings:savingsposition_row": READ,
    "savings:savingsposition_edit": (MONITORING, MONITORING),
    "savings:savingsposition_history": READ,
    "savings:savingsline_detail": READ,
    "savings:savingsline_edit": (MONITORING, MONITORING),
    "savings:savingsline_retire": (MONITORING, MONITORING),
    "savings:savingsline_reinstate": (NOBODY, MONITORING),
    "savings:savingsline_history": READ,
    "savings:import": (MONITORING, MONITORING),
    "savings:template": READ,
    "kpis:index": READ,
    "kpis:scorecard": READ,
    "kpis:results": (MONITORING, MONITORING),
    "kpis:result_changes": READ,
    "kpis:breaches": READ,
    "kpis:kpi_detail": READ,
    "kpis:plan_add": (MONITORING, MONITORING),
    "kpis:breaches_index": READ,
    "kpis:results_index": (MONITORING, NOBODY),
    "kpis:results_upload": (MONITORING, MONITORING),
    "kpis:results_template": READ,
    "kpis:targets_index": READ,
    "kpis:targets_upload": (MONITORING, MONITORING),
    "kpis:targets_template": READ,
    "kpis:targets": (ALL, MONITORING),
    "kpis:target_changes": READ,
    "kpis:plan_list": READ,
    "kpis:plan_edit": (MONITORING, MONITORING),
    "kpis:plan_history": READ,
    "kpis:definition_list": READ,
    "kpis:definition_edit": (CONFIG, CONFIG),
    "kpis:definition_history": READ,
    "risks:risk_list": READ,
    "risks:heatmap": READ,
    "risks:risk_add": (MONITORING, MONITORING),
    "risks:risk_import": (MONITORING, MONITORING),
    "risks:import_template": READ,
    "risks:risk_export": READ,
    "risks:risk_detail": READ,
    "risks:risk_edit": (MONITORING, MONITORING),
    "risks:riskreview_add": (MONITORING, MONITORING),
    "risks:risk_status": (MONITORING, MONITORING),
    "risks:risk_history": READ,
    "risks:riskaction_add": (MONITORING, MONITORING),
    "risks:riskaction_edit": (MONITORING, MONITORING),
    "risks:riskaction_history": READ,
    "risks:riskreview_history": READ,
    "committee:meeting_list": READ,
    "committee:committee_detail": READ,
    "committee:committee_edit": (CLERKS, CLERKS),
    "committee:member_add": (CLERKS, CLERKS),
    "committee:member_edit": (CLERKS, CLERKS),
    "committee:meeting_add": (CLERKS, CLERKS),
    "committee:meeting_detail": READ,
    "committee:meeting_edit": (CLERKS, CLERKS),
    "committee:pack_panel": READ,
    "committee:pack_build": (NOBODY, CLERKS),
    "committee:agendaitem_add": (CLERKS, CLERKS),
    "committee:agendaitem_edit": (CLERKS, CLERKS),
    "committee:agendaitem_delete": (NOBODY, CLERKS),
    "committee:minutes_edit": (CLERKS, CLERKS),
    "committee:minuteitem_add": (CLERKS, CLERKS),
    "committee:minuteitem_edit": (CLERKS, CLERKS),
    "committee:report_add": (REPORTS, REPORTS),
    "committee:report_detail": READ,
    "committee:report_edit": (REPORTS, REPORTS),
    "committee:report_pdf": READ,
    "committee:report_final": (NOBODY, REPORTS),
    "committee:reportsection_add": (REPORTS, REPORTS),
    "committee:reportsection_edit": (REPORTS, REPORTS),
    "committee:reportsection_delete": (NOBODY, REPORTS),
    "committee:reportappendix_add": (REPORTS, REPORTS),
    "committee:reportappendix_delete": (NOBODY, REPORTS),
    "committee:pack_publish": (CLERKS, CLERKS),
    "committee:pack_discard": (NOBODY, CLERKS),
    "committee:pack_download": READ,
    "committee:pack_history": READ,
}


def url_names(patterns: list[Any] | None = None, namespace: str | None = None) -> Iterator[str]:
    """Every named URL of the product (Django's admin is checked separately)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_the_policy_lists_every_url_and_nothing_else():
    assert sorted(set(url_names())) == sorted(POLICY)


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, media_root: Any) -> None:
    # One media folder for the whole module: the records made once below point at its files.
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root) -> Iterator[dict[str, Any]]:
    """The demo data, one of every record a URL names, and a client per user."""
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=media_root),
    ):
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", password="a-long-test-password", verbosity=0, stdout=quiet)
        yield _world()
        transaction.set_rollback(True)


def _world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from nct_monitor.choices import ImportStatus

    p10 = Period.objects.get(year__start_year=2023, number=10)
    meeting = Meeting.objects.get(date="2024-03-06")
    minutes_meeting = Meeting.objects.get(date="2024-01-16")
    report = OfficerReport.objects.get(title__startswith="Review of realisation")
    risk = Risk.objects.order_by("pk").first()
    officer = get_user_model().objects.get(username="officer")
    review = record_review(
        risk=risk,
        period=p10,
        probability=3,
        impact=3,
        position="Reviewed",
        further_actions="",
        reviewer="Owner",
        reviewed_on=date(2024, 1, 20),
        user=officer,
    )
    action = save_action(
        risk=risk, description="Check", owner="Owner", due_date=date(2024, 6, 30), user=officer
    )
    # The demo publishes the March meeting's public pack; a new version is then being built.
    public_pack = AgendaPack.objects.get(meeting=meeting, variant="public", status="published")
    pack = committee_services.start_pack_build(meeting=meeting, variant="public", user=None)
    run = ImportRun.objects.create(
        kind="savings",
        filename="r.xlsx",
        status=ImportStatus.PREVIEWED,
        params={"year": "2023/24", "period": 10},
        uploaded_by=officer,
    )
    run.file.save("return.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"))
    position = SavingsPosition.objects.order_by("pk").first()
    plan = RectificationPlan.objects.create(
        kpi=KpiDefinition.objects.get(number=1),
        breach_start=p10,
        breach_end=p10,
        owner="Director",
        actions="Recover",
        due_date=date(2024, 3, 31),
    )
    kwargs = {
        "period_sign_off": {"pk": p10.pk},
        "period_reopen": {"pk": p10.pk},
        "period_history": {"pk": p10.pk},
        "import_run": {"pk": run.pk},
        "import_confirm": {"pk": run.pk},
        "import_cancel": {"pk": run.pk},
        "dashboard_period": {"year": 2023, "period": 9},
        "contracts:shareschedule_history": {"pk": ShareSchedule.objects.first().pk},
        "contracts:contractsum_edit": {"pk": ContractSum.objects.first().pk},
        "contracts:contractsum_history": {"pk": ContractSum.objects.first().pk},
        "contracts:mtfpbuildup_edit": {"pk": MtfpBuildUp.objects.first().pk},
        "contracts:mtfpbuildup_history": {"pk": MtfpBuildUp.objects.first().pk},
        "contracts:businesscase_detail": {"pk": BusinessCase.objects.first().pk},
        "contracts:businesscase_edit": {"pk": BusinessCase.objects.first().pk},
        "contracts:businesscase_history": {"pk": BusinessCase.objects.first().pk},
        "contracts:businesscasesaving_add": {"case": BusinessCase.objects.first().pk},
        "contracts:businesscasesaving_edit": {"pk": BusinessCaseSaving.objects.first().pk},
        "contracts:businesscasesaving_remove": {"pk": BusinessCaseSaving.objects.first().pk},
        "contracts:businesscasesaving_history": {"pk": BusinessCaseSaving.objects.first().pk},
        "contracts:fundingallocation_edit": {"pk": FundingAllocation.objects.first().pk},
        "contracts:fundingallocation_remove": {"pk": FundingAllocation.objects.first().pk},
        "contracts:fundingallocation_history": {"pk": FundingAllocation.objects.first().pk},
        "contracts:investtosaveline_edit": {"pk": InvestToSaveLine.objects.first().pk},
        "contracts:investtosaveline_history": {"pk": InvestToSaveLine.objects.first().pk},
        "contracts:forecastpressure_detail": {"year": 2023, "period": 9},
        "contracts:forecastpressure_edit": {"year": 2023, "period": 10},
        "contracts:forecastpressure_history": {"pk": ForecastPressure.objects.first().pk},
        "savings:tracker": {"year": 2023, "period": 9},
        "savings:tracker_export": {"year": 2023, "period": 9, "fmt": "xlsx"},
        "savings:period_start": {"year": 2023, "period": 10},
        "savings:savingsline_add": {"year": 2023, "period": 10},
        "savings:savingsposition_row": {"pk": position.pk},
        "savings:savingsposition_edit": {"pk": position.pk},
        "savings:savingsposition_history": {"pk": position.pk},
        "savings:savingsline_detail": {"pk": SavingsLine.objects.first().pk},
        "savings:savingsline_edit": {"pk": SavingsLine.objects.first().pk},
        "savings:savingsline_retire": {"pk": SavingsLine.objects.first().pk},
        "savings:savingsline_reinstate": {"pk": SavingsLine.objects.first().pk},
        "savings:savingsline_history": {"pk": SavingsLine.objects.first().pk},
        "kpis:scorecard": {"year": 2023, "period": 10},
        "kpis:results": {"year": 2023, "period": 10},
        "kpis:result_changes": {"year": 2023, "period": 10},
        "kpis:breaches": {"year": 2023, "period": 10},
        "kpis:kpi_detail": {"year": 2023, "period": 10, "number": 1},
        "kpis:plan_add": {"year": 2023, "period": 10, "number": 1},
        "kpis:targets": {"year": 2023},
        "kpis:target_changes": {"year": 2023},
        "kpis:plan_edit": {"pk": plan.pk},
        "kpis:plan_history": {"pk": plan.pk},
        "kpis:definition_edit": {"number": 1},
        "kpis:definition_history": {"pk": 1},
        "risks:risk_detail": {"pk": risk.pk},
        "risks:risk_edit": {"pk": risk.pk},
        "risks:riskreview_add": {"pk": risk.pk},
        "risks:risk_status": {"pk": risk.pk},
        "risks:risk_history": {"pk": risk.pk},
        "risks:riskaction_add": {"risk": risk.pk},
        "risks:riskaction_edit": {"pk": action.pk},
        "risks:riskaction_history": {"pk": action.pk},
        "risks:riskreview_history": {"pk": review.pk},
        "committee:committee_detail": {"pk": Committee.objects.first().pk},
        "committee:committee_edit": {"pk": Committee.objects.first().pk},
        "committee:member_add": {"committee": Committee.objects.first().pk},
        "committee:member_edit": {
            "committee": Committee.objects.first().pk,
            "pk": CommitteeMember.objects.first().pk,
        },
        "committee:meeting_add": {"committee": Committee.objects.first().pk},
        "committee:meeting_detail": {"pk": meeting.pk},
        "committee:meeting_edit": {"pk": meeting.pk},
        "committee:pack_panel": {"pk": meeting.pk},
        "committee:pack_build": {"pk": meeting.pk},
        "committee:agendaitem_add": {"meeting": meeting.pk},
        "committee:agendaitem_edit": {"meeting": meeting.pk, "pk": meeting.items.first().pk},
        "committee:agendaitem_delete": {"meeting": meeting.pk, "pk": meeting.items.first().pk},
        "committee:minutes_edit": {"meeting": minutes_meeting.pk},
        "committee:minuteitem_add": {"meeting": minutes_meeting.pk},
        "committee:minuteitem_edit": {
            "meeting": minutes_meeting.pk,
            "pk": MinuteItem.objects.filter(minutes__meeting=minutes_meeting).first().pk,
        },
        "committee:report_add": {"item": AgendaItem.objects.get(meeting=meeting, number=1).pk},
        "committee:report_detail": {"pk": report.pk},
        "committee:report_edit": {"pk": report.pk},
        "committee:report_pdf": {"pk": report.pk},
        "committee:report_final": {"pk": report.pk},
        "committee:reportsection_add": {"report": report.pk},
        "committee:reportsection_edit": {"report": report.pk, "pk": report.sections.first().pk},
        "committee:reportsection_delete": {"report": report.pk, "pk": report.sections.first().pk},
        "committee:reportappendix_add": {"report": report.pk},
        "committee:reportappendix_delete": {
            "report": report.pk,
            "pk": ReportAppendix.objects.filter(report=report).first().pk,
        },
        "committee:pack_publish": {"pk": pack.pk},
        "committee:pack_discard": {"pk": pack.pk},
        "committee:pack_download": {"pk": _published_pack(meeting).pk},
        "committee:pack_history": {"pk": pack.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "public:meeting": {"pk": meeting.pk},
        "public:pack": {"pk": public_pack.pk},
        "public:report": {"pk": report.pk},
        "public:report_pdf": {"pk": report.pk},
        "people:user_edit": {"pk": officer.pk},
        "people:password_link": {"pk": officer.pk},
        "people:two_factor_reset": {"pk": officer.pk},
    }
    assert ReportSection.objects.exists() and AgendaPack.objects.exists()
    return {"kwargs": kwargs}


def _published_pack(meeting: Meeting) -> AgendaPack:
    minutes_meeting = Meeting.objects.get(date="2024-01-16")
    pack = committee_services.start_pack_build(meeting=minutes_meeting, variant="public", user=None)
    pdf = b"%PDF-1.7"
    AgendaPack.objects.filter(pk=pack.pk).update(
        status="published", sha256=hashlib.sha256(pdf).hexdigest()
    )
    pack.refresh_from_db()
    pack.file.save("test.pdf", ContentFile(pdf))
    return pack


def _client(user: str) -> Client:
    client = Client()
    if user != ANON:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=user))
    return client


def _allowed(response: Any) -> bool:
    if response.status_code in (403, 405):
        return False
    if response.status_code in (301, 302):
        # Sent to sign in first (and back here after): refused. Signing out also ends at the
        # login page, but without `next`.
        location = response.get("Location", "")
        return not ("/login/" in location and "next=" in location)
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_url_allows_exactly_the_roles_its_policy_names(world, name):
    url = reverse(name, kwargs=world["kwargs"].get(name, {}))
    may_get, may_post = POLICY[name]
    wrong = []
    for user in USERS:
        client = _client(user)
        for method, permitted in (("GET", may_get), ("POST", may_post)):
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url, {})
                transaction.set_rollback(True)
            assert response.status_code < 500, f"{method} {url} as {user}: {response.status_code}"
            if _allowed(response) != (user in permitted):
                verb = "allowed" if _allowed(response) else "refused"
                wrong.append(f"{method} as {user} was {verb} ({response.status_code})")
    assert not wrong, f"{name} ({url}): " + "; ".join(wrong)


def admin_urls() -> list[str]:
    """Django's administration pages that need no record: its index and each list and add."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username=ADMIN)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        # Logs (sign-in attempts, task results) cannot be added by hand, even by administrators.
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{name}_add"))
    return urls


@pytest.mark.django_db
def test_only_administrators_reach_the_administration_site(world):
    wrong = []
    for url in admin_urls():
        for user in USERS:
            for method in ("GET", "POST"):
                with transaction.atomic():
                    client = _client(user)
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    transaction.set_rollback(True)
                assert response.status_code < 500, f"{method} {url} as {user}"
                if _allowed(response) != (user == ADMIN):
                    wrong.append(f"{method} {url} as {user}: {response.status_code}")
    assert not wrong, "; ".join(wrong)
