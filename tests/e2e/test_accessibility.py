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
