"""The cohort report, as a coordinator of the 2021 demo run sees it (issue 11 item 12)."""

import pytest
from playwright.sync_api import Page, expect

from cohortkit.courses.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_dashboard import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def test_a_coordinator_reads_the_cohort_report(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "coordinator@example.org")
    page.goto(f"{base}/courses/partnership-building/2021/reports/cohort/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    expect(page.locator("main img").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "reports-cohort")
    assert csp_violations == []
