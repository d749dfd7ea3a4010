"""The coordinator's setup page in the browser: an error summary that takes the focus."""

import pytest
from playwright.sync_api import Page, expect

from cohortkit.applications.models import ApplicationForm, EligibilityRule, Question, Quota
from cohortkit.courses.models import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, RunFactory, RunRoleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def coordinator_of_a_run(page: Page, base: str):
    run = RunFactory()
    coordinator = UserFactory(email="coordinator@example.org")
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("coordinator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return run


def test_a_rule_with_errors_gets_a_focused_summary_linking_to_the_field(
    page: Page, live_server: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run = coordinator_of_a_run(page, base)
    EligibilityRule.objects.create(run=run, column="region", allowed=["africa"], reason="Africa")
    page.goto(f"{base}/courses/{run.course.slug}/{run.slug}/applications/setup/")

    rules = page.locator("section", has=page.get_by_role("heading", name="Eligibility rules"))
    rules.get_by_label("Reason when not met").first.fill("Typed, not saved")
    rules.get_by_label("Allowed answers").first.fill("")
    rules.get_by_role("button", name="Save rules").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text(
        "Africa, Allowed answers or wiki groups: Give at least one allowed answer."
    )
    expect(page.locator("#rules-0-row legend")).to_have_text("Africa")
    summary.get_by_role("link", name="Africa, Allowed answers or wiki groups").click()
    expect(page.locator("#id_rules-0-allowed_text")).to_be_focused()
    assert axe_violations(page) == []
    assert csp_violations == []
    screenshot(page, "application-setup-errors")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "application-setup-errors-phone", full_page=False)


def test_the_quota_value_list_follows_the_chosen_question(
    page: Page, live_server: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run = coordinator_of_a_run(page, base)
    form = ApplicationForm.objects.create(run=run)
    question = Question.objects.create(
        form=form, label="Which wiki?", kind="choice", options="Wikipedia\nWiktionary"
    )
    page.goto(f"{base}/courses/{run.course.slug}/{run.slug}/applications/selection/")
    row = page.locator("#quotas-0-row")
    row.get_by_label("Kind").select_option("at_least")
    with page.expect_response(lambda r: "quotas-0-column" in r.url):
        row.get_by_label("Answer").select_option(label="Which wiki?")
    values = row.get_by_label("Value")
    expect(values.locator("option")).to_have_text(["Choose a value", "Wikipedia", "Wiktionary"])
    values.select_option("Wiktionary")
    row.get_by_label("Count").fill("2")
    assert axe_violations(page) == []
    screenshot(page, "application-quota-values")
    page.get_by_role("button", name="Save quotas").click()
    expect(page.locator(".messages")).to_contain_text("Quotas saved.")
    assert list(Quota.objects.values_list("column", "value", "count")) == [
        (question.key, "Wiktionary", 2)
    ]
    assert csp_violations == []
