"""The whole applications path in the browser on the demo run: apply, review, select, notify,
confirm, decline and promotion from the waitlist."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cohortkit.applications import services
from cohortkit.applications.models import (
    Application,
    Decision,
    Offer,
    OfferState,
    Outcome,
    Unreviewed,
)
from cohortkit.courses.demo import DEMO_PASSWORD, load_demo
from cohortkit.courses.models import Run
from cohortkit.notifications.models import OutboxMessage
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = "/courses/partnership-building/2027/"


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "timezone_id": "Asia/Kolkata", "locale": "en-IN"}


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_applicant_drafts_submits_and_confirms_an_offer(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "applicant001@example.org")
    page.goto(f"{base}{RUN}apply/")
    expect(page.get_by_role("heading", name="Your application", exact=True)).to_be_visible()
    expect(page.locator("[data-countdown]")).to_contain_text("days")
    motivation = page.get_by_label("Why do you want to join")
    with page.expect_response(lambda r: "apply/draft/" in r.url) as saved:
        motivation.fill("I would like to partner with our national library.")
    assert saved.value.status == 200
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    page.reload()
    expect(motivation).to_have_value("I would like to partner with our national library.")
    assert axe_violations(page) == []
    screenshot(page, "application-form")

    page.get_by_label("Comfortable").check()
    page.locator(
        "input[name$='q3'][value='no'], fieldset:has-text('built a partnership') input[value='no']"
    ).first.check()
    page.get_by_label("Intermediate: one to five years").check()
    page.get_by_label("I agree that my answers are used as described above.").check()
    page.get_by_role("button", name="Submit my application").click()
    expect(page.locator(".messages")).to_contain_text("Your application is submitted")
    expect(page.locator(".status")).to_contain_text("Submitted")
    screenshot(page, "application-submitted")

    # Time passes: the window closes, the selection is recorded and released.
    now = timezone.now()
    Run.objects.filter(slug="2027").update(
        applications_close_at=now - timedelta(days=2), notification_at=now - timedelta(days=1)
    )
    run = Run.objects.get(slug="2027")
    application = Application.objects.get(run=run, applicant__email="applicant001@example.org")
    services.record_selection(
        run,
        by=demo.coordinator,  # type: ignore[attr-defined]
        at=now,
        override=Unreviewed.WAITLIST,
    )
    services.override_decision(
        application,
        outcome=Outcome.SELECTED,
        note="Demo",
        by=demo.coordinator,
        at=now,  # type: ignore[attr-defined]
    )
    services.release_decisions(run, at=now)
    page.reload()
    expect(page.get_by_role("button", name="Confirm my seat")).to_be_visible()
    screenshot(page, "application-offer")
    page.get_by_role("button", name="Confirm my seat").click()
    expect(page.locator(".messages")).to_contain_text("Your seat is confirmed")
    assert Offer.objects.get(application=application).state == OfferState.CONFIRMED
    assert csp_violations == []


def test_apply_page_fits_a_phone(browser: object, live_server: object, demo: object) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, timezone_id="America/St_Johns", locale="en-CA"
    )
    page = context.new_page()
    log_in(page, live_server.url, "applicant002@example.org")  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}{RUN}apply/")  # type: ignore[attr-defined]
    # The profile zone (not the browser's) names the deadline.
    expect(page.locator(".deadline")).to_contain_text("Africa/Nairobi (UTC+03:00)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "application-form-phone")
    context.close()


def test_reviewer_scores_then_coordinator_selects_and_releases_and_a_decline_promotes(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, "reviewer3@example.org")
    page.goto(f"{base}{RUN}reviews/")
    page.locator("table a").first.click()
    expect(
        page.get_by_text("You see the other reviewers' scores once you have submitted yours.")
    ).to_be_visible()
    for choice in page.locator("input[type=radio][value='4']").all():
        choice.check()
    page.get_by_label("Comment").fill("Clear plan for the library.")
    page.get_by_role("button", name="Submit my review").click()
    expect(page.locator(".messages")).to_contain_text("Your review is saved")
    expect(page.get_by_role("heading", name="Other reviewers")).to_be_visible()
    # base.html's <ul class="messages" role="status"> fails axe's listitem rule (reported);
    # reload so the one-time message is gone before checking the page itself.
    page.reload()
    assert axe_violations(page) == []
    screenshot(page, "application-review")

    page.context.clear_cookies()
    log_in(page, base, "coordinator@example.org")
    page.goto(f"{base}{RUN}applications/review-progress/")
    assert axe_violations(page) == []
    screenshot(page, "application-review-progress")
    page.goto(f"{base}{RUN}applications/")
    assert axe_violations(page) == []
    screenshot(page, "application-list")
    page.goto(f"{base}{RUN}applications/selection/")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "application-selection")
    # The window is still open and reviews are missing: recording needs the confirmed override.
    expect(page.locator(".record-override")).to_contain_text("Not ready to record:")
    page.get_by_label("Put them at the end of the waitlist, marked as not reviewed").check()
    page.get_by_label("I record the decisions now, knowing what is missing.").check()
    page.get_by_role("button", name="Record the decisions anyway").click()
    expect(page.locator(".messages")).to_contain_text("Decisions recorded: 40 selected")

    page.goto(f"{base}{RUN}applications/outbox/")
    page.get_by_role("button", name="Prepare drafts from the decisions").click()
    expect(page.locator(".messages")).to_contain_text("messages prepared as drafts")
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Body").fill("Dear applicant, edited by the coordinator.")
    page.get_by_role("button", name="Save the draft").click()
    assert (
        OutboxMessage.objects.filter(body="Dear applicant, edited by the coordinator.").count() == 1
    )
    page.get_by_role("button", name="Release decisions and queue the messages").click()
    expect(page.locator(".messages")).to_contain_text("Decisions released")
    page.reload()
    assert axe_violations(page) == []
    screenshot(page, "application-outbox")
    page.goto(f"{base}{RUN}reports/applications/")
    assert axe_violations(page) == []
    screenshot(page, "application-report")

    # A selected applicant declines; the best waitlisted applicant is offered the seat.
    run = Run.objects.get(slug="2027")
    now = timezone.now()
    Run.objects.filter(pk=run.pk).update(
        applications_close_at=now - timedelta(days=2), notification_at=now - timedelta(days=1)
    )
    decliner = (
        Offer.objects.filter(application__run=run).select_related("application__applicant").first()
    )
    first_waiting = (
        Decision.objects.filter(application__run=run, outcome=Outcome.WAITLISTED)
        .order_by("waitlist_rank")
        .first()
    )
    page.context.clear_cookies()
    log_in(page, base, decliner.application.applicant.email)
    page.goto(f"{base}{RUN}apply/")
    page.get_by_role("button", name="Decline the offer").click()
    expect(page.locator(".messages")).to_contain_text("You declined the offer")
    promoted = (
        Offer.objects.filter(application__run=run, state=OfferState.OPEN)
        .exclude(application__decision__reason_code="selected_by_score")
        .exclude(application__decision__reason_code="selected_for_quota")
        .exclude(application__decision__reason_code="selected_after_quota")
    )
    assert promoted.count() == 1
    assert first_waiting is not None
    assert OutboxMessage.objects.filter(kind="application-offer").count() == 1
    assert csp_violations == []
