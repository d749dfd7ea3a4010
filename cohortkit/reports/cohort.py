"""Read-only figures about a whole cohort: the funnel from application to certificate, broken
down by region, time zone and language; attendance by week; seats filled.

A fixed number of queries for each, however many applicants, participants and weeks.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohortkit.accounts.models import Region, User
from cohortkit.applications.models import (
    Application,
    ApplicationReview,
    ApplicationState,
    Decision,
    Offer,
    OfferState,
    Outcome,
    Seats,
)
from cohortkit.courses.models import Role, Run
from cohortkit.learning.models import Certificate, Submission, SubmissionStatus, TopicCompletion
from cohortkit.learning.queries import completion
from cohortkit.scheduling.models import Attendance, AttendanceStatus, SessionKind

# The stages, in order, with their definitions (shown on the page and kept with the CSV).
STAGES: list[tuple[str, object, object]] = [
    ("applied", gettext_lazy("Applied"), gettext_lazy(
        "Sent an application (drafts not counted; withdrawn ones counted).")),
    ("eligible", gettext_lazy("Eligible"), gettext_lazy(
        "Applied, not withdrawn, and eligible by the run's rules or by a coordinator's "
        "override.")),
    ("reviewed", gettext_lazy("Reviewed"), gettext_lazy(
        "Eligible, with at least one review handed in.")),
    ("selected", gettext_lazy("Selected"), gettext_lazy(
        "Decision recorded as selected, including people promoted from the waitlist "
        "(whether or not the decisions are released yet).")),
    ("offered", gettext_lazy("Offered"), gettext_lazy(
        "Offered a seat, whatever the answer.")),
    ("confirmed", gettext_lazy("Confirmed"), gettext_lazy(
        "Confirmed their seat.")),
    ("started", gettext_lazy("Started"), gettext_lazy(
        "Participants of the run (whether they applied or were enrolled) who, from the "
        "run's first day, marked a topic done, handed in work or attended a live session "
        "(present or late).")),
    ("completed", gettext_lazy("Completed"), gettext_lazy(
        "Participants who meet the run's completion rules today.")),
    ("certified", gettext_lazy("Certified"), gettext_lazy(
        "Participants holding a certificate for the run that is not revoked.")),
]  # fmt: skip
ACTIVE_DEFINITION = gettext_lazy(
    "Active in week n: participants who, during that week of the run (Monday to Sunday in "
    "the run's reference zone, counted from the first day), marked a topic done, handed in "
    "work or attended a live session (present or late)."
)
BREAKDOWN_DEFINITION = gettext_lazy(
    "Region, time zone and languages are the ones given in the person's application to "
    "this run, else those of their profile. People who speak several languages count once "
    "for each; “—” means not given."
)
DIMENSIONS = ("region", "timezone", "language")
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class Person:
    region: str
    timezone: str
    languages: tuple[str, ...]

    def values(self, dimension: str) -> tuple[str, ...]:
        if dimension == "region":
            return (self.region,)
        if dimension == "timezone":
            return (self.timezone,)
        return self.languages or ("",)


@dataclass
class Funnel:
    stages: dict[str, set[int]]  # stage key → user ids
    active: list[set[int]]  # week index → user ids
    people: dict[int, Person] = field(default_factory=dict)

    def overall(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for every stage, the weeks' activity after "started"."""
        rows = []
        for key, label, _definition in STAGES:
            rows.append((key, str(label), len(self.stages[key])))
            if key == "started":
                rows += [
                    (f"active-{week + 1}", _("Active in week %(week)s") % {"week": week + 1},
                     len(people))
                    for week, people in enumerate(self.active)
                ]  # fmt: skip
        return rows

    def breakdown(self, dimension: str) -> list[tuple[str, list[int], list[int]]]:
        """(value label, count per stage, count active per week) for each value of the
        dimension, the most applicants (then participants) first."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        weekly: dict[str, Counter[int]] = defaultdict(Counter)
        for key, people in self.stages.items():
            for pk in people:
                for value in self.people[pk].values(dimension):
                    counts[value][key] += 1
        for week, people in enumerate(self.active):
            for pk in people:
                for value in self.people[pk].values(dimension):
                    weekly[value][week] += 1
        labels = dict(Region.choices) if dimension == "region" else {}
        order = sorted(
            counts,
            key=lambda v: (-counts[v]["applied"], -counts[v]["started"], v == "", str(v)),
        )
        return [
            (
                str(labels.get(value, value)) if value else "—",
                [counts[value][key] for key, _label, _definition in STAGES],
                [weekly[value][week] for week in range(len(self.active))],
            )
            for value in order
        ]


def _week(run: Run, instant: datetime) -> int:
    return (instant.astimezone(run.zone).date() - run.starts_on).days // 7


def funnel(run: Run, *, at: datetime) -> Funnel:
    """The run's funnel (definitions in `STAGES`). Eight queries, and those of learning's
    `completion` (about six), however many people."""
    reviewed = ApplicationReview.objects.filter(
        application=OuterRef("pk"), submitted_at__isnull=False
    )
    applications = (
        Application.objects.filter(run=run, submitted_at__isnull=False)
        .annotate(has_review=Exists(reviewed))
        .values_list(
            "applicant_id", "state", "is_eligible", "eligibility_override", "has_review",
            "decision__outcome", "offer__state", "region", "timezone", "languages",
        )
    )  # fmt: skip
    stages: dict[str, set[int]] = {key: set() for key, _label, _definition in STAGES}
    people: dict[int, Person] = {}
    for (pk, state, is_eligible, override, has_review, outcome, offer, region, zone,
         languages) in applications:  # fmt: skip
        people[pk] = Person(region or "", zone or "", tuple(languages or ()))
        stages["applied"].add(pk)
        eligible = state == ApplicationState.SUBMITTED and (
            override if override is not None else bool(is_eligible)
        )
        if eligible:
            stages["eligible"].add(pk)
            if has_review:
                stages["reviewed"].add(pk)
        if outcome == Outcome.SELECTED:
            stages["selected"].add(pk)
        if offer:
            stages["offered"].add(pk)
        if offer == OfferState.CONFIRMED:
            stages["confirmed"].add(pk)
    participants = list(
        User.objects.filter(run_roles__run=run, run_roles__role=Role.PARTICIPANT).distinct()
    )
    for person in participants:
        people.setdefault(
            person.pk,
            Person(person.region or "", person.timezone or "", tuple(person.languages or ())),
        )
    ids = {person.pk for person in participants}
    activity: list[tuple[int, datetime | None]] = [
        *TopicCompletion.objects.filter(topic__module__run=run, user_id__in=ids).values_list(
            "user_id", "done_at"
        ),
        *Submission.objects.filter(assignment__run=run, participant_id__in=ids)
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("participant_id", "submitted_at"),
        *Attendance.objects.filter(
            occurrence__session__run=run, user_id__in=ids, status__in=ATTENDED
        ).values_list("user_id", "occurrence__starts_at"),
    ]
    weeks = max(0, min(run.weeks, _week(run, at) + 1)) if at >= run.starts_at else 0
    active: list[set[int]] = [set() for _ in range(weeks)]
    for pk, instant in activity:
        if instant is None or instant < run.starts_at:
            continue
        stages["started"].add(pk)
        week = _week(run, instant)
        if week < weeks:
            active[week].add(pk)
    stages["completed"] = {c.person.pk for c in completion(run, participants) if c.is_complete}
    stages["certified"] = set(
        Certificate.objects.filter(run=run, revoked_at__isnull=True, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    return Funnel(stages=stages, active=active, people=people)


@dataclass(frozen=True)
class WeekAttendance:
    week: int  # 0-based
    starts_on: date
    present: int
    late: int
    excused: int
    absent: int

    @property
    def recorded(self) -> int:
        return self.present + self.late + self.excused + self.absent

    @property
    def rate(self) -> float | None:
        """(present + late) / (recorded - excused), as learning's attendance summary."""
        counted = self.recorded - self.excused
        return (self.present + self.late) / counted if counted else None


