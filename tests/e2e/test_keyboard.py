"""Entering a period's data with the keyboard alone: Tab, Shift+Tab, typing, Enter and Space.

Every element the keyboard reaches on the way must show that it has the focus, and every page
and state on the way passes axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from kpis.models import KpiResult
from savings.models import SavingsPosition
from tests.e2e.conftest import axe

pytestmark = pytest.mark.django_db(transaction=True)

# What has the focus: its tag, id, accessible text (a control's label), and whether the focus
# can be seen (GOV.UK Frontend draws it as a yellow outline or box shadow).
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && !/rgba\\(\\d+, \\d+, \\d+, 0\\)|transparent/.test(style.outlineColor);
  const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    classes: element.className,
    text: (label || element.innerText || element.value || "").replace(/\\s+/g, " ").trim(),
    visible: outline || style.boxShadow !== "none",
  };
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def tab_to(
    page: Any,
    wanted: Callable[[dict[str, Any]], bool],
    *,
    backwards: bool = False,
    limit: int = 200,
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element is the one wanted, checking on the
    way that every element that takes the focus shows it."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        assert element["visible"], f"The focus cannot be seen on {element}"
        if wanted(element):
            return element
    pytest.fail(f"The keyboard did not reach the element wanted in {limit} presses.")


def text_is(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda element: element["text"] == text


def id_is(element_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda element: element["id"] == element_id


def replace_text(page: Any, text: str) -> None:
    """Type over what the focused box holds."""
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def arrive(page: Any, heading: str) -> None:
    """Wait until the page a key press opened has loaded, its scripts too, and check it."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state()
    axe(page)


def skip_to_main_content(page: Any) -> None:
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["text"], skip["visible"]) == ("Skip to main content", True)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"


def test_officer_enters_a_kpi_result_with_the_keyboard_alone(demo, pages):
    page = pages("officer")
    axe(page)  # the overview, where signing in lands

    skip_to_main_content(page)
    # From the overview's main content, back up into the menu.
    tab_to(page, text_is("KPIs"), backwards=True)
    page.keyboard.press("Enter")
    arrive(page, "KPI scorecard: 2024/25 P9 (December 2024)")

    tab_to(page, text_is("2024/25 P10 →"))
    page.keyboard.press("Enter")
    arrive(page, "KPI scorecard: 2024/25 P10 (January 2025)")

    tab_to(page, text_is("Enter results for 2024/25 P10"))
    page.keyboard.press("Enter")
    arrive(page, "KPI results for 2024/25 P10 (January 2025)")

    # 120% is not a percentage: the error summary takes the focus and links to the box.
    skip_to_main_content(page)
    assert tab_to(page, id_is("id_form-0-value"))["text"] == "KPI 1 value"
    page.keyboard.type("120")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("KPI 1")
    assert focused(page)["visible"]
    axe(page)
    assert not KpiResult.objects.filter(
        kpi__number=1, period__year__start_year=2024, period__number=10
    ).exists()

    tab_to(page, lambda element: element["tag"] == "a" and "KPI 1" in element["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_label("KPI 1 value")).to_be_focused()
    replace_text(page, "68.5")
    tab_to(page, text_is("Save results"))
    page.keyboard.press("Space")

    arrive(page, "KPI scorecard: 2024/25 P10 (January 2025)")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2024/25 P10 KPI results saved"
    )
    expect(page.locator("#kpi-1 td").nth(1)).to_have_text("68.5%")
    result = KpiResult.objects.get(kpi__number=1, period__year__start_year=2024, period__number=10)
    assert result.value == Decimal("68.5")


def test_officer_edits_a_savings_line_with_the_keyboard_alone(demo, pages):
    page = pages("officer")
    axe(page)  # the overview, where signing in lands
    page.goto(f"{page.base_url}/savings/2023-24/p10/")
    axe(page)

    skip_to_main_content(page)
    tab_to(page, text_is("Start 2023/24 P10 from 2023/24 P9"))
    page.keyboard.press("Enter")
    # The success message takes the focus, so the keyboard goes on from there.
    started = page.locator(".govuk-notification-banner--success")
    expect(started).to_contain_text("15 positions carried forward into 2023/24 P10")
    expect(started).to_be_focused()
    axe(page)
    position = SavingsPosition.objects.get(
        line__title="Review of Contracts", period__year__start_year=2023, period__number=10
    )

    tab_to(page, text_is("Edit Review of Contracts"))
    page.keyboard.press("Enter")
    # The row becomes a form and its first box takes the focus.
    target = page.get_by_label("Target £'000 for Review of Contracts")
    expect(target).to_be_focused()
    axe(page)

    tab_to(page, text_is("Red £'000 for Review of Contracts"))
    replace_text(page, "25")
    tab_to(page, text_is("Green £'000 for Review of Contracts"))
    replace_text(page, "75")
    # The Save button comes before the boxes, beside the line's name.
    tab_to(page, text_is("Save Review of Contracts"), backwards=True)
    page.keyboard.press("Enter")

    banner = page.locator("#savings-tracker .govuk-notification-banner--success")
    expect(banner).to_contain_text("Review of Contracts: 2023/24 P10 position saved.")
    expect(banner).to_be_focused()
    axe(page)
    position.refresh_from_db()
    assert (position.red, position.amber, position.green) == (25_000, 0, 75_000)
    expect(page.locator(f"#line-{position.pk} .govuk-tag")).to_have_text("Red")
