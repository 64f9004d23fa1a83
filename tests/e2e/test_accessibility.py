"""Every page in the navigation, for every role, passes axe-core's WCAG 2.2 A and AA rules."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe, new_context, watch_policy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("username", ["member", "officer", "clerk", "admin"])
def test_every_page_in_the_navigation_passes_axe(demo, pages, username):
    page = pages(username)
    axe(page)
    links = page.eval_on_selector_all(
        ".govuk-service-navigation__list a", "links => links.map(a => a.href)"
    )
    assert links
    for href in links:
        if "/admin/" in href:
            continue  # Django's own administration pages are not part of the product's UI
        page.goto(href)
        assert page.locator("h1").count() == 1, href
        axe(page)


def test_the_login_page_passes_axe(browser, live_server, transactional_db):
    context = new_context(browser)
    page = context.new_page()
    watch_policy(page)
    page.goto(f"{live_server.url}/login/")
    axe(page)
    context.close()


def test_every_contract_finance_page_passes_axe_with_an_officers_row_actions(demo, pages):
    # The lists under /contract/ show Change, Remove and History links on every row to an
    # officer; stacked in a narrow cell they must still be 24px targets.
    page = pages("officer")
    page.goto(f"{page.base_url}/contract/")
    axe(page)
    links = page.eval_on_selector_all(
        "main a[href^='/contract/']", "links => [...new Set(links.map(a => a.href))]"
    )
    lists = [
        href
        for href in links
        if not any(word in href for word in ("edit", "history", "add", "export"))
    ]
    assert any("/contract/mtfp/" in href for href in lists), lists
    for href in lists:
        page.goto(href)
        axe(page)
    page.goto(f"{page.base_url}/contract/business-cases/")
    page.locator("main table a[href*='/contract/business-cases/']").first.click()
    axe(page)


def test_the_public_site_passes_axe_without_signing_in(demo, browser, live_server):
    context = new_context(browser)
    page = context.new_page()
    watch_policy(page)
    page.goto(f"{live_server.url}/public/")
    axe(page)
    page.get_by_role("link", name="6 March 2024").click()
    assert page.locator("h1").inner_text() == "Meeting of Wednesday 6 March 2024"
    axe(page)
    page.get_by_role(
        "link", name="Review of realisation of 2023/24 NCT savings proposals", exact=True
    ).click()
    assert page.locator("h1").count() == 1
    axe(page)
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="16 January 2024").click()
    axe(page)
    context.close()
