"""Whose deadline is when: the cohort's due dates, extensions, and self-paced learners' own.

A self-paced learner (enrolled in a run open for self-guided study, or a participant who
switched to self-paced) keeps the course's rhythm from their own start: an assignment due
`n` days after the run began, at a local time of day, is due `n` days after the day they
started, at that same local time, in their own zone. Wall-clock arithmetic, so a clock
change between the start and the due date moves nothing; never earlier than the cohort's
own due date. An extension counts when it is later still.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.learning.models import (
    Assignment,
    Extension,
    ParticipantState,
    ParticipantStatus,
)


def zone_of(user: User, run: Run) -> ZoneInfo:
    """The person's profile zone; the run's reference zone when they gave none."""
    return ZoneInfo(user.timezone) if user.timezone else run.zone


def self_paced_since(run: Run, people: Iterable[User]) -> dict[int, datetime]:
    """User id → the instant each self-paced learner among `people` started on their own:
    a status row saying so (written on enrolment in a run open for self-study, or on a
    switch from the cohort; migration 0004 wrote them for earlier enrolments). One query."""
    return {
        user_id: since or updated_at
        for user_id, since, updated_at in ParticipantStatus.objects.filter(
            run=run, user_id__in=[person.pk for person in people], state=ParticipantState.SELF_PACED
        ).values_list("user_id", "self_paced_at", "updated_at")
    }


def self_paced_runs(user: User, runs: Iterable[Run]) -> dict[int, datetime]:
    """Run id → the instant the person started on their own, for each of `runs` where they
    are a self-paced learner (as `self_paced_since`, for one person in many runs). One
    query."""
    return {
        run_id: since or updated_at
        for run_id, since, updated_at in ParticipantStatus.objects.filter(
            user=user, run__in=[run.pk for run in runs], state=ParticipantState.SELF_PACED
        ).values_list("run_id", "self_paced_at", "updated_at")
    }


def own_due_at(assignment: Assignment, *, run: Run, since: datetime, zone: ZoneInfo) -> datetime:
    """The assignment's offset from the run's first day (days, then the local time of day
    in the run's zone) applied to the day `since` falls on in `zone`."""
    local = assignment.due_at.astimezone(run.zone)
    offset = (local.date() - run.starts_on).days
    first_day = since.astimezone(zone).date()
    return datetime.combine(first_day + timedelta(days=max(offset, 0)), local.time(), tzinfo=zone)


def due_at(
    assignment: Assignment,
    *,
    run: Run,
    extension: Extension | None = None,
    since: datetime | None = None,
    zone: ZoneInfo | None = None,
) -> datetime:
    """The due date that applies to one person: the cohort's; their own when self-paced
    (`since`), if later; an extension's, if later still."""
    due = assignment.due_at
    if since is not None:
        due = max(due, own_due_at(assignment, run=run, since=since, zone=zone or run.zone))
    if extension is not None and extension.due_at > due:
        due = extension.due_at
    return due


def deadlines_for(run: Run, user: User, assignments: Iterable[Assignment]) -> dict[int, datetime]:
    """Assignment id → the person's due date for each of `assignments` of the run.
    Three queries at most, however many assignments."""
    items = list(assignments)
    extensions = {
        e.assignment_id: e
        for e in Extension.objects.filter(Q(assignment__in=[a.pk for a in items]), participant=user)
    }
    since = self_paced_since(run, [user]).get(user.pk)
    zone = zone_of(user, run)
    return {
        a.pk: due_at(a, run=run, extension=extensions.get(a.pk), since=since, zone=zone)
        for a in items
    }


def is_self_paced(run: Run, user: User) -> bool:
    return user.pk in self_paced_since(run, [user])
