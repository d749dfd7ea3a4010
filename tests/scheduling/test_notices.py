"""Notices people expect (issue 11 item 11): a moved, cancelled or restored meeting mails
everyone invited in their language and zone, and their calendar feed follows; confirming
a seat sends a welcome mail with the onboarding call in the person's zone; office hours that
clash with a weekly session of the same facilitator are warned about where they are made or
moved."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cohortkit.applications import services as applications
from cohortkit.courses.models import Role
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.scheduling.availability import parse_availability
from cohortkit.scheduling.models import CalendarToken, Occurrence, SessionKind, SessionPlan
from cohortkit.scheduling.queries import weekly_clashes
from cohortkit.scheduling.services import (
    add_one_off,
    cancel_occurrence,
    compute_plan,
    move_occurrence,
    restore_occurrence,
    save_availability,
)
from tests.conftest import Cast
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.applications import OfferFactory
from tests.factories.scheduling import weekly_series

BEFORE_RUN = datetime(2021, 1, 20, 12, tzinfo=UTC)


def _changes() -> list[tuple[str, str, str]]:
    return sorted(
        OutboxMessage.objects.filter(kind="scheduling-change").values_list(
            "recipient", "language", "subject"
        )
    )


@time_machine.travel(BEFORE_RUN, tick=False)
def test_moving_a_meeting_mails_its_group_and_facilitator_in_their_language_and_zone(
    db: None,
) -> None:
    run = RunFactory(timezone="America/New_York")
    kolkata = UserFactory(email="k@example.org", timezone="Asia/Kolkata", interface_language="es")
    new_york = UserFactory(email="n@example.org", timezone="America/New_York")
    elsewhere = UserFactory(email="other-group@example.org")
    facilitator = UserFactory(email="f@example.org", timezone="Australia/Adelaide")
    for person in (kolkata, new_york, elsewhere):
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    series = weekly_series(run, start=time(14, 0), members=[kolkata, new_york])
    series.facilitator = facilitator
    series.save()
    weekly_series(run, start=time(9, 0), members=[elsewhere], title="Other group")
    week_5 = series.occurrences.get(week=5)  # Monday 2021-03-08, 14:00 UTC

    # The US changes its clocks on 14 March: the new time is in summer time there.
    move_occurrence(week_5, starts_at=datetime(2021, 3, 16, 14, tzinfo=UTC), note="Holiday.")

    changes = _changes()
    assert [(recipient, language) for recipient, language, _ in changes] == [
        ("f@example.org", "en"),
        ("k@example.org", "es"),
        ("n@example.org", "en"),
    ]
    subjects = {recipient: subject for recipient, _, subject in changes}
    # Adelaide is UTC+10:30 in March; Kolkata UTC+05:30; New York UTC-04:00 from 14 March.
    assert subjects["f@example.org"] == "Moved: Weekly live session is now on Wed 17 Mar, 00:30"
    assert subjects["n@example.org"] == "Moved: Weekly live session is now on Tue 16 Mar, 10:00"
    assert "19:30" in subjects["k@example.org"]
    body = OutboxMessage.objects.get(recipient="n@example.org").body
    assert "New time: Tuesday 16 March 2021, 10:00, your time: America/New_York (UTC-04:00)." in (
        body
    )
    assert "It was: Monday 8 March 2021, 09:00 (America/New_York (UTC-05:00))." in body
    assert "Holiday." in body
    kolkata_body = OutboxMessage.objects.get(recipient="k@example.org").body
    assert "19:30" in kolkata_body
    assert "Asia/Kolkata (UTC+05:30)" in kolkata_body
    assert OutboxMessage.objects.get(recipient="n@example.org").state == MailState.QUEUED


@time_machine.travel(BEFORE_RUN, tick=False)
def test_cancelling_and_restoring_mail_everyone_invited_once_per_change(db: None) -> None:
    run = RunFactory()
    people = [UserFactory(email=f"p{n}@example.org") for n in range(3)]
    for person in people:
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    office_hours = weekly_series(run, kind=SessionKind.OFFICE_HOURS, title="Office hours")
    week_0 = office_hours.occurrences.get(week=0)

    cancel_occurrence(week_0, note="The facilitator is ill.")
    restore_occurrence(week_0)

    messages = list(
        OutboxMessage.objects.filter(kind="scheduling-change")
        .order_by("recipient", "pk")
        .values_list("recipient", "subject", "key")
    )
    # Office hours are for everyone in the run: every participant hears of each change.
    assert messages == [
        (
            person.email,
            subject,
            f"scheduling-change:{week_0.pk}:{sequence}:{person.pk}",
        )
        for person in people
        for sequence, subject in [
            (1, "Cancelled: Office hours on Mon 1 Feb, 14:00"),
            (2, "Back on: Office hours on Mon 1 Feb, 14:00"),
        ]
    ]
    cancelled = OutboxMessage.objects.filter(subject__startswith="Cancelled").first()
    assert cancelled is not None
    assert "is cancelled." in cancelled.body
    assert "The facilitator is ill." in cancelled.body


@time_machine.travel(datetime(2021, 3, 1, 15, tzinfo=UTC), tick=False)
def test_a_meeting_that_is_over_is_changed_without_mail(db: None) -> None:
    run = RunFactory()
    person = UserFactory()
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    series = weekly_series(run, members=[person])
    week_0 = series.occurrences.get(week=0)  # 2021-02-01, long past

    cancel_occurrence(week_0, note="Recorded late.")
    move_occurrence(series.occurrences.get(week=4), starts_at=datetime(2021, 3, 2, 14, tzinfo=UTC))

    # Week 4 (1 March 14:00-16:00) has begun but moves to tomorrow: that is worth a mail.
    assert _changes() == [
        (person.email, "en", "Moved: Weekly live session is now on Tue 2 Mar, 14:00"),
    ]


@time_machine.travel(BEFORE_RUN, tick=False)
def test_the_personal_feed_shows_the_moved_and_the_cancelled_meeting(db: None) -> None:
    run = RunFactory()
    person = UserFactory()
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    series = weekly_series(run, members=[person], anchor="Europe/Berlin", start=time(15, 0))
    moved, cancelled = series.occurrences.get(week=0), series.occurrences.get(week=1)
    move_occurrence(moved, starts_at=datetime(2021, 2, 2, 16, tzinfo=UTC))
    cancel_occurrence(cancelled)
    token = CalendarToken.objects.create(run=run, user=person)

    feed = Client().get(
        reverse(
            "scheduling:personal_feed",
            kwargs={"slug": run.course.slug, "run": run.slug, "token": token.token},
        )
    )

    events = {str(event["uid"]): event for event in Calendar.from_ical(feed.content).walk("VEVENT")}
    by_pk = {pk: events[f"session-{pk}@127.0.0.1"] for pk in (moved.pk, cancelled.pk)}
    assert (
        by_pk[moved.pk].decoded("dtstart").astimezone(UTC),
        by_pk[moved.pk]["sequence"],
        str(by_pk[moved.pk]["status"]),
    ) == (datetime(2021, 2, 2, 16, tzinfo=UTC), 1, "CONFIRMED")
    assert (by_pk[cancelled.pk]["sequence"], str(by_pk[cancelled.pk]["status"])) == (
        1,
        "CANCELLED",
    )


# ---- the welcome mail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # The onboarding call is Monday 25 January 2021 at 15:00 UTC.
        ("Asia/Kolkata", "Monday 25 January 2021, 20:30, your time: Asia/Kolkata (UTC+05:30)."),
        (
            "Australia/Adelaide",
            "Tuesday 26 January 2021, 01:30, your time: Australia/Adelaide (UTC+10:30).",
        ),
        (
            "America/Mexico_City",
            "Monday 25 January 2021, 09:00, your time: America/Mexico_City (UTC-06:00).",
        ),
    ],
)
def test_confirming_a_seat_mails_a_welcome_with_the_onboarding_call_in_the_persons_zone(
    db: None, django_capture_on_commit_callbacks, zone: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    run = RunFactory(timezone="Europe/Berlin", starts_on=date(2021, 2, 1))
    onboarding = add_one_off(
        run, kind=SessionKind.ONBOARDING, starts_at=datetime(2021, 1, 25, 15, tzinfo=UTC)
    )
    onboarding.video_url = "https://meet.example.org/onboarding"
    onboarding.save()
    offer = OfferFactory(application__run=run, application__applicant__timezone=zone)

    with django_capture_on_commit_callbacks(execute=True):
        applications.confirm_offer(offer, at=datetime(2021, 1, 19, tzinfo=UTC))

    message = OutboxMessage.objects.get(kind="scheduling-welcome")
    person = offer.application.applicant
    assert (message.recipient, message.subject, message.key, message.state) == (
        person.email,
        f"Welcome to {run.course.title} ({run.title}): your seat is confirmed",
        f"scheduling-welcome:{run.pk}:{person.pk}",
        MailState.QUEUED,
    )
    occurrence = Occurrence.objects.get(session=onboarding)
    lines = message.body.splitlines()
    assert "The course begins on Monday 1 February 2021." in lines
    assert expected in lines
    assert "Join the call: https://meet.example.org/onboarding" in lines
    assert (
        f"http://127.0.0.1:8000/courses/{run.course.slug}/{run.slug}/schedule/sessions/{occurrence.pk}/"
        in lines
    )
    assert "Before the call:" in lines
    assert any(line.startswith("2. Tell us when you can attend") for line in lines)


def test_a_confirmation_refused_for_a_full_run_sends_no_welcome(
    db: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    run = RunFactory(capacity=1)
    first, second = OfferFactory(application__run=run), OfferFactory(application__run=run)
    at = datetime(2021, 1, 19, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        applications.confirm_offer(first, at=at)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(applications.RunFull):
        applications.confirm_offer(second, at=at)

    assert list(
        OutboxMessage.objects.filter(kind="scheduling-welcome").values_list("recipient", flat=True)
    ) == [first.application.applicant.email]


# ---- office hours that clash with a facilitator's weekly session ----------------------------


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **kwargs})


@time_machine.travel(BEFORE_RUN, tick=False)
def test_the_office_hours_plan_names_the_weekly_sessions_its_facilitator_would_miss(
    cast: Cast,
) -> None:
    weekly = weekly_series(cast.run, weekday=0, start=time(14, 0), title="Group one")
    weekly.facilitator = cast.facilitator
    weekly.save()
    cast.participant.timezone = "Asia/Kolkata"
    cast.participant.save()

    # Monday 19:30-21:30 in Kolkata is 14:00-16:00 UTC: the weekly session's time.
    save_availability(
        cast.run,
        cast.participant,
        availability=parse_availability("Mon 19:30-21:30"),
        zone="Asia/Kolkata",
    )
    plan = compute_plan(
        SessionPlan.objects.create(
            run=cast.run, kind=SessionKind.OFFICE_HOURS, sessions=1, duration_minutes=60
        )
    )

    html = cast.client_for("coordinator").get(_url(cast, "scheduling:plan", pk=plan.pk)).content
    page = html.decode()

    assert "Office hours 1 clash with weekly live sessions of Facilitator:" in page
    assert page.count("Group one (") == 8  # every week of the run


@time_machine.travel(BEFORE_RUN, tick=False)
def test_moving_office_hours_onto_the_facilitators_weekly_session_asks_first(cast: Cast) -> None:
    weekly = weekly_series(cast.run, weekday=1, start=time(14, 0), title="Group two")
    weekly.facilitator = cast.facilitator
    weekly.save()
    office_hours = weekly_series(
        cast.run, weekday=3, start=time(9, 0), kind=SessionKind.OFFICE_HOURS, title="Office hours"
    )
    office_hours.facilitator = cast.facilitator
    office_hours.save()
    week_2 = office_hours.occurrences.get(week=2)
    client = cast.client_for("coordinator")
    # Tuesday 16 February 14:30 UTC is 20:00 in Kolkata, inside Group two's meeting.
    typed = {"starts_at": "2021-02-16T20:00", "timezone": "Asia/Kolkata", "note": "Moved <b>"}

    asked = client.post(_url(cast, "scheduling:occurrence_move", pk=week_2.pk), typed)

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "At this time, Facilitator facilitates weekly live sessions:" in page
    assert page.count("Group two (") == 1
    assert 'value="2021-02-16T20:00"' in page
    assert 'value="Moved &lt;b&gt;"' in page
    assert 'name="despite_clash"' in page
    assert Occurrence.objects.get(pk=week_2.pk).sequence == 0

    done = client.post(
        _url(cast, "scheduling:occurrence_move", pk=week_2.pk), {**typed, "despite_clash": "on"}
    )

    assert done.status_code == 302
    assert Occurrence.objects.get(pk=week_2.pk).starts_at == datetime(
        2021, 2, 16, 14, 30, tzinfo=UTC
    )


@time_machine.travel(BEFORE_RUN, tick=False)
def test_moving_office_hours_to_a_free_time_or_moving_a_weekly_session_asks_nothing(
    cast: Cast,
) -> None:
    weekly = weekly_series(cast.run, weekday=1, start=time(14, 0), title="Group two")
    weekly.facilitator = cast.facilitator
    weekly.save()
    office_hours = weekly_series(
        cast.run, weekday=3, start=time(9, 0), kind=SessionKind.OFFICE_HOURS, title="Office hours"
    )
    office_hours.facilitator = cast.facilitator
    office_hours.save()
    client = cast.client_for("facilitator")

    free = client.post(
        _url(cast, "scheduling:occurrence_move", pk=office_hours.occurrences.get(week=2).pk),
        {"starts_at": "2021-02-16T12:00", "timezone": "UTC"},
    )
    weekly_move = client.post(
        _url(cast, "scheduling:occurrence_move", pk=weekly.occurrences.get(week=3).pk),
        {"starts_at": "2021-02-25T09:00", "timezone": "UTC"},
    )

    assert (free.status_code, weekly_move.status_code) == (302, 302)


def test_weekly_clashes_cross_the_dst_change_in_the_anchor_zone(db: None) -> None:
    run = RunFactory(starts_on=date(2021, 3, 1), weeks=4)
    facilitator = UserFactory()
    # Monday 18:00 in New York: 23:00 UTC before 14 March, 22:00 UTC after.
    weekly = weekly_series(run, start=time(18, 0), anchor="America/New_York")
    weekly.facilitator = facilitator
    weekly.save()
    hour = timedelta(hours=1)
    mondays_22_utc = [
        (datetime(2021, 3, day, 22, tzinfo=UTC), datetime(2021, 3, day, 22, tzinfo=UTC) + hour)
        for day in (1, 8, 15, 22)
    ]

    found = weekly_clashes(facilitator, mondays_22_utc)

    assert [o.week for o in found] == [2, 3]
    assert weekly_clashes(UserFactory(), mondays_22_utc) == []
