"""A person sets their profile: the course content language is a list of the languages on
offer, each in its own name (issue 11 item 7)."""

import pytest
from playwright.sync_api import Page, expect

from cohortkit.accounts.models import User
from cohortkit.courses.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_dashboard import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def test_the_content_language_is_chosen_from_the_languages_on_offer(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "participant001@example.org")
    page.goto(f"{base}/accounts/profile/")
    language = page.get_by_label("Course content language")
    expect(language.locator("option[value=es]")).to_have_text("Español")
    expect(language.locator("option[value=ar]")).to_have_text("العربية")
    language.select_option("es")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Course content language")).to_have_value("es")
    assert User.objects.get(email="participant001@example.org").content_language == "es"
    assert axe_violations(page) == []
    screenshot(page, "profile")
    assert csp_violations == []
