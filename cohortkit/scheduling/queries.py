"""Reads that span the scheduling models, shared by views, services, the demo and other apps.

`attendance_summary(run)` is the one the learning app reads (completion rules, at-risk).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from cohortkit.accounts import page_cache
from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.courses.queries import run_participants
from cohortkit.scheduling.availability import Participant, parse_availability
from cohortkit.scheduling.models import (
    Attendance,
    AttendanceStatus,
    Occurrence,
    Session,
    SessionKind,
    WeeklyAvailability,
    availability_from_hex,
    invited,
)

LOW_ATTENDANCE_RATE = 0.6
ABSENCES_IN_A_ROW = 2


def planning_participants(run: Run) -> list[Participant]:
    """The run's participants as planner input: their stored availability and zone, or
    the default (daily 08:00-22:00) in their profile zone. Ids are user ids as strings."""
    stored = {
        row.user_id: row
        for row in WeeklyAvailability.objects.filter(run=run).only("user", "timezone", "slots")
    }
    people = []
    for user_id, zone in run_participants(run).values_list("pk", "timezone"):
        row = stored.get(user_id)
        if row is not None:
            people.append(Participant(str(user_id), row.timezone, availability_from_hex(row.slots)))
        else:
            people.append(Participant(str(user_id), zone or "UTC", parse_availability("")))
    return people


def sessions_for_person(run: Run | int, user: User) -> QuerySet[Session]:
    """The series the person is invited to in the run."""
    return Session.objects.filter(run=run).filter(invited(user)).distinct()


def is_invited(occurrence: Occurrence, user: User) -> bool:
    """Whether the person is invited to the meeting (the rule of `sessions_for_person`)."""
    session = occurrence.session
    return sessions_for_person(session.run_id, user).filter(pk=session.pk).exists()


def occurrences_for_person(run: Run, user: User, *, everything: bool = False) -> list[Occurrence]:
    """The person's occurrences in start order, with the series. `everything` (staff) lists
    all. From the run's meetings kept for everyone (`run_meetings`): no query once kept."""
    meetings = run_meetings(run)
    if everything:
        return list(meetings.occurrences)
    return [occurrence for occurrence in meetings.occurrences if meetings.invites(occurrence, user)]


@dataclass(frozen=True)
class RunMeetings:
    """What every person's schedule reads of a run, the same for all of them: its
    occurrences in start order (with their series), each weekly series' members (user
    ids; a series with nobody in it is there too), and who gave their availability."""

    occurrences: tuple[Occurrence, ...]
    members: dict[int, frozenset[int]]
    with_availability: frozenset[int]

    @property
    def has_groups(self) -> bool:
        return bool(self.members)

    def in_a_group(self, user: User) -> bool:
        return any(user.pk in people for people in self.members.values())

    def invites(self, occurrence: Occurrence, user: User) -> bool:
        """`models.invited`, read from the kept members: a weekly meeting invites its
        group, every other meeting everyone in the run."""
        return occurrence.session.kind != SessionKind.WEEKLY or user.pk in self.members.get(
            occurrence.session_id, ()
        )


def run_meetings(run: Run) -> RunMeetings:
    """The run's `RunMeetings`, kept once for every person and web process until a
    meeting, a series, a group or an availability is written (`page_cache.shared`); three
    queries when not kept."""

    def read() -> RunMeetings:
        occurrences = Occurrence.objects.filter(session__run=run).select_related("session")
        members: dict[int, set[int]] = {}
        weekly = Session.objects.filter(run=run, kind=SessionKind.WEEKLY)
        for session_id, user_id in weekly.values_list("pk", "members").order_by():
            people = members.setdefault(session_id, set())
            if user_id is not None:
                people.add(user_id)
        available = WeeklyAvailability.objects.filter(run=run).values_list("user_id", flat=True)
        return RunMeetings(
            occurrences=tuple(occurrences),
            members={session_id: frozenset(people) for session_id, people in members.items()},
            with_availability=frozenset(available),
        )

    return page_cache.shared(
        f"run-meetings:{run.pk}", (Occurrence, Session, WeeklyAvailability), read
    )


def own_attendance(run: Run, user: User) -> dict[int, tuple[int, str]]:
    """Occurrence id → (record id, status) of the person's attendance in the run. One
    query."""
    records = Attendance.objects.filter(user=user, occurrence__session__run=run)
    return {
        occurrence_id: (pk, status)
        for pk, occurrence_id, status in records.values_list("pk", "occurrence_id", "status")
    }


def expected_people(occurrence: Occurrence) -> QuerySet[User]:
    """Who is expected at the occurrence: the group's members, or all participants."""
    session = occurrence.session
    if session.kind == SessionKind.WEEKLY:
        return session.members.order_by("display_name", "pk")
    return run_participants(session.run)


def invited_people(occurrence: Occurrence) -> list[User]:
    """Everyone told about the meeting: the people expected there and its facilitator."""
    people = list(expected_people(occurrence))
    facilitator = occurrence.session.facilitator
    if facilitator is not None and all(person.pk != facilitator.pk for person in people):
        people.append(facilitator)
    return people


