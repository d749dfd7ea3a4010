"""A participant in Kolkata paints their availability, the coordinator plans and accepts,
and the participant reads the schedule in the browser's zone (also on a phone)."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cohortkit.courses.models import Role
from cohortkit.scheduling.models import Occurrence, WeeklyAvailability
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import RunFactory, RunRoleFactory, UserFactory, open_run_window

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


def test_availability_grid_to_schedule_in_the_browsers_zone(
    browser: Browser, live_server: object, csp_violations: list[str]
) -> None:
    # A run still to come: a plan can only be accepted before the run's last day.
    run = open_run_window(RunFactory(), timezone.now())
    participant = UserFactory(display_name="Kavya Example", timezone="UTC")
    coordinator = UserFactory(display_name="Amara Coordinator", timezone="Africa/Nairobi")
    RunRoleFactory(run=run, user=participant, role=Role.PARTICIPANT)
    RunRoleFactory(run=run, user=coordinator, role=Role.COORDINATOR)
    for zone in ["America/New_York", "Europe/Berlin", "Asia/Kathmandu"]:
        RunRoleFactory(run=run, user=UserFactory(timezone=zone), role=Role.PARTICIPANT)
    base = f"{live_server.url}/courses/{run.course.slug}/{run.slug}/schedule/"  # type: ignore[attr-defined]

    context = _signed_in(
        browser, live_server, participant, timezone_id="Asia/Kolkata", locale="en-GB"
    )
    page = context.new_page()
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # The profile offers the browser's zone; the person takes it (the server uses the profile).
    page.goto(f"{live_server.url}/accounts/profile/")  # type: ignore[attr-defined]
    # Chromium names Kolkata by its older alias Asia/Calcutta; the page offers the current name.
    zone = "Asia/Kolkata"
    expect(page.locator("#id_timezone-browser")).to_contain_text(zone)
    page.get_by_label("Time zone").fill(zone)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    page.goto(base + "availability/")
    expect(page.get_by_label("Your time zone")).to_have_value(zone)
    page.get_by_role("button", name="Clear everything").click()
    expect(page.locator("input[name=slot]:checked")).to_have_count(0)
    # Press on Monday 19:00 and drag down to Monday 20:45 (slots 76 ... 83).
    first, last = page.locator("#slot-76"), page.locator("#slot-83")
    first.scroll_into_view_if_needed()
    box_first, box_last = first.bounding_box(), last.bounding_box()
    assert box_first
    assert box_last
    page.mouse.move(box_first["x"] + 5, box_first["y"] + 3)
    page.mouse.down()
    page.mouse.move(box_last["x"] + 5, box_last["y"] + 3, steps=12)
    page.mouse.up()
    # Keyboard: arrow down from the last painted cell (7 cells a row) and tick with Space.
    last.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#slot-84")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("input[name=slot]:checked")).to_have_count(9)
    assert axe_violations(page) == []
    screenshot(page, "scheduling-availability", full_page=False)
    page.get_by_role("button", name="Save my availability").click()
    expect(page.get_by_text("Your availability is saved.")).to_be_visible()
    row = WeeklyAvailability.objects.get(run=run, user=participant)
    assert (row.timezone, row.availability.to_text()) == (zone, "Mon 19:00-21:15")

    # The coordinator plans one weekly hour and accepts it.
    staff = _signed_in(browser, live_server, coordinator, timezone_id="Africa/Nairobi")
    staff_page = staff.new_page()
    staff_page.goto(base + "planner/")
    staff_page.get_by_label("Duration in minutes").fill("60")
    staff_page.get_by_role("button", name="Plan").click()
    expect(staff_page.get_by_text("4 of 4 participants (100%)")).to_be_visible()
    expect(staff_page.locator("img.heatmap")).to_be_visible()
    # The SVG arrives after the page: wait until the browser has finished loading it.
    # (Polled from here: wait_for_function's string predicate is an eval that the page's
    # strict CSP refuses when the first check is not already true.)
    for _ in range(150):
        if staff_page.evaluate("document.querySelector('img.heatmap').complete"):
            break
        staff_page.wait_for_timeout(100)
    assert staff_page.evaluate("document.querySelector('img.heatmap').naturalWidth") > 0
    assert axe_violations(staff_page) == []
    screenshot(staff_page, "scheduling-planner")
    staff_page.get_by_role("button", name="Accept this plan and create the sessions").click()
    expect(staff_page.get_by_text("The plan is accepted")).to_be_visible()
    staff.close()

    # Back in Kolkata: Monday sessions at local times inside 19:00-21:15, the zone named.
    page.goto(base)
    rows = page.locator("tr[id^=occurrence-]")
    expect(rows).to_have_count(Occurrence.objects.filter(session__run=run).count())
    weekly = page.locator("tr", has_text="Weekly live session")
    expect(weekly.first).to_contain_text(f"{zone} (UTC+05:30)")
    text = weekly.first.locator("td").first.inner_text()
    assert text.startswith("Mon")
    assert re.search(r"\b[78](:\d\d)? p\.m\.|\b(19|20):\d\d\b", text), text
    assert axe_violations(page) == []
    screenshot(page, "scheduling-schedule")
    assert csp_violations == []
    context.close()

    phone = _signed_in(
        browser,
        live_server,
        participant,
        timezone_id="Asia/Kolkata",
        viewport={"width": 390, "height": 844},
    )
    small: Page = phone.new_page()
    small.goto(base)
    expect(small.locator("tr", has_text="Weekly live session").first).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(small, "scheduling-schedule-phone")
    small.goto(base + "availability/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(small, "scheduling-availability-phone", full_page=False)
    phone.close()
