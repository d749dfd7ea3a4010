"""The cohort report: the funnel and its breakdowns, attendance by week, seats filled; the
page, the charts and the CSV files."""

import csv
import io
from datetime import UTC, date, datetime, time
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.applications.models import OfferState, Outcome, Seats
from cohortkit.courses.models import Role, Run
from cohortkit.learning.models import LearningPolicy, TopicCompletion
from cohortkit.reports.cohort import attendance_by_week, funnel, seat_figures
from cohortkit.scheduling.models import Attendance, Occurrence, SessionKind
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    DecisionFactory,
    OfferFactory,
)
from tests.factories.learning import AssignmentFactory, CertificateFactory, SubmissionFactory
from tests.factories.scheduling import weekly_series
from tests.queries import forget_kept_pages

pytestmark = pytest.mark.django_db

IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)  # Saturday of week 3 (index 2)


def applicant(run: Run, **fields: object) -> object:
    return ApplicationFactory(run=run, **fields)


@pytest.fixture
def cohort(cast: Cast) -> dict[str, object]:
    """Applicants at every stage and a participant who never applied (see each line)."""
    run = cast.run
    LearningPolicy.objects.create(run=run, requires_assignments=False)
    topic = TopicFactory(module=ModuleFactory(run=run, position=1))
    coordinator = cast.coordinator
    # Ada: all the way to a certificate; active in weeks 1 and 3.
    ada = applicant(run, region="africa", timezone="Africa/Lagos", languages=["en", "fr"])
    ApplicationReviewFactory(application=ada, reviewer=coordinator, submitted_at=IN_RUN, score=4.0)
    DecisionFactory(application=ada, outcome=Outcome.SELECTED)
    OfferFactory(
        application=ada, state=OfferState.CONFIRMED, responded_at=datetime(2021, 1, 20, tzinfo=UTC)
    )
    RunRoleFactory(run=run, user=ada.applicant, role=Role.PARTICIPANT)
    TopicCompletion.objects.create(
        topic=topic, user=ada.applicant, done_at=datetime(2021, 2, 2, tzinfo=UTC)
    )
    SubmissionFactory(
        assignment=AssignmentFactory(run=run),
        participant=ada.applicant,
        submitted_at=datetime(2021, 2, 16, tzinfo=UTC),
    )
    CertificateFactory(run=run, user=ada.applicant)
    # Ben: eligible, not reviewed, waitlisted.
    ben = applicant(run, region="europe", timezone="Asia/Kolkata", languages=["de"])
    DecisionFactory(application=ben, outcome=Outcome.WAITLISTED, waitlist_rank=1)
    # A draft is not an application yet; a withdrawn one was.
    applicant(run, region="europe", state="draft", submitted_at=None)
    applicant(run, region="europe", state="withdrawn", timezone='=HYPERLINK("x")')
    # Eve: not eligible (reviewed all the same), not selected.
    eve = applicant(run, region="africa", timezone="Africa/Lagos", is_eligible=False)
    ApplicationReviewFactory(application=eve, reviewer=coordinator, submitted_at=IN_RUN, score=1.0)
    DecisionFactory(application=eve, outcome=Outcome.NOT_SELECTED)
    # Gus: selected, offered, not answered yet.
    gus = applicant(
        run, region="europe", timezone="Europe/Berlin", is_eligible=None, eligibility_override=True
    )
    DecisionFactory(application=gus, outcome=Outcome.SELECTED)
    OfferFactory(application=gus, respond_by=datetime(2021, 2, 25, tzinfo=UTC))
    # Fay: enrolled without applying; attended the week-2 session (profile attributes).
    fay = UserFactory(region="asia-pacific", timezone="Australia/Adelaide", languages=["en"])
    RunRoleFactory(run=run, user=fay, role=Role.PARTICIPANT)
    session = weekly_series(run, weekday=2, start=time(9), members=[ada.applicant, fay])
    week_two = Occurrence.objects.get(session=session, week=1)
    Attendance.objects.create(
        occurrence=week_two, user=fay, status="present", recorded_by=coordinator, recorded_at=IN_RUN
    )
    Attendance.objects.create(
        occurrence=week_two,
        user=ada.applicant,
        status="absent",
        recorded_by=coordinator,
        recorded_at=IN_RUN,
    )
    return {"ada": ada.applicant, "ben": ben.applicant, "eve": eve.applicant, "gus": gus.applicant, "fay": fay}  # fmt: skip


