"""The dashboard at the site root, as a participant and a coordinator, on a desktop and a
phone, in English and Arabic."""

import pytest
from playwright.sync_api import Browser, Page, expect

from cohortkit.courses.demo import DEMO_PASSWORD, load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def test_signing_in_leads_to_the_dashboard_with_what_is_next(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "participant001@example.org")
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Your next live sessions")).to_be_visible()
    expect(page.get_by_role("link", name="Join the video call").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "dashboard-participant")
    page.get_by_role("link", name="Courses", exact=True).click()
    expect(page.get_by_role("heading", name="Courses", exact=True)).to_be_visible()
    assert csp_violations == []


def test_coordinators_dashboard_on_a_phone_in_arabic(
    browser: Browser, live_server: object, demo: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
    phone = context.new_page()
    phone.goto(f"{base}/accounts/login/")
    phone.locator("#id_username").fill("coordinator@example.org")
    phone.locator("#id_password").fill(DEMO_PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url(f"{base}/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator(".dashboard-card").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(phone) == []
    screenshot(phone, "dashboard-coordinator-ar-phone")
    context.close()