def attendance_by_week(run: Run) -> list[WeekAttendance]:
    """Recorded attendance of the run's live sessions (weekly sessions and the onboarding
    call; office hours are optional), per week of the run, cancelled meetings left out. One
    query."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Attendance.objects.filter(occurrence__session__run=run, occurrence__is_cancelled=False)
        .exclude(occurrence__session__kind=SessionKind.OFFICE_HOURS)
        .values_list("occurrence__week", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for week, status, count in rows:
        counts[week][status] += count
    weeks = range(min([0, *counts]), max([run.weeks - 1, *counts]) + 1)
    return [
        WeekAttendance(
            week=week,
            starts_on=run.week_starts_on(week),
            present=counts[week][AttendanceStatus.PRESENT],
            late=counts[week][AttendanceStatus.LATE],
            excused=counts[week][AttendanceStatus.EXCUSED],
            absent=counts[week][AttendanceStatus.ABSENT],
        )
        for week in weeks
    ]


@dataclass(frozen=True)
class SeatFigures:
    capacity: int
    confirmed: int
    waiting: int  # open offers, not yet answered
    declined: int
    expired: int
    waitlisted: int
    by_day: list[tuple[date, int, int]]  # (day in the run's zone, confirmed that day, total)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.confirmed - self.waiting)


def seat_figures(run: Run, *, at: datetime) -> SeatFigures:
    """Seats: capacity, confirmed, offers waiting for an answer, free, and confirmations by
    day. Three queries."""
    seats = Seats.objects.filter(run=run).first()
    offers = list(
        Offer.objects.filter(application__run=run).values_list(
            "state", "respond_by", "responded_at"
        )
    )
    waitlisted = Decision.objects.filter(application__run=run, outcome=Outcome.WAITLISTED).count()
    states = Counter(state for state, _by, _at in offers)
    waiting = sum(1 for state, by, _at in offers if state == OfferState.OPEN and by > at)
    days: Counter[date] = Counter(
        responded.astimezone(run.zone).date()
        for state, _by, responded in offers
        if state == OfferState.CONFIRMED and responded is not None
    )
    total = 0
    by_day = []
    for day in sorted(days):
        total += days[day]
        by_day.append((day, days[day], total))
    return SeatFigures(
        capacity=seats.capacity if seats else run.capacity,
        confirmed=seats.confirmed if seats else states[OfferState.CONFIRMED],
        waiting=waiting,
        declined=states[OfferState.DECLINED],
        expired=states[OfferState.EXPIRED],
        waitlisted=waitlisted,
        by_day=by_day,
    )


def dimension_title(dimension: str) -> str:
    return {
        "region": _("By region"),
        "timezone": _("By time zone"),
        "language": _("By language"),
    }[dimension]


def stage_keys() -> Iterable[str]:
    return (key for key, _label, _definition in STAGES)
