"""The pages changed for issue 11 items 7 and 11, in the browser: the move form warns about
office hours clashing with the facilitator's weekly session (and keeps what was typed);
the plan page offers accepting for the remaining weeks mid-run; "Course begins" is the
run's first day in Mexico City."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, expect

from cohortkit.courses.models import Role
from cohortkit.scheduling.models import SessionKind, SessionPlan
from cohortkit.scheduling.services import compute_plan
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series

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


def test_moving_office_hours_onto_a_weekly_session_names_it_and_asks(
    browser: Browser, live_server: object, csp_violations: list[str]
) -> None:
    run = RunFactory()
    facilitator = UserFactory(display_name="Diego Facilitator", timezone="America/Bogota")
    RunRoleFactory(run=run, user=facilitator, role=Role.FACILITATOR)
    weekly = weekly_series(run, weekday=1, start=time(14, 0), title="Weekly live session, group 1")
    weekly.facilitator = facilitator
    weekly.save()
    office = weekly_series(
        run, weekday=3, start=time(9, 0), kind=SessionKind.OFFICE_HOURS, title="Office hours 1"
    )
    office.facilitator = facilitator
    office.save()
    week_2 = office.occurrences.get(week=2)
    page = _signed_in(browser, live_server, facilitator, locale="en-GB").new_page()
    url = f"{live_server.url}/courses/{run.course.slug}/{run.slug}/schedule/sessions/{week_2.pk}/"  # type: ignore[attr-defined]

    with time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False):
        page.goto(url)
        page.get_by_label("New start (date and time)").fill("2021-02-16T09:30")
        page.get_by_label("In the time zone").fill("America/Bogota")
        page.get_by_label("Note for participants").fill("Moved for the holiday")
        page.get_by_role("button", name="Move", exact=True).click()

        alert = page.get_by_role("alert").filter(has_text="Diego Facilitator facilitates")
        expect(alert).to_contain_text("Weekly live session, group 1")
        expect(page.get_by_label("Note for participants")).to_have_value("Moved for the holiday")
        assert axe_violations(page) == []
        screenshot(page, "session-move-clash")
        page.get_by_label("Move anyway, although it clashes with the meetings named above").check()
        page.get_by_role("button", name="Move", exact=True).click()
        expect(page.get_by_text("The session is moved")).to_be_visible()
    assert csp_violations == []


def test_the_plan_page_mid_run_offers_the_remaining_weeks(
    browser: Browser, live_server: object
) -> None:
    run = RunFactory()
    coordinator = UserFactory(display_name="Amara Coordinator")
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    RunRoleFactory(run=run, user=UserFactory(), role=Role.PARTICIPANT)
    plan = compute_plan(SessionPlan.objects.create(run=run, sessions=1, duration_minutes=60))
    page = _signed_in(browser, live_server, coordinator).new_page()

    with time_machine.travel(datetime(2021, 3, 3, tzinfo=UTC), tick=False):
        page.goto(
            f"{live_server.url}/courses/{run.course.slug}/{run.slug}/schedule/planner/{plan.pk}/"
        )  # type: ignore[attr-defined]
        expect(
            page.get_by_role("button", name="Accept this plan for the remaining weeks")
        ).to_be_visible()
        assert axe_violations(page) == []
        screenshot(page, "plan-mid-run")


def test_course_begins_is_the_first_day_in_mexico_city(
    browser: Browser, live_server: object
) -> None:
    run = RunFactory(timezone="Europe/Berlin", starts_on=date(2021, 1, 11))
    viewer = UserFactory(timezone="America/Mexico_City")
    page = _signed_in(browser, live_server, viewer, timezone_id="America/Mexico_City").new_page()

    page.goto(f"{live_server.url}/courses/{run.course.slug}/{run.slug}/")  # type: ignore[attr-defined]

    expect(page.locator(".timeline li").last).to_have_text("Course begins: Mon Jan. 11, 2021")
    screenshot(page, "run-home-course-begins")
