"""Demo live sessions: the in-progress run planned from its participants' availability, and
the 2021 run's weekly sessions with the alumni's attendance. Idempotent."""

import random
from datetime import UTC, time, timedelta

from cohortkit.accounts.models import User
from cohortkit.courses.demo import Demo
from cohortkit.courses.models import Run
from cohortkit.scheduling.availability import parse_availability
from cohortkit.scheduling.models import (
    Attendance,
    AttendanceStatus,
    Occurrence,
    Session,
    SessionKind,
    WeeklyAvailability,
)
from cohortkit.scheduling.services import (
    accept_plan,
    add_one_off,
    request_plan,
    save_availability,
)

# Typical weeks of volunteers with day jobs: evenings, lunch breaks, weekend mornings.
PATTERNS = [
    "Mon-Fri 17:00-22:00; Sat-Sun 08:00-14:00",
    "Mon-Thu 18:30-21:30; Sat-Sun 09:00-18:00",
    "Tue-Sat 06:00-09:00; Sat-Sun 10:00-20:00",
    "Mon-Fri 12:00-14:00; Mon-Fri 19:00-22:00; Sat 07:00-12:00",
    "daily 07:00-10:00; Wed 20:00-23:00; Sun 10:00-22:00",
    "Mon-Fri 16:00-21:00; Sat 08:00-22:00",
    "",  # the default: 08:00-22:00 daily
    "Sat-Sun 08:00-20:00; Mon-Fri 20:00-22:30",
]
FIRST_PARTICIPANT = "Sat-Sun 08:00-20:00; Mon-Fri 20:00-22:30"
ALUMNI_WEEKLY = (0, time(15, 0))  # Mondays 15:00 UTC, as in 2021


def extend_demo(demo: Demo) -> None:
    _current_run(demo)
    _completed_run(demo)


def _current_run(demo: Demo) -> None:
    run = demo.current_run
    for index, person in enumerate(demo.participants):
        if not WeeklyAvailability.objects.filter(run=run, user=person).exists():
            # The first participant is the demo login: free on weekend days, so a weekly
            # group fits them and their schedule shows one (others show the left-out case).
            pattern = FIRST_PARTICIPANT if index == 0 else PATTERNS[index % len(PATTERNS)]
            save_availability(
                run, person, availability=parse_availability(pattern), zone=person.timezone
            )
    if Session.objects.filter(run=run).exists():
        return
    weekly = request_plan(
        run,
        kind=SessionKind.WEEKLY,
        sessions=2,
        duration_minutes=120,
        anchor="UTC",
        by=demo.coordinator,
    )
    accept_plan(weekly, by=demo.coordinator, at=demo.now)
    office = request_plan(
        run,
        kind=SessionKind.OFFICE_HOURS,
        sessions=2,
        duration_minutes=60,
        anchor="UTC",
        by=demo.coordinator,
    )
    accept_plan(office, by=demo.coordinator, at=demo.now)
    for series in Session.objects.filter(run=run):
        series.video_url = f"https://meet.example.org/partnerships-{run.slug}-{series.pk}"
        series.agenda = "Check-in round\nThe week's topic in small groups\nQuestions and next steps"
        series.save(update_fields=["video_url", "agenda"])
    _attendance(run, demo, seed=demo.seed + 1)


def _completed_run(demo: Demo) -> None:
    run = demo.completed_run
    if Session.objects.filter(run=run).exists():
        return
    weekday, start = ALUMNI_WEEKLY
    series = Session.objects.create(
        run=run,
        kind=SessionKind.WEEKLY,
        title="Weekly live session",
        group=1,
        anchor="UTC",
        weekday=weekday,
        start_time=start,
        duration_minutes=120,
        facilitator=demo.facilitators[0],
        video_url="https://meet.example.org/partnerships-2021",
        agenda="Check-in round\nThe week's topic\nQuestions",
    )
    series.members.set(demo.alumni)
    Occurrence.objects.bulk_create(
        Occurrence(
            session=series,
            week=week,
            starts_at=(at := series.week_instant(run.starts_on, week)),
            ends_at=at + timedelta(hours=2),
            original_starts_at=at,
            recording_url=f"https://video.example.org/partnerships-2021-week-{week + 1}",
        )
        for week in range(run.weeks)
    )
    if run.onboarding_at:
        add_one_off(run, kind=SessionKind.ONBOARDING, starts_at=run.onboarding_at)
    _attendance(run, demo, seed=demo.seed)


def _attendance(run: Run, demo: Demo, *, seed: int) -> None:
    """Mostly present, some late or excused; a few people drift away (flagged)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data
    now = demo.now
    occurrences = Occurrence.objects.filter(
        session__run=run, ends_at__lte=now, is_cancelled=False
    ).exclude(session__kind=SessionKind.OFFICE_HOURS)
    rows = []
    recorder: User = demo.facilitators[0]
    for occurrence in occurrences.select_related("session"):
        people = (
            occurrence.session.members.all()
            if occurrence.session.kind == SessionKind.WEEKLY
            else User.objects.filter(run_roles__run=run, run_roles__role="participant")
        )
        for person in people:
            drifting = person.pk % 7 == 0
            roll = rng.random()
            if drifting and occurrence.week >= 2:
                status = AttendanceStatus.ABSENT
            elif roll < 0.75:
                status = AttendanceStatus.PRESENT
            elif roll < 0.85:
                status = AttendanceStatus.LATE
            elif roll < 0.93:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            rows.append(
                Attendance(
                    occurrence=occurrence,
                    user=person,
                    status=status,
                    recorded_by=recorder,
                    recorded_at=min(now, occurrence.ends_at + timedelta(hours=1)).astimezone(UTC),
                )
            )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
