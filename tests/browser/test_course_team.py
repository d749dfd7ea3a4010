"""A coordinator runs the course from its own pages (issue 11 item 9): creates the next
run from the previous one, invites a facilitator, adds a topic, reorders, sets the
completion rules; every new page has no serious axe violation, works on a phone and in
Arabic (right to left)."""

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cohortkit.courses.models import Invitation, Module, Role, Run, RunRole
from cohortkit.learning.models import LearningPolicy
from cohortkit.scheduling.models import Occurrence
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(
    browser: Browser, live_server: object, user: object, **options: object
) -> BrowserContext:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]  # type: ignore[attr-defined]
    )
    return context


def _check(page: Page, name: str) -> None:
    assert axe_violations(page) == []
    screenshot(page, name)


def test_create_a_run_from_the_previous_one_invite_add_a_topic_reorder_and_set_rules(
    browser: Browser, live_server: object, csp_violations: list[str]
) -> None:
    previous = RunFactory(title="2021", slug="2021", timezone="Europe/Berlin")
    for position, title in enumerate(["Introduction", "What are partnerships?"], start=1):
        module = ModuleFactory(run=previous, position=position, title=title)
        TopicFactory(module=module, position=1, title=f"{title}: reading")
    coordinator = UserFactory(display_name="Amara Coordinator", timezone="Africa/Nairobi")
    RunRoleFactory(run=previous, user=coordinator, role=Role.COORDINATOR)
    UserFactory(display_name="Mei Facilitator", email="mei@example.org")
    live = live_server.url  # type: ignore[attr-defined]
    page = _signed_in(browser, live_server, coordinator, locale="en-GB").new_page()

    # The course page offers the course's coordinators a new run.
    page.goto(f"{live}/courses/{previous.course.slug}/")
    page.get_by_role("link", name="Create a run").click()
    expect(page.get_by_role("heading", name="Create a run")).to_be_visible()
    expect(page.get_by_label("Copy the set-up of")).to_have_value(str(previous.pk))
    page.get_by_label("Title").fill("2022")
    page.get_by_label("Short name in addresses").fill("2022")
    page.get_by_label("Reference time zone").fill("America/Mexico_City")
    page.get_by_label("Seats").fill("30")
    page.get_by_label("Applications open").fill("2021-12-01T09:00")
    page.get_by_label("Applications close").fill("2022-01-05T09:00")
    page.get_by_label("Applicants notified").fill("2022-01-10T12:00")
    page.get_by_label("Onboarding call").fill("2022-01-04T10:00")  # before notification: wrong
    page.get_by_label("Course begins").fill("2022-01-24")
    page.get_by_label("Number of weeks").fill("8")
    page.get_by_role("button", name="Create the run").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "The onboarding call comes after applicants are notified"
    )
    expect(page.get_by_label("Title")).to_have_value("2022")  # nothing typed is lost
    _check(page, "course-team-run-new-error")
    page.get_by_label("Onboarding call").fill("2022-01-17T10:00")
    page.get_by_role("button", name="Create the run").click()

    # The team page: invite a facilitator who has an account and one who has not.
    expect(page.get_by_role("heading", name="Course team")).to_be_visible()
    run = Run.objects.get(slug="2022")
    page.get_by_label("E-mail address").fill("mei@example.org")
    page.get_by_label("Role", exact=False).and_(page.locator("select")).select_option(
        Role.FACILITATOR
    )
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Mei Facilitator is now Facilitator in this run")).to_be_visible()
    page.get_by_label("E-mail address").fill("diego@example.org")
    page.get_by_label("Role", exact=False).and_(page.locator("select")).select_option(
        Role.FACILITATOR
    )
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("diego@example.org has no account yet")).to_be_visible()
    _check(page, "course-team-team")

    # The outline, copied: add a topic to module 1, move it first, move module 2 up.
    page.get_by_role("link", name="Modules and topics").first.click()
    expect(page.get_by_role("heading", name="Modules and topics")).to_be_visible()
    first = Module.objects.get(run=run, position=1)
    page.locator(f"#id_m{first.pk}-title").fill("Meet your cohort")
    page.get_by_role("button", name="Add the topic to module 1").click()
    page.get_by_role("button", name="Move “Meet your cohort” up").click()
    page.get_by_role("button", name="Move “What are partnerships?” up").click()
    expect(page.locator("ol.outline-edit > li").first).to_contain_text("1. What are partnerships?")
    expect(page.locator(f"#module-{first.pk} ol li").first).to_contain_text("Meet your cohort")
    _check(page, "course-team-outline")

    page.get_by_role("link", name="Edit the module “Introduction”").click()
    # (Checked once the page has come: axe on a page still navigating finds no document.)
    expect(page.get_by_role("heading", name=re.compile(r"^Edit module \d+$"))).to_be_visible()
    _check(page, "course-team-module")
    page.get_by_role("link", name="Back to the outline").click()
    expect(page.get_by_role("heading", name="Modules and topics")).to_be_visible()

    # Completion rules.
    page.get_by_role("link", name="Completion rules").first.click()
    page.get_by_label("all topics marked done").uncheck()
    page.get_by_label("sessions attended (per cent)").fill("70")
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("The completion rules are saved.")).to_be_visible()
    _check(page, "course-team-completion-rules")

    page.get_by_role("link", name="Dates and seats").first.click()
    expect(page.get_by_label("Onboarding call")).to_have_value("2022-01-17T10:00")
    _check(page, "course-team-run-settings")

    # The run's home and timeline: the onboarding call is a live session of the new run.
    page.goto(f"{live}/courses/{run.course.slug}/2022/")
    expect(page.get_by_text("Course begins")).to_be_visible()
    onboarding = Occurrence.objects.get(session__run=run)
    assert onboarding.starts_at == datetime(2022, 1, 17, 16, tzinfo=UTC)
    assert run.starts_on == date(2022, 1, 24)
    assert sorted(RunRole.objects.filter(run=run).values_list("user__display_name", "role")) == [
        ("Amara Coordinator", "coordinator"),
        ("Mei Facilitator", "facilitator"),
    ]
    assert list(Invitation.objects.values_list("email", "role")) == [
        ("diego@example.org", "facilitator")
    ]
    policy = LearningPolicy.objects.get(run=run)
    assert (policy.requires_all_topics, policy.min_attendance_percent) == (False, 70)
    assert csp_violations == []


def test_the_team_pages_on_a_phone_and_in_arabic(browser: Browser, live_server: object) -> None:
    run = RunFactory()
    module = ModuleFactory(run=run, position=1, title="Introduction")
    TopicFactory(module=module, position=1, title="Welcome")
    coordinator = UserFactory(display_name="Amara Coordinator", interface_language="ar")
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    invitation = Invitation.objects.create(
        run=run, email="new@example.org", role=Role.REVIEWER, created_at=run.starts_at
    )
    live = live_server.url  # type: ignore[attr-defined]
    base = f"{live}/courses/{run.course.slug}/{run.slug}/team/"
    context = _signed_in(browser, live_server, coordinator, viewport={"width": 375, "height": 800})
    # What signing in does for a person whose interface language is Arabic.
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live}])
    page = context.new_page()

    for name, url in [
        ("team", base),
        ("outline", f"{base}outline/"),
        ("run-new", f"{live}/courses/{run.course.slug}/runs/new/"),
    ]:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert (name, overflow) == (name, False)
        _check(page, f"course-team-{name}-phone-ar")

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live}/invitations/{invitation.token}/")
    expect(visitor.get_by_text("You are invited to be Reviewer")).to_be_visible()
    _check(visitor, "course-team-invitation")