def test_the_funnel_counts_each_stage_by_its_definition(cast: Cast, cohort: dict) -> None:
    figures = funnel(cast.run, at=IN_RUN)
    assert figures.overall() == [
        ("applied", "Applied", 5),
        ("eligible", "Eligible", 3),
        ("reviewed", "Reviewed", 1),
        ("selected", "Selected", 2),
        ("offered", "Offered", 2),
        ("confirmed", "Confirmed", 1),
        ("started", "Started", 2),
        ("active-1", "Active in week 1", 1),
        ("active-2", "Active in week 2", 1),
        ("active-3", "Active in week 3", 1),
        ("completed", "Completed", 1),
        ("certified", "Certified", 1),
    ]
    assert (figures.active, figures.stages["started"]) == (
        [{cohort["ada"].pk}, {cohort["fay"].pk}, {cohort["ada"].pk}],
        {cohort["ada"].pk, cohort["fay"].pk},
    )


def test_the_funnel_breaks_down_by_region_zone_and_language(cast: Cast, cohort: dict) -> None:
    figures = funnel(cast.run, at=IN_RUN)
    # applied, eligible, reviewed, selected, offered, confirmed, started, completed, certified
    assert figures.breakdown("region") == [
        ("Europe", [3, 2, 0, 1, 1, 0, 0, 0, 0], [0, 0, 0]),
        ("Africa", [2, 1, 1, 1, 1, 1, 1, 1, 1], [1, 0, 1]),
        ("Asia and the Pacific", [0, 0, 0, 0, 0, 0, 1, 0, 0], [0, 1, 0]),
    ]
    assert figures.breakdown("language") == [
        ("en", [4, 2, 1, 2, 2, 1, 2, 1, 1], [1, 1, 1]),
        ("fr", [1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 0, 1]),
        ("de", [1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0]),
    ]


@pytest.mark.parametrize("people", [1, 12])
def test_the_report_page_makes_the_same_queries_for_few_or_many_people(
    cast: Cast, people: int
) -> None:
    run = cast.run
    TopicFactory(module=ModuleFactory(run=run, position=1))
    session = weekly_series(run, weekday=2, start=time(9))
    for index in range(people):
        application = applicant(run, region="europe", timezone=f"Etc/GMT-{index % 12}")
        DecisionFactory(application=application, outcome=Outcome.SELECTED)
        OfferFactory(application=application, state=OfferState.CONFIRMED, responded_at=IN_RUN)
        RunRoleFactory(run=run, user=application.applicant, role=Role.PARTICIPANT)
        Attendance.objects.create(
            occurrence=session.occurrences.get(week=0), user=application.applicant,
            status="present", recorded_by=cast.coordinator, recorded_at=IN_RUN,
        )  # fmt: skip
    client = cast.client_for("coordinator")
    url = reverse("reports:cohort", kwargs={"slug": run.course.slug, "run": run.slug})
    with time_machine.travel(IN_RUN, tick=False):
        client.get(url)
        forget_kept_pages()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
    assert page.context["overall"][0] == ("applied", "Applied", people)
    assert len(queries) == 22


def test_attendance_by_week_counts_recorded_sessions_without_office_hours_or_cancelled(
    cast: Cast,
) -> None:
    run = cast.run
    people = [UserFactory() for _ in range(3)]
    weekly = weekly_series(run, weekday=0, start=time(14), members=people)
    hours = weekly_series(
        run, weekday=3, start=time(9), kind=SessionKind.OFFICE_HOURS, title="Hours"
    )
    first, second, third = (weekly.occurrences.get(week=w) for w in (0, 1, 2))
    third.is_cancelled = True
    third.save()
    marks = [(first, "present"), (first, "late"), (first, "excused"), (second, "absent"),
             (second, "present"), (third, "present"), (hours.occurrences.get(week=0), "present")]  # fmt: skip
    for index, (occurrence, status) in enumerate(marks):
        Attendance.objects.create(occurrence=occurrence, user=people[index % 3], status=status,
                                  recorded_by=cast.coordinator, recorded_at=IN_RUN)  # fmt: skip
    weeks = attendance_by_week(run)
    assert [(w.week, w.starts_on, w.present, w.late, w.excused, w.absent, w.rate) for w in weeks[:3]] == [
        (0, date(2021, 2, 1), 1, 1, 1, 0, 1.0),
        (1, date(2021, 2, 8), 1, 0, 0, 1, 0.5),
        (2, date(2021, 2, 15), 0, 0, 0, 0, None),
    ]  # fmt: skip
    assert len(weeks) == run.weeks


