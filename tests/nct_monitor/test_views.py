from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from nct_monitor import services
from nct_monitor.models import ImportRun
from nct_monitor.views import PeriodHistoryView
from tests.factories import period

pytestmark = pytest.mark.django_db


def test_every_page_but_login_and_health_needs_a_login(client):
    response = client.get(reverse("period_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_health_answers_without_a_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_login_page_has_a_title_and_british_english(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en-GB"' in html
    assert "<title>Sign in – NCT Monitor</title>" in html


def test_demo_users_log_in_with_a_password(client, officer):
    response = client.post(
        reverse("login"), {"username": "officer", "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_a_committee_members_post_anywhere_is_forbidden(member_client):
    for url in (
        reverse("period_list"),
        reverse("period_sign_off", args=[period("2023/24 P9").pk]),
        reverse("contracts:overview"),
        "/no-such-page/",
    ):
        assert member_client.post(url).status_code == 403, url


def test_a_refused_request_gets_a_page_in_the_service_layout_that_says_why(member_client):
    response = member_client.post(reverse("period_list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="en-GB"' in html
    assert "<title>You cannot do this – NCT Monitor</title>" in html
    assert "Your role can read but not change data." in html
    assert 'href="/"' in html


def test_a_missing_page_gets_a_page_in_the_service_layout(officer_client):
    response = officer_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en-GB"' in html
    assert "<title>Page not found – NCT Monitor</title>" in html


def test_forms_post_to_their_own_address_so_a_skip_link_fragment_is_not_carried_on(
    client, admin_client, officer_client
):
    # A form without an action posts to the address with its fragment (#main-content after
    # the skip link), and the page that answers then scrolls there instead of focusing its
    # error summary or success message.
    sign_off = reverse("period_sign_off", args=[period("2023/24 P9").pk])
    pages = [
        (client, "/login/?next=/kpis/"),
        (admin_client, reverse("year_add")),
        (officer_client, sign_off),
    ]
    for user_client, address in pages:
        html = user_client.get(address).content.decode()
        assert f'<form method="post" action="{escape(address)}"' in html, address


def test_a_committee_member_can_sign_out(member_client):
    assert member_client.post(reverse("logout")).status_code == 302


@pytest.mark.parametrize(
    ("client_name", "expected"),
    [
        (
            "member_client",
            ["Overview", "Contract", "Savings", "KPIs", "Risks", "Committee", "Periods"],
        ),
        (
            "officer_client",
            ["Overview", "Contract", "Savings", "KPIs", "Risks", "Committee", "Periods"],
        ),
        (
            "clerk_client",
            ["Overview", "Contract", "Savings", "KPIs", "Risks", "Committee", "Periods"],
        ),
        (
            "admin_client",
            ["Overview", "Contract", "Savings", "KPIs", "Risks", "Committee", "Periods", "Users"],
        ),
    ],
)
def test_navigation_shows_each_role_what_it_can_use(request, client_name, expected, contract):
    client = request.getfixturevalue(client_name)
    response = client.get(reverse("contracts:overview"))
    labels = [item["label"] for item in response.context["navigation_items"]]
    assert labels == expected


def test_an_officer_signs_off_a_period_through_the_page(officer_client):
    target = period("2023/24 P9")
    response = officer_client.post(reverse("period_sign_off", args=[target.pk]))
    assert response.status_code == 302
    assert period("2023/24 P9").is_signed_off


def test_a_clerk_cannot_sign_off_a_period(clerk_client):
    target = period("2023/24 P9")
    assert clerk_client.post(reverse("period_sign_off", args=[target.pk])).status_code == 403
    assert not period("2023/24 P9").is_signed_off


def test_reopening_without_a_reason_shows_the_error_and_keeps_the_period_signed_off(
    admin_client, officer
):
    target = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    response = admin_client.post(reverse("period_reopen", args=[target.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "Enter reason for reopening" in response.content.decode()
    assert period("2023/24 P9").is_signed_off


def test_an_administrator_reopens_a_period_with_a_reason(admin_client, admin_user, officer):
    target = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    response = admin_client.post(
        reverse("period_reopen", args=[target.pk]), {"reason": "Late placements invoices"}
    )
    assert response.status_code == 302
    assert not period("2023/24 P9").is_signed_off
    history = admin_client.get(reverse("period_history", args=[target.pk]))
    newest, signed_off = history.context["entries"]
    assert (newest["action"], newest["reason"]) == ("Reopened", "Late placements invoices")
    assert newest["who"] == admin_user.get_full_name()
    assert signed_off["action"] == "Signed off"
    assert signed_off["who"] == officer.get_full_name()


def test_a_history_page_reads_as_people_write(admin_client, admin_user, officer, settings):
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(datetime(2024, 7, 1, 9, 0, tzinfo=UTC), tick=False):
        target = services.sign_off_period(
            period=period("2023/24 P9"), user=officer, exceptions_reason="Invoices are late"
        )
    with time_machine.travel(datetime(2024, 7, 2, 9, 0, tzinfo=UTC), tick=False):
        services.reopen_period(period=target, user=admin_user, reason="One more invoice")
    with time_machine.travel(datetime(2024, 7, 6, 13, 5, tzinfo=UTC), tick=False):
        services.sign_off_period(
            period=period("2023/24 P9"), user=officer, exceptions_reason="Invoices are late"
        )

    history = admin_client.get(reverse("period_history", args=[target.pk]))

    entry, reopened, first = history.context["entries"]
    assert [reopened["action"], first["action"]] == ["Reopened", "Signed off"]
    assert entry["when"] == "6 Jul 2024, 14:05"  # British Summer Time
    assert entry["who"] == officer.get_full_name()
    assert entry["action"] == "Signed off"
    changes = {change["field"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes["Status"] == ("Open", "Signed off")
    assert "Status changed at" not in changes
    assert "No field changed" not in history.content.decode()


def test_accepted_gaps_read_as_a_count():
    view = PeriodHistoryView()
    gaps = [{"area": "KPIs", "message": f"KPI {n} has no result."} for n in (1, 2, 3)]
    assert view.display_sign_off_exceptions(gaps) == "3 accepted gaps"
    assert view.display_sign_off_exceptions(gaps[:1]) == "1 accepted gap"
    assert view.display_sign_off_exceptions([]) == "none"


def test_an_officer_cannot_reopen_a_period(officer_client, officer):
    target = services.sign_off_period(period=period("2023/24 P9"), user=officer)
    response = officer_client.post(reverse("period_reopen", args=[target.pk]), {"reason": "x"})
    assert response.status_code == 403


def test_the_period_list_runs_the_same_number_of_queries_for_one_year_or_seven(
    officer_client, django_assert_max_num_queries
):
    # 12 periods a page whatever the number of years: the count stays flat.
    with django_assert_max_num_queries(12):
        officer_client.get(reverse("period_list"))


def test_the_period_list_exports_csv(officer_client):
    response = officer_client.get(reverse("period_list") + "?_export=csv")
    assert response.status_code == 200
    assert "2026/27 P1" in response.content.decode()


def test_an_administrator_adds_a_year_through_the_page(admin_client):
    response = admin_client.post(reverse("year_add"))
    assert response.status_code == 302
    assert period("2027/28 P12").label == "2027/28 P12"


def test_the_app_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "nct_monitor.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_returns_list_links_a_run_only_for_those_who_may_open_it(officer_client, clerk_client):
    run = ImportRun.objects.create(
        kind="risks", filename="register.xlsx", status="refused", issues=[{"message": "x"}]
    )
    link = f'href="{reverse("import_run", args=[run.pk])}"'

    as_officer = officer_client.get(reverse("import_list")).content.decode()
    as_clerk = clerk_client.get(reverse("import_list")).content.decode()

    assert link in as_officer
    assert "register.xlsx" in as_clerk and link not in as_clerk
    assert clerk_client.get(reverse("import_run", args=[run.pk])).status_code == 403


def test_favicon_ico_leads_to_the_products_icon_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("nct_monitor/favicon.svg")
