"""Plans become series in UTC across DST; exceptions move reminders; attendance is summarised."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from cohortkit.courses.models import Role
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.scheduling.availability import parse_availability
from cohortkit.scheduling.models import (
    Attendance,
    AttendanceStatus,
    Occurrence,
    Session,
    SessionKind,
    SessionPlan,
    WeeklyAvailability,
)
from cohortkit.scheduling.queries import (
    AttendanceSummary,
    attendance_summary,
    planning_participants,
)
from cohortkit.scheduling.services import (
    SchedulingError,
    accept_plan,
    cancel_occurrence,
    compute_plan,
    move_occurrence,
    record_attendance,
    save_availability,
    sync_reminders,
)
from tests.conftest import Cast
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series

BEFORE_RUN = datetime(2021, 1, 20, 12, tzinfo=UTC)


def _participant(run, zone: str, availability: str = "", **profile):  # type: ignore[no-untyped-def]
    person = UserFactory(timezone=zone, **profile)
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    if availability:
        save_availability(run, person, availability=parse_availability(availability), zone=zone)
    return person


def test_availability_is_stored_as_168_hex_digits_and_read_back(db: None) -> None:
    run = RunFactory()
    person = _participant(run, "Asia/Kolkata", "Mon-Fri 18:00-21:30; Sat 09:00-12:00")

    row = WeeklyAvailability.objects.get(run=run, user=person)

    assert (len(row.slots), row.availability.to_text()) == (
        168,
        "Mon 18:00-21:30; Tue 18:00-21:30; Wed 18:00-21:30; Thu 18:00-21:30; "
        "Fri 18:00-21:30; Sat 09:00-12:00",
    )


def test_planner_input_uses_the_default_day_in_the_profile_zone_when_none_given(db: None) -> None:
    run = RunFactory()
    given = _participant(run, "Asia/Kathmandu", "Sat 09:00-12:00")
    silent = _participant(run, "America/St_Johns")

    people = {p.id: (p.timezone, p.availability.to_text()) for p in planning_participants(run)}

    default = "; ".join(
        f"{day} 08:00-22:00" for day in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    )
    assert people == {
        str(given.pk): ("Asia/Kathmandu", "Sat 09:00-12:00"),
        str(silent.pk): ("America/St_Johns", default),
    }


@time_machine.travel(BEFORE_RUN, tick=False)
def test_accepting_a_plan_anchored_in_berlin_stores_utc_instants_across_the_march_2021_change(
    db: None,
) -> None:
    run = RunFactory(
        starts_on=date(2021, 2, 8), onboarding_at=datetime(2021, 1, 25, 15, tzinfo=UTC)
    )
    person = _participant(run, "Europe/Berlin", "Mon 14:00-16:00")
    plan = compute_plan(
        SessionPlan.objects.create(
            run=run, sessions=1, duration_minutes=120, anchor="Europe/Berlin"
        )
    )

    created = accept_plan(plan, by=None, at=BEFORE_RUN)

    weekly = Session.objects.get(run=run, kind=SessionKind.WEEKLY)
    starts = list(weekly.occurrences.values_list("starts_at", flat=True))
    assert [s.kind for s in created] == [SessionKind.WEEKLY, SessionKind.ONBOARDING]
    assert (weekly.anchor_label, list(weekly.members.all())) == ("Mon 14:00", [person])
    # CET (UTC+1) until Sunday 2021-03-28, CEST (UTC+2) from then: week 8 is 2021-03-29.
    assert starts == [
        datetime(2021, 2, 8, 13, tzinfo=UTC) + timedelta(weeks=w) for w in range(7)
    ] + [datetime(2021, 3, 29, 12, tzinfo=UTC)]


@time_machine.travel(BEFORE_RUN, tick=False)
def test_accepting_k2_splits_people_into_groups_by_the_plans_assignment(db: None) -> None:
    run = RunFactory()
    early = [_participant(run, "Asia/Tokyo", "Mon 09:00-11:00") for _ in range(2)]
    late = [_participant(run, "America/Chicago", "Mon 17:00-20:00") for _ in range(3)]
    plan = compute_plan(SessionPlan.objects.create(run=run, sessions=2, duration_minutes=120))

    accept_plan(plan, by=None, at=BEFORE_RUN)

    groups = {
        session.anchor_label: sorted(session.members.values_list("pk", flat=True))
        for session in Session.objects.filter(run=run, kind=SessionKind.WEEKLY)
    }
    # Tokyo's Monday 09:00 is Monday 00:00 UTC. Chicago's Monday 17:00-20:00 is 23:00-02:00 UTC
    # in CST and 22:00-01:00 UTC in CDT (from 2021-03-14): only 23:00 UTC fits every week.
    assert groups == {
        "Mon 00:00": sorted(p.pk for p in early),
        "Mon 23:00": sorted(p.pk for p in late),
    }


@time_machine.travel(BEFORE_RUN, tick=False)
def test_reminders_are_queued_in_the_persons_zone_and_language_and_move_with_the_session(
    db: None,
) -> None:
    run = RunFactory()
    person = _participant(run, "Asia/Kolkata", interface_language="es")
    series = weekly_series(run, start=time(14, 0), members=[person], reminder_minutes=60)
    first = series.occurrences.get(week=0)

    sync_reminders(first)
    message = OutboxMessage.objects.get(key=f"scheduling-reminder:{first.pk}:{person.pk}")
    assert (message.send_at, message.language, message.state) == (
        datetime(2021, 2, 1, 13, tzinfo=UTC),
        "es",
        MailState.QUEUED,
    )
    assert "19:30" in message.body
    assert "Asia/Kolkata (UTC+05:30)" in message.body

    move_occurrence(first, starts_at=datetime(2021, 2, 2, 16, tzinfo=UTC))
    moved = OutboxMessage.objects.get(key=f"scheduling-reminder:{first.pk}:{person.pk}")
    assert (moved.send_at, "21:30" in moved.body, first.sequence) == (
        datetime(2021, 2, 2, 15, tzinfo=UTC),
        True,
        1,
    )

    cancel_occurrence(first, note="The facilitator is ill.")
    assert (
        OutboxMessage.objects.filter(key__startswith=f"scheduling-reminder:{first.pk}:").count()
        == 0
    )
    assert first.sequence == 2


@time_machine.travel(BEFORE_RUN, tick=False)
def test_a_sent_reminder_is_not_sent_again_when_nothing_changed(db: None) -> None:
    run = RunFactory()
    person = _participant(run, "UTC")
    series = weekly_series(run, members=[person], reminder_minutes=60)
    first = series.occurrences.get(week=0)

    sync_reminders(first)
    OutboxMessage.objects.update(state=MailState.SENT, sent_at=BEFORE_RUN)

    assert sync_reminders(first) == 0
    assert OutboxMessage.objects.count() == 1


def test_accepting_again_is_refused_once_attendance_is_recorded(db: None) -> None:
    run = RunFactory()
    person = _participant(run, "UTC")
    staff = UserFactory()
    series = weekly_series(run, members=[person])
    record_attendance(
        series.occurrences.first(),
        person,
        status="present",
        by=staff,
        at=BEFORE_RUN,  # type: ignore[arg-type]
    )
    plan = compute_plan(SessionPlan.objects.create(run=run, sessions=1, duration_minutes=60))

    with pytest.raises(SchedulingError):
        accept_plan(plan, by=None, at=BEFORE_RUN)
    assert Occurrence.objects.filter(session__run=run).count() == 8


@pytest.mark.parametrize(
    ("zone", "window", "expected"),
    [
        # Berlin moves to summer time on Sunday 2021-03-28: Thursday 18:00 is 17:00 UTC
        # before and 16:00 UTC after.
        (
            "Europe/Berlin",
            "Thu 18:00-20:00",
            [
                datetime(2021, 3, 18, 17, tzinfo=UTC),
                datetime(2021, 3, 25, 17, tzinfo=UTC),
                datetime(2021, 4, 1, 16, tzinfo=UTC),
                datetime(2021, 4, 8, 16, tzinfo=UTC),
            ],
        ),
        # Kolkata (UTC+05:30) has no summer time: Thursday 19:30 is 14:00 UTC every week.
        (
            "Asia/Kolkata",
            "Thu 19:30-21:30",
            [datetime(2021, 3, day, 14, tzinfo=UTC) for day in (18, 25)]
            + [datetime(2021, 4, day, 14, tzinfo=UTC) for day in (1, 8)],
        ),
    ],
)
def test_accepting_mid_run_replaces_only_the_remaining_weeks(
    db: None, zone: str, window: str, expected: list[datetime]
) -> None:
    mid_run = datetime(2021, 3, 17, 12, tzinfo=UTC)  # Wednesday of week 6 (of 0-9)
    run = RunFactory(starts_on=date(2021, 2, 1), weeks=10, timezone=zone)
    person = _participant(run, zone, window)
    old = weekly_series(run, members=[person], reminder_minutes=60)
    for occurrence in old.occurrences.filter(week__lte=5):
        record_attendance(occurrence, person, status="present", by=person, at=mid_run)
    plan = compute_plan(
        SessionPlan.objects.create(run=run, sessions=1, duration_minutes=120, anchor=zone)
    )
    with time_machine.travel(datetime(2021, 1, 20, tzinfo=UTC), tick=False):
        for occurrence in old.occurrences.all():
            sync_reminders(occurrence)
    assert OutboxMessage.objects.count() == 10

    with time_machine.travel(mid_run, tick=False):
        created = accept_plan(plan, by=None, at=mid_run)

    new = next(session for session in created if session.kind == SessionKind.WEEKLY)
    # Monday 15 March (week 6) took place before the plan was accepted; weeks 7-9 go.
    assert list(old.occurrences.values_list("week", flat=True)) == [0, 1, 2, 3, 4, 5, 6]
    assert Attendance.objects.filter(occurrence__session=old).count() == 6
    assert list(new.occurrences.values_list("week", "starts_at")) == list(
        zip([6, 7, 8, 9], expected, strict=True)
    )
    assert list(new.members.all()) == [person]
    # Reminders: the deleted weeks' queued ones are gone, the new meetings have theirs.
    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == sorted(
        [f"scheduling-reminder:{o.pk}:{person.pk}" for o in old.occurrences.all()]
        + [f"scheduling-reminder:{o.pk}:{person.pk}" for o in new.occurrences.all()]
    )


def test_accepting_after_the_last_day_is_refused(db: None) -> None:
    run = RunFactory(timezone="Australia/Adelaide")  # 2021-02-01, 8 weeks, UTC+10:30 then
    _participant(run, "UTC")
    plan = compute_plan(SessionPlan.objects.create(run=run, sessions=1, duration_minutes=60))
    # Adelaide leaves summer time on 2021-04-04; the last day, 28 March, ends at 13:30 UTC.
    last_minute = datetime(2021, 3, 28, 13, 29, tzinfo=UTC)

    accept_plan(plan, by=None, at=last_minute)
    with pytest.raises(SchedulingError, match="The run has ended"):
        accept_plan(plan, by=None, at=last_minute + timedelta(minutes=1))


def test_attendance_summary_flags_low_rates_and_two_absences_in_a_row(db: None) -> None:
    run = RunFactory()
    steady, fading, excused = (_participant(run, "UTC") for _ in range(3))
    staff = UserFactory()
    series = weekly_series(run, members=[steady, fading, excused])
    weeks = list(series.occurrences.order_by("starts_at")[:4])
    plans = {
        steady: ["present", "late", "absent", "present"],
        fading: ["present", "present", "absent", "absent"],
        excused: ["present", "excused", "excused", "present"],
    }
    for person, statuses in plans.items():
        for occurrence, status in zip(weeks, statuses, strict=True):
            record_attendance(occurrence, person, status=status, by=staff, at=BEFORE_RUN)

    summary = attendance_summary(run)

    assert summary == {
        steady.pk: AttendanceSummary(4, 2, 1, 0, 1, 0.75, 0, False),
        fading.pk: AttendanceSummary(4, 2, 0, 0, 2, 0.5, 2, True),
        excused.pk: AttendanceSummary(4, 2, 0, 2, 0, 1.0, 0, False),
    }
    # A person's own page reads only theirs (and nobody outside the run's participants).
    assert attendance_summary(run, people=[fading.pk, staff.pk]) == {fading.pk: summary[fading.pk]}


def test_attendance_cannot_be_recorded_for_someone_outside_the_group(db: None) -> None:
    run = RunFactory()
    member, outsider = _participant(run, "UTC"), _participant(run, "UTC")
    series = weekly_series(run, members=[member])

    with pytest.raises(SchedulingError):
        record_attendance(
            series.occurrences.first(),
            outsider,
            status=AttendanceStatus.PRESENT,
            by=member,
            at=BEFORE_RUN,  # type: ignore[arg-type]
        )


def test_attendance_summary_takes_two_queries(db: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    run = RunFactory(starts_on=date(2021, 2, 1))
    people = [_participant(run, "UTC") for _ in range(5)]
    weekly_series(run, members=people)

    with django_assert_num_queries(2):
        attendance_summary(run)


def test_cast_fixture_sanity(cast: Cast) -> None:
    assert cast.run != cast.other_run