@pytest.mark.parametrize(
    ("zone", "days"),
    [
        # 20:00 UTC on 20 January is already the 21st in Kolkata (UTC+05:30) ...
        ("Asia/Kolkata", [(date(2021, 1, 21), 1, 1), (date(2021, 3, 28), 1, 2)]),
        # ... and in Berlin 23:30 UTC on 27 March is the 28th, the night the clocks change.
        ("Europe/Berlin", [(date(2021, 1, 20), 1, 1), (date(2021, 3, 28), 1, 2)]),
    ],
)
def test_seats_filled_by_day_in_the_runs_zone(zone: str, days: list) -> None:
    run = RunFactory(timezone=zone, capacity=5)
    Seats.objects.create(run=run, capacity=5, confirmed=2)
    for responded in [
        datetime(2021, 1, 20, 20, tzinfo=UTC),
        datetime(2021, 3, 27, 23, 30, tzinfo=UTC),
    ]:
        OfferFactory(application=applicant(run), state=OfferState.CONFIRMED, responded_at=responded)
    OfferFactory(application=applicant(run), respond_by=datetime(2021, 4, 1, tzinfo=UTC))
    OfferFactory(application=applicant(run), state=OfferState.DECLINED, responded_at=IN_RUN)
    DecisionFactory(application=applicant(run), outcome=Outcome.WAITLISTED, waitlist_rank=1)
    seats = seat_figures(run, at=datetime(2021, 3, 30, tzinfo=UTC))
    assert (seats.capacity, seats.confirmed, seats.waiting, seats.free, seats.declined,
            seats.expired, seats.waitlisted, seats.by_day) == (5, 2, 1, 2, 1, 0, 1, days)  # fmt: skip


def test_the_page_defines_each_stage_and_shows_charts_as_images(cast: Cast, cohort: dict) -> None:
    run = cast.run
    kwargs = {"slug": run.course.slug, "run": run.slug}
    with time_machine.travel(IN_RUN, tick=False):
        html = (
            cast.client_for("coordinator")
            .get(reverse("reports:cohort", kwargs=kwargs))
            .content.decode()
        )
    charts = [
        reverse("reports:cohort_chart", kwargs={**kwargs, "report": r})
        for r in ("funnel", "attendance", "seats")
    ]
    assert [f'src="{chart}"' in html for chart in charts] == [True, True, True]
    assert (
        "Eligible, with at least one review handed in." in html,
        "<svg" in html,
        "style=" in html,
    ) == (True, False, False)


@pytest.mark.parametrize("report", ["funnel", "attendance", "seats"])
def test_each_chart_is_a_well_formed_svg_without_scripts(
    cast: Cast, cohort: dict, report: str
) -> None:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug, "report": report}
    with time_machine.travel(IN_RUN, tick=False):
        response = cast.client_for("coordinator").get(
            reverse("reports:cohort_chart", kwargs=kwargs)
        )
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own chart, not untrusted input
    assert (response["Content-Type"], root.tag, b"<script" in response.content) == (
        "image/svg+xml", "{http://www.w3.org/2000/svg}svg", False,
    )  # fmt: skip
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_the_funnel_csv_has_a_bom_and_quotes_formulas(cast: Cast, cohort: dict) -> None:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug, "report": "funnel"}
    with time_machine.travel(IN_RUN, tick=False):
        response = cast.client_for("coordinator").get(reverse("reports:cohort_csv", kwargs=kwargs))
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert (text.startswith("\ufeff"), response["Content-Disposition"]) == (
        True, f'attachment; filename="funnel-{cast.run.slug}.csv"',
    )  # fmt: skip
    assert rows[0] == [
        "dimension", "value", "applied", "eligible", "reviewed", "selected", "offered",
        "confirmed", "started", "completed", "certified", "active_week_1", "active_week_2",
        "active_week_3",
    ]  # fmt: skip
    assert rows[1] == ["all", "", "5", "3", "1", "2", "2", "1", "2", "1", "1", "1", "1", "1"]
    assert [
        "timezone",
        '\'=HYPERLINK("x")',
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ] in rows


def test_attendance_and_seats_csv(cast: Cast, cohort: dict) -> None:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    client = cast.client_for("coordinator")
    with time_machine.travel(IN_RUN, tick=False):
        files = {
            report: list(csv.reader(io.StringIO(client.get(reverse("reports:cohort_csv", kwargs={**kwargs, "report": report})).content.decode("utf-8-sig"))))
            for report in ("attendance", "seats")
        }  # fmt: skip
    assert files["attendance"][:3] == [
        ["week", "week_starts_on", "present", "late", "excused", "absent", "rate"],
        ["1", "2021-02-01", "0", "0", "0", "0", ""],
        ["2", "2021-02-08", "1", "0", "0", "1", "0.50"],
    ]
    assert files["seats"] == [
        ["date", "confirmed_that_day", "confirmed_total", "capacity"],
        ["2021-01-20", "1", "1", str(cast.run.capacity)],
    ]
