"""The personal dashboard at the site root: runs and roles, what is next, what needs staff."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.applications.models import OfferState, Outcome
from cohortkit.courses.models import Role, Run
from cohortkit.learning.models import ParticipantState, ParticipantStatus
from tests.conftest import Cast
from tests.factories import (
    ModuleFactory,
    RunFactory,
    RunRoleFactory,
    UserFactory,
    open_run_window,
)
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationFormFactory,
    ApplicationReviewFactory,
    DecisionFactory,
    OfferFactory,
)
from tests.factories.learning import AssignmentFactory, SubmissionFactory, ThreadFactory
from tests.factories.reviews import FinalWorkFactory, ReviewFactory, ReviewStepFactory
from tests.factories.scheduling import weekly_series
from tests.queries import forget_kept_pages

pytestmark = pytest.mark.django_db

IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)  # Saturday of week 3 of the factory run


def build(person: User, index: int) -> dict[str, Run]:
    """One of each: a run the person follows, one they review for and coordinate (open for
    applications), one they facilitate, and one they applied to."""
    followed = RunFactory(title=f"Followed {index}")
    RunRoleFactory(run=followed, user=person, role=Role.PARTICIPANT)
    ModuleFactory(run=followed, position=1, release_week=0, title=f"Start {index}")
    ModuleFactory(run=followed, position=2, release_week=2, title=f"Third week {index}")
    AssignmentFactory(
        run=followed, title=f"Essay {index}", due_at=datetime(2021, 2, 25, 12, tzinfo=UTC)
    )
    AssignmentFactory(
        run=followed, title=f"Late {index}", due_at=datetime(2021, 2, 15, 12, tzinfo=UTC)
    )
    done = AssignmentFactory(
        run=followed, title=f"Done {index}", due_at=datetime(2021, 2, 24, tzinfo=UTC)
    )
    SubmissionFactory(assignment=done, participant=person)
    AssignmentFactory(run=followed, title=f"Far {index}", due_at=datetime(2021, 3, 25, tzinfo=UTC))
    session = weekly_series(
        followed, weekday=0, start=time(14), members=[person], title=f"Group {index}"
    )
    weekly_series(followed, weekday=2, start=time(9), members=[UserFactory()], title="Not mine")
    step = ReviewStepFactory(run=followed)
    ReviewFactory(work=FinalWorkFactory(run=followed), reviewer=person)
    ReviewFactory(work=FinalWorkFactory(run=followed), reviewer=UserFactory())

    reviewing = open_run_window(RunFactory(title=f"Reviewing {index}"), IN_RUN)
    ApplicationFormFactory(run=reviewing)
    RunRoleFactory(run=reviewing, user=person, role=Role.REVIEWER)
    RunRoleFactory(run=reviewing, user=person, role=Role.COORDINATOR)
    for _ in range(2):
        ApplicationReviewFactory(application=ApplicationFactory(run=reviewing), reviewer=person)
    ApplicationReviewFactory(
        application=ApplicationFactory(run=reviewing), submitted_at=IN_RUN, score=3.0
    )

    facilitated = RunFactory(title=f"Facilitated {index}")
    RunRoleFactory(run=facilitated, user=person, role=Role.FACILITATOR)
    ThreadFactory(run=facilitated)
    ThreadFactory(run=facilitated, is_answered=True)

    applied = open_run_window(RunFactory(title=f"Applied {index}"), IN_RUN)
    ApplicationFormFactory(run=applied)
    ApplicationFactory(run=applied, applicant=person, state="draft", submitted_at=None)
    del session, step
    return {"followed": followed, "reviewing": reviewing, "facilitated": facilitated, "applied": applied}  # fmt: skip


def client_of(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def cards_of(page: object) -> dict[str, list[tuple[int | None, str, str]]]:
    context = page.context  # type: ignore[attr-defined]
    return {
        card.title: [(item.count, item.label, item.context) for item in card.items]
        for card in [*context["my_cards"], *context["staff_cards"]]
    }


@time_machine.travel(IN_RUN, tick=False)
def test_the_dashboard_shows_runs_roles_what_is_next_and_what_needs_the_person() -> None:
    person = UserFactory(timezone="Asia/Kolkata")
    runs = build(person, 1)
    page = client_of(person).get("/")
    runs_shown = [
        (membership.run.title, roles) for membership, _label, roles in page.context["runs"]
    ]
    assert runs_shown == [
        ("Followed 1", [Role.PARTICIPANT]),
        ("Facilitated 1", [Role.FACILITATOR]),
        ("Reviewing 1", [Role.COORDINATOR, Role.REVIEWER]),
    ]
    course = runs["followed"].course.title
    label = {key: f"{run.course.title} · {run.title}" for key, run in runs.items()}
    assert cards_of(page) == {
        "Your next live sessions": [(None, "Group 1", label["followed"])],
        "This week's module": [(None, "Third week 1", label["followed"])],
        "Assignments due": [
            (None, "Late 1", label["followed"]),
            (None, "Essay 1", label["followed"]),
        ],
        "Your applications": [(None, label["applied"], "")],
        "Peer reviews to give": [(1, "peer review to give", label["followed"])],
        "Applications to review": [(2, "applications assigned to you", label["reviewing"])],
        "Unreviewed applications": [(2, "applications without a review", label["reviewing"])],
        "Unanswered questions": [(1, "question without an answer", label["facilitated"])],
        "People falling behind": [
            (None, "See who is falling behind and why", label["facilitated"])
        ],
    }
    html = page.content.decode()
    # The next meeting is Monday 22 February 14:00 UTC, shown in the person's zone.
    assert ("Asia/Kolkata (UTC+05:30)" in html, "7:30" in html, course in html) == (
        True,
        True,
        True,
    )


@pytest.mark.parametrize("count", [1, 4])
@time_machine.travel(IN_RUN, tick=False)
def test_the_dashboard_makes_the_same_queries_for_one_or_many_runs_and_roles(count: int) -> None:
    person = UserFactory()
    for index in range(count):
        build(person, index)
    client = client_of(person)
    client.get("/")
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert len(page.context["runs"]) == 3 * count
    assert len(cards_of(page)["Unanswered questions"]) == count
    assert len(queries) == 15


def test_visitors_get_the_catalogue_at_the_root_and_everyone_at_courses(cast: Cast) -> None:
    signed_in = cast.client_for("participant")
    pages = [Client().get("/"), signed_in.get("/"), signed_in.get("/courses/")]
    assert [page.templates[0].name for page in pages] == [
        "courses/course_list.html",
        "courses/dashboard.html",
        "courses/course_list.html",
    ]


@pytest.mark.parametrize(
    ("at", "zone", "expected"),
    [
        # Adelaide (UTC+09:30, +10:30 from 3 October 2021): the run's week 2 begins on
        # Monday 4 October at local midnight, the night the clocks went forward.
        (datetime(2021, 10, 3, 13, 29, tzinfo=UTC), "Australia/Adelaide", "Week one"),
        (datetime(2021, 10, 3, 13, 31, tzinfo=UTC), "Australia/Adelaide", "Week two"),
        # Kolkata (UTC+05:30): Monday begins at 18:30 UTC on Sunday.
        (datetime(2021, 10, 3, 18, 29, tzinfo=UTC), "Asia/Kolkata", "Week one"),
        (datetime(2021, 10, 3, 18, 31, tzinfo=UTC), "Asia/Kolkata", "Week two"),
    ],
)
def test_this_weeks_module_follows_the_runs_own_calendar(
    at: datetime, zone: str, expected: str
) -> None:
    person = UserFactory()
    run = RunFactory(timezone=zone, starts_on=date(2021, 9, 27))
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    ModuleFactory(run=run, position=1, release_week=0, title="Week one")
    ModuleFactory(run=run, position=2, release_week=1, title="Week two")
    with time_machine.travel(at, tick=False):
        page = client_of(person).get("/")
    assert [label for _count, label, _context in cards_of(page)["This week's module"]] == [expected]


def test_only_applicants_see_your_application_on_an_open_runs_page(cast: Cast) -> None:
    run = open_run_window(cast.run, datetime.now(tz=UTC))
    run.save()
    url = run.get_absolute_url()
    link = reverse("applications:apply", kwargs={"slug": run.course.slug, "run": run.slug})
    shown = {
        role: f'href="{link}"' in cast.client_for(role).get(url).content.decode()
        for role in ["anonymous", "other_participant", "reviewer", "facilitator", "coordinator"]
    }
    assert shown == {
        "anonymous": True,  # the Apply button, through sign-in or sign-up (issue 11 item 13)
        "other_participant": True,
        "reviewer": False,
        "facilitator": False,
        "coordinator": False,
    }
    # A team member who did apply still finds their application.
    ApplicationFactory(run=run, applicant=cast.reviewer)
    assert f'href="{link}"' in cast.client_for("reviewer").get(url).content.decode()


@time_machine.travel(IN_RUN, tick=False)
def test_a_self_paced_learner_sees_their_own_deadlines_and_no_cohort_week() -> None:
    person = UserFactory(timezone="America/Mexico_City")
    run = RunFactory()
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    ModuleFactory(run=run, position=1, release_week=2, title="Third week")
    # Due on day 24 of the run at noon UTC (06:00 in the run's zone, UTC).
    AssignmentFactory(run=run, title="Essay", due_at=datetime(2021, 2, 25, 12, tzinfo=UTC))
    ParticipantStatus.objects.create(
        run=run,
        user=person,
        state=ParticipantState.SELF_PACED,
        self_paced_at=datetime(2021, 2, 15, 18, tzinfo=UTC),
    )
    page = client_of(person).get("/")
    card = next(c for c in page.context["my_cards"] if c.title == "Assignments due")
    assert "This week's module" not in cards_of(page)
    # Day 24 after their own first day (15 February in Mexico City), at 12:00 their time.
    assert [(item.label, item.at) for item in card.items] == [
        ("Essay", datetime(2021, 3, 11, 12, tzinfo=ZoneInfo("America/Mexico_City")))
    ]


@pytest.mark.parametrize(
    ("released", "offer_state", "expected"),
    [
        (False, OfferState.OPEN, ("Sent; decisions are announced on", False)),
        (True, OfferState.OPEN, ("Selected: confirm your seat by", True)),
        (True, OfferState.CONFIRMED, ("Selected: your seat is confirmed", False)),
        (True, OfferState.EXPIRED, ("Selected; offer expired", False)),
    ],
)
def test_an_application_says_where_it_stands_once_decisions_are_released(
    released: bool, offer_state: str, expected: tuple[str, bool]
) -> None:
    person = UserFactory()
    run = RunFactory()  # notified on 18 January 2021
    ApplicationFormFactory(
        run=run, decisions_released_at=datetime(2021, 1, 18, tzinfo=UTC) if released else None
    )
    application = ApplicationFactory(run=run, applicant=person)
    DecisionFactory(application=application, outcome=Outcome.SELECTED)
    OfferFactory(application=application, state=offer_state)
    with time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False):
        page = client_of(person).get("/")
    (item,) = next(c for c in page.context["my_cards"] if c.title == "Your applications").items
    assert (item.note, item.is_warning) == expected
