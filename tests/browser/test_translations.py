"""A visitor switches the interface to Arabic and the course content to Spanish and Arabic;
a translator saves a unit with Ctrl+Enter."""

import pytest
from playwright.sync_api import Page, expect

from cohortkit.courses.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def test_interface_in_arabic_is_right_to_left_and_content_language_switches(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/translations/partnership-building/read/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Partnership Building")

    # The interface language: the selector in the header posts to set_language.
    page.select_option("#language-select", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("link", name="الدورات", exact=True)).to_be_visible()

    # The content language: Arabic, partly translated, so some units fall back to English.
    page.locator(".content-language button[value=ar]").click()
    expect(page.locator("h1")).to_have_text("بناء الشراكات")
    expect(page.locator(".translated-content").first).to_have_attribute("dir", "rtl")
    expect(page.locator(".fallback").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "translations-course-arabic-rtl")

    page.locator(".content-language button[value=es]").click()
    expect(page.locator("h1")).to_have_text("Construcción de alianzas")
    expect(page.locator(".fallback")).to_have_count(0)
    expect(page.locator(".outline > li")).to_have_count(8)
    screenshot(page, "translations-course-spanish-content-arabic-interface")
    assert csp_violations == []


def test_translator_saves_a_unit_with_ctrl_enter_and_sees_the_outdated_diff(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("translator@example.org")
    page.get_by_label("Password").fill("demo-password-2021")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}/translations/partnership-building/ar/?state=outdated")
    unit = page.locator(".unit").first
    expect(unit.locator(".diff ins")).to_contain_text("the facilitators read it every day")
    assert axe_violations(page) == []
    screenshot(page, "translations-editor-outdated")

    page.goto(f"{base}/translations/partnership-building/ar/?state=untranslated")
    first = page.locator(".unit").first
    unit_id = first.get_attribute("id")
    field = first.locator("textarea")
    field.fill("ترجمة تجريبية")
    field.press("Control+Enter")
    saved = page.locator(f"#{unit_id}")
    expect(saved.locator(".saved")).to_have_text("Saved.")
    expect(saved).to_have_class("unit unit-translated")
    # The focus moved on to the next unit's field.
    focused = page.evaluate("document.activeElement.closest('.unit').id")
    assert focused != unit_id
    screenshot(page, "translations-editor-saved", full_page=False)
    assert csp_violations == []
