"""A visitor opens the catalogue, the course page and the sign-up form."""

import re

import pytest
from playwright.sync_api import Page, expect

from cohortkit.courses.demo import load_demo
from cohortkit.notifications.models import OutboxMessage
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "timezone_id": "America/Lima", "locale": "en-GB"}


def test_visitor_reads_catalogue_and_course_page_then_signs_up(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Courses", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "catalogue")

    page.get_by_role("link", name="Partnership Building").click()
    expect(page.get_by_role("heading", name="Partnership Building", level=1)).to_be_visible()
    run_2021 = page.locator("#run-2021")
    expect(run_2021).to_contain_text("at most 40 participants")
    for label in [
        "Applications open",
        "Applications close",
        "Successful applicants notified",
        "Onboarding call",
        "Course begins",
    ]:
        expect(run_2021).to_contain_text(label)
    expect(run_2021).to_contain_text("UTC")
    expect(page.locator(".outline > li")).to_have_count(8)
    assert axe_violations(page) == []
    screenshot(page, "course-page")

    page.goto(f"{live_server.url}/accounts/signup/")  # type: ignore[attr-defined]
    # The browser's zone is offered in the time-zone field.
    expect(page.get_by_label("Time zone")).to_have_value("America/Lima")
    assert axe_violations(page) == []
    screenshot(page, "signup")
    assert csp_violations == []


def test_course_page_on_a_phone_in_kolkata_shows_open_run_in_run_zone(
    browser: object, live_server: object, demo: object
) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, timezone_id="Asia/Kolkata", locale="en-IN"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/courses/partnership-building/")  # type: ignore[attr-defined]
    expect(page.locator("#run-2027 .badge")).to_have_text("Accepting applications")
    # No horizontal scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "course-page-phone")
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_then_the_course(
    page: Page, live_server: object, demo: object
) -> None:
    page.goto(f"{live_server.url}/")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/#main")  # type: ignore[attr-defined]
    # From the main area, Tab moves into the course cards, and Enter follows the link.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Partnership Building":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Partnership Building", level=1)).to_be_visible()


def test_a_visitor_applies_through_sign_up_and_comes_back_to_the_form(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/courses/partnership-building/2027/")
    expect(page.locator("main .run-action")).to_contain_text("Applications close")
    assert axe_violations(page) == []
    screenshot(page, "course-run-apply")
    page.locator("main").get_by_role("link", name="Apply").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.locator("main")).to_contain_text("brings you back here")
    assert axe_violations(page) == []
    page.locator("main").get_by_role("link", name="Create an account").first.click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Display name").fill("Visiting Volunteer")
    page.get_by_label("E-mail address").fill("visitor@example.org")
    page.locator("#id_password1").fill("a long enough passphrase 42")
    page.locator("#id_password2").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("visitor@example.org")).to_be_visible()
    body = OutboxMessage.objects.filter(recipient="visitor@example.org").get().body
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+)", body)
    assert link is not None
    page.goto(f"{base}{link.group(1)}")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/courses/partnership-building/2027/apply/")
    expect(page.get_by_text("Thank you: your e-mail address is confirmed.")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "course-run-apply-after-sign-up")

    page.goto(f"{base}/courses/partnership-building/")
    expect(page.locator("#run-2021").get_by_role("link", name="Study now")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#run-2021").scroll_into_view_if_needed()
    screenshot(page, "course-page-study-now", full_page=False)
    assert csp_violations == []
