from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from cohortkit.courses.demo import load_demo
from tests.factories import (
    CourseFactory,
    ModuleFactory,
    RunFactory,
    RunRoleFactory,
    TopicFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _course_with(runs: int, modules: int, topics: int) -> str:
    course = CourseFactory()
    for _ in range(runs):
        run = RunFactory(course=course)
        RunRoleFactory(run=run, role="coordinator")
        for position in range(1, modules + 1):
            module = ModuleFactory(run=run, position=position)
            for index in range(1, topics + 1):
                TopicFactory(module=module, position=index)
    return course.slug


def test_course_page_makes_the_same_number_of_queries_for_one_or_many_runs(client: Client) -> None:
    small = _course_with(runs=1, modules=1, topics=1)
    large = _course_with(runs=5, modules=8, topics=4)
    # Five for the course, runs, outline and coordinators; one for its language versions.
    assert (
        page_queries(client, f"/courses/{small}/")
        == page_queries(client, f"/courses/{large}/")
        == 6
    )


def test_catalogue_makes_the_same_number_of_queries_for_one_or_many_courses(client: Client) -> None:
    _course_with(runs=1, modules=1, topics=1)
    one = page_queries(client, "/")
    for _ in range(6):
        _course_with(runs=3, modules=2, topics=1)
    # Courses, runs, and the published language versions of every course at once (which
    # language each is shown in); nothing more while every course is shown in its own.
    assert page_queries(client, "/") == one == 3


def test_course_page_shows_the_2021_run_with_five_milestones_40_seats_and_eight_modules(
    client: Client,
) -> None:
    load_demo()
    response = client.get("/courses/partnership-building/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 40 participants" in html
    for text in [
        "Applications open",
        "Applications close",
        "Successful applicants notified",
        "Onboarding call",
        "Course begins",
    ]:
        assert text in html
    # Anonymous visitors see the run's own zone, named.
    assert 'datetime="2021-01-25T15:00:00+00:00"' in html
    assert "UTC (UTC+00:00)" in html
    modules = response.context["outline_run"].modules.all()
    assert [module.title for module in modules] == [
        "Introduction",
        "What are partnerships?",
        "Preparing to partner",
        "Negotiating partnerships",
        "Running partnerships",
        "Sustainability and evaluation",
        "Troubleshooting",
        "Final presentation and peer review",
    ]


def test_signed_in_viewer_sees_the_timeline_in_their_own_zone(client: Client) -> None:
    demo = load_demo()
    person = demo.applicants[0]
    person.timezone = "Asia/Kathmandu"
    person.save()
    client.force_login(person)
    html = client.get("/courses/partnership-building/").content.decode()
    # 2021-02-01 00:00 UTC is 05:45 in Kathmandu (UTC+05:45).
    assert "Asia/Kathmandu (UTC+05:45)" in html
    assert "5:45" in html


def test_unknown_course_slug_gets_the_friendly_404(client: Client) -> None:
    response = client.get("/courses/no-such-course/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_unpublished_course_is_hidden_from_visitors_but_not_staff(client: Client) -> None:
    course = CourseFactory(is_published=False)
    assert client.get(f"/courses/{course.slug}/").status_code == 404
    assert course.title not in client.get("/").content.decode()
    staff = RunRoleFactory(run=RunFactory(course=course)).user
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(f"/courses/{course.slug}/").status_code == 200


def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy


@pytest.mark.parametrize("url", ["/", "/courses/partnership-building/"])
def test_public_pages_refuse_post(client: Client, url: str) -> None:
    load_demo()
    assert client.post(url).status_code == 405


def test_catalogue_deadline_is_in_the_viewers_zone_and_anonymous_see_the_runs(
    client: Client,
) -> None:
    close = datetime(2026, 12, 18, 18, 0, tzinfo=UTC)
    run = RunFactory(
        timezone="Europe/Berlin",
        applications_open_at=close - timedelta(days=30),
        applications_close_at=close,
        notification_at=close + timedelta(days=7),
    )
    with time_machine.travel(close - timedelta(days=2), tick=False):
        assert run.phase == "accepting"
        anonymous = client.get("/").content.decode()
        person = RunRoleFactory(run=RunFactory(), role="participant").user
        person.timezone = "Asia/Kathmandu"
        person.save()
        client.force_login(person)
        signed_in = client.get("/courses/").content.decode()  # "/" is their dashboard
    # 18:00 UTC is 19:00 in Berlin (winter) and 23:45 in Kathmandu (UTC+05:45).
    assert 'datetime="2026-12-18T18:00:00+00:00"' in anonymous
    assert "Europe/Berlin (UTC+01:00)" in anonymous
    assert "Dec. 18, 2026, 7 p.m." in anonymous
    assert "Asia/Kathmandu (UTC+05:45)" in signed_in
    assert "Dec. 18, 2026, 11:45 p.m." in signed_in


@pytest.mark.parametrize(
    ("viewer_zone", "run_zone"),
    [
        ("America/Mexico_City", "UTC"),
        ("America/Mexico_City", "Europe/Berlin"),
        ("Pacific/Auckland", "America/Los_Angeles"),
        ("Asia/Kolkata", "UTC"),
        ("Australia/Adelaide", "America/St_Johns"),
    ],
)
def test_course_begins_is_the_runs_first_day_in_every_viewers_zone(
    client: Client, viewer_zone: str, run_zone: str
) -> None:
    # Issue 11 item 7: a run starting Monday 11 January read "Sun 10 Jan" in Mexico City
    # because its first day was shown as the instant of midnight in the run's zone.

    run = RunFactory(timezone=run_zone, starts_on=date(2021, 1, 11))
    client.force_login(UserFactory(timezone=viewer_zone))

    for url in [run.course.get_absolute_url(), run.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert (
            '<strong>Course begins</strong>: <time datetime="2021-01-11">Mon Jan. 11, 2021</time>'
            in html
        )


@time_machine.travel(datetime(2021, 3, 28, 1, 30, tzinfo=UTC), tick=False)
def test_run_home_marks_course_begins_past_by_the_date_across_the_dst_change(
    client: Client,
) -> None:

    # Berlin moves its clocks at 01:00 UTC on 28 March 2021; a run starting that day.
    begun = RunFactory(timezone="Europe/Berlin", starts_on=date(2021, 3, 28))
    later = RunFactory(timezone="Europe/Berlin", starts_on=date(2021, 3, 29))

    def course_begins_item(run) -> str:  # type: ignore[no-untyped-def]
        html = client.get(run.get_absolute_url()).content.decode()
        return next(
            line.strip() for line in html.splitlines() if "<strong>Course begins</strong>" in line
        )

    assert course_begins_item(begun).startswith('<li class="past">')
    assert course_begins_item(later).startswith('<li class="">')
