"""A participant who switched to self-paced reads their schedule: sessions and attendance do
not apply to them; the recordings are a link away."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cohortkit.accounts.models import User
from cohortkit.courses.demo import load_demo
from cohortkit.courses.models import Run
from cohortkit.learning.models import ParticipantState, ParticipantStatus
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_dashboard import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: object) -> object:
    return load_demo()


def test_a_self_paced_learner_reads_that_sessions_do_not_apply(
    page: Page, live_server: object, demo: object, csp_violations: list[str]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    person = User.objects.get(email="participant001@example.org")
    run = Run.objects.get(roles__user=person, roles__role="participant", slug="autumn-2026")
    ParticipantStatus.objects.update_or_create(
        run=run,
        user=person,
        defaults={"state": ParticipantState.SELF_PACED, "self_paced_at": timezone.now()},
    )
    log_in(page, base, person.email)
    page.goto(f"{base}/courses/{run.course.slug}/{run.slug}/schedule/")
    expect(page.locator(".at-own-pace")).to_contain_text("do not apply to you")
    expect(
        page.locator(".at-own-pace").get_by_role("link", name="Session recordings")
    ).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "scheduling-schedule-self-paced")
    assert csp_violations == []