@dataclass(frozen=True)
class AttendanceSummary:
    """One participant's attendance in a run's past weekly sessions.

    `rate` is (present + late) / (recorded - excused), None while nothing counts;
    `flagged` when the rate is below 60% or the last two recorded sessions are absences.
    """

    recorded: int
    present: int
    late: int
    excused: int
    absent: int
    rate: float | None
    absences_in_a_row: int
    flagged: bool


def attendance_summary(
    run: Run, *, people: Collection[int] | None = None
) -> dict[int, AttendanceSummary]:
    """Every participant of the run (user id) → their attendance summary (weekly sessions
    and the onboarding call; office hours are optional and do not count), or only those of
    `people` among them (a page about a few reads those, not the whole run; the person's
    own schedule reads `summary_of_own`). Two queries."""
    participants = run_participants(run)
    if people is not None:
        participants = participants.filter(pk__in=list(people))
    rows: dict[int, list[str]] = {pk: [] for pk in participants.values_list("pk", flat=True)}
    records = (
        _counted_attendance(run).filter(user_id__in=list(rows)).values_list("user_id", "status")
    )
    for user_id, status in records:
        rows[user_id].append(status)
    return {user_id: _summarise(statuses) for user_id, statuses in rows.items()}


def summary_of_own(meetings: RunMeetings, records: dict[int, tuple[int, str]]) -> AttendanceSummary:
    """`attendance_summary` of one person, from the run's meetings and their records
    (`own_attendance`): the records that count (`_counted_attendance`) in the same order,
    with no query."""
    counted = {
        occurrence.pk: occurrence
        for occurrence in meetings.occurrences
        if not occurrence.is_cancelled and occurrence.session.kind != SessionKind.OFFICE_HOURS
    }
    rows = sorted(
        (counted[occurrence_id].starts_at, pk, status)
        for occurrence_id, (pk, status) in records.items()
        if occurrence_id in counted
    )
    return _summarise([status for _starts_at, _pk, status in rows])


def _counted_attendance(run: Run) -> QuerySet[Attendance]:
    """The attendance records that count, in start order: weekly sessions and the onboarding
    call that took place (office hours are optional)."""
    return (
        Attendance.objects.filter(occurrence__session__run=run, occurrence__is_cancelled=False)
        .exclude(occurrence__session__kind=SessionKind.OFFICE_HOURS)
        .order_by("occurrence__starts_at", "pk")
    )


def _summarise(statuses: list[str]) -> AttendanceSummary:
    counts = {status: statuses.count(status) for status in AttendanceStatus.values}
    counted = len(statuses) - counts[AttendanceStatus.EXCUSED]
    attended = counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE]
    rate = attended / counted if counted else None
    streak = 0
    for status in reversed(statuses):
        if status == AttendanceStatus.EXCUSED:
            continue
        if status != AttendanceStatus.ABSENT:
            break
        streak += 1
    flagged = (rate is not None and rate < LOW_ATTENDANCE_RATE) or streak >= ABSENCES_IN_A_ROW
    return AttendanceSummary(
        recorded=len(statuses),
        present=counts[AttendanceStatus.PRESENT],
        late=counts[AttendanceStatus.LATE],
        excused=counts[AttendanceStatus.EXCUSED],
        absent=counts[AttendanceStatus.ABSENT],
        rate=rate,
        absences_in_a_row=streak,
        flagged=flagged,
    )


def local_shift_minutes(occurrence: Occurrence, first: Occurrence, zone: str) -> int:
    """How many minutes later (negative: earlier) the occurrence falls in `zone`'s local
    clock than the series' first occurrence, once the anchor's own wall time is accounted
    for: the shift a person sees because someone's clocks changed."""
    local_zone, anchor = ZoneInfo(zone), ZoneInfo(occurrence.session.anchor)

    def offset(at: datetime) -> int:
        local = at.astimezone(local_zone).utcoffset() or timedelta()
        there = at.astimezone(anchor).utcoffset() or timedelta()
        return int((local - there).total_seconds() // 60)

    return offset(occurrence.starts_at) - offset(first.starts_at)


def plan_facilitators(run: Run) -> list[User]:
    """The run's facilitators in the order accepting a plan hands series out to them
    (round robin by account): the n-th time goes to the (n mod count)-th."""
    return list(
        User.objects.filter(run_roles__run=run, run_roles__role=Role.FACILITATOR)
        .distinct()
        .order_by("pk")
    )


def weekly_clashes(
    facilitator: User | None, intervals: Iterable[tuple[datetime, datetime]]
) -> list[Occurrence]:
    """The facilitator's weekly live sessions (in any run, not cancelled) that overlap any of
    the [start, end) intervals, in start order: what office hours at those times clash with.
    One query."""
    spans = list(intervals)
    if facilitator is None or not spans:
        return []
    overlap = Q()
    for start, end in spans:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    return list(
        Occurrence.objects.active()
        .filter(overlap, session__kind=SessionKind.WEEKLY, session__facilitator=facilitator)
        .select_related("session__run__course")
        .order_by("starts_at", "pk")
    )
