"""The coordinator's setup page in the browser: an error summary that takes the focus."""

import pytest
from playwright.sync_api import Page, expect

from cohortkit.applications.models import EligibilityRule
from cohortkit.courses.models import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, RunFactory, RunRoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rule_with_errors_gets_a_focused_summary_linking_to_the_field(
    page: Page, live_server: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run = RunFactory()
    coordinator = UserFactory(email="coordinator@example.org")
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    EligibilityRule.objects.create(run=run, column="region", allowed=["africa"], reason="Africa")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("coordinator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/courses/{run.course.slug}/{run.slug}/applications/setup/")

    rules = page.locator("section", has=page.get_by_role("heading", name="Eligibility rules"))
    rules.get_by_label("Reason when not met").first.fill("Typed, not saved")
    rules.get_by_label("Allowed answers").first.fill("")
    rules.get_by_role("button", name="Save rules").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Africa, Allowed answers: This field is required.")
    expect(page.locator("#rules-0-row legend")).to_have_text("Africa")
    summary.get_by_role("link", name="Africa, Allowed answers").click()
    expect(page.locator("#id_rules-0-allowed_text")).to_be_focused()
    assert axe_violations(page) == []
    assert csp_violations == []
    screenshot(page, "application-setup-errors")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "application-setup-errors-phone", full_page=False)
