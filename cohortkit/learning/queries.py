"""Reads spanning the learning models: releases, progress, the grid, who is at risk,
completion. Each says how many queries it makes, whatever the number of people."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.accounts.models import User
from cohortkit.courses.models import Module, Role, Run, Topic
from cohortkit.courses.queries import run_participants
from cohortkit.exercises.models import Exercise
from cohortkit.exercises.queries import Result, exercises_of, module_scores, not_passed, results
from cohortkit.learning.deadlines import due_at, self_paced_since
from cohortkit.learning.models import (
    Assignment,
    Extension,
    LearningPolicy,
    ParticipantState,
    ParticipantStatus,
    Submission,
    SubmissionStatus,
    TopicCompletion,
)
from cohortkit.reviews.queries import review_status
from cohortkit.scheduling.queries import attendance_summary


def module_release_at(module: Module) -> datetime:
    """Midnight in the run's zone on the first day of the module's release week."""
    return datetime.combine(module.released_on(), time.min, tzinfo=module.run.zone)


def is_released(module: Module, *, at: datetime) -> bool:
    return at >= module_release_at(module)


def policy_for(run: Run) -> LearningPolicy:
    """The run's policy; the defaults (unsaved) when none was set."""
    try:
        return run.learning_policy
    except LearningPolicy.DoesNotExist:
        return LearningPolicy(run=run)


def coordinators_of(run: Run) -> list[User]:
    """The run's coordinators, the people named as its contact. One query."""
    return list(
        User.objects.filter(run_roles__run=run, run_roles__role=Role.COORDINATOR)
        .distinct()
        .order_by("display_name", "pk")
    )


def active_participants(run: Run) -> QuerySet[User]:
    """Participants neither paused, withdrawn nor switched to self-paced."""
    inactive = ParticipantStatus.objects.filter(run=run).exclude(state=ParticipantState.ACTIVE)
    return run_participants(run).exclude(pk__in=inactive.values("user_id"))


@dataclass
class ModuleProgress:
    module: Module
    topics: list[Topic]
    done: set[int]
    released_at: datetime
    is_released: bool
    # The module's exercises, each with the person's counted result (None: not finished).
    exercises: list[tuple[Exercise, Result | None]] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def percent(self) -> int:
        return round(100 * len(self.done) / len(self.topics)) if self.topics else 0


@dataclass
class Progress:
    modules: list[ModuleProgress]

    @property
    def topic_count(self) -> int:
        return sum(len(m.topics) for m in self.modules)

    @property
    def done_count(self) -> int:
        return sum(m.done_count for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.topic_count) if self.topic_count else 0


def progress_for(run: Run, user: User | None, *, at: datetime) -> Progress:
    """Modules with their topics and what `user` marked done, and the modules' exercises
    with the user's counted results. Five queries."""
    modules = list(
        Module.objects.filter(run=run)
        .select_related("run")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position")))
    )
    done: set[int] = set()
    if user is not None and user.is_authenticated:
        done = set(
            TopicCompletion.objects.filter(user=user, topic__module__run=run).values_list(
                "topic_id", flat=True
            )
        )
    by_module: dict[int, list[Exercise]] = defaultdict(list)
    for exercise in exercises_of(run):
        by_module[exercise.module_id].append(exercise)
    mine: dict[int, Result] = {}
    if user is not None and user.is_authenticated and by_module:
        mine = results(run, [user.pk]).get(user.pk, {})
    items = []
    for module in modules:
        module.run = run
        topics = list(module.topics.all())
        released_at = module_release_at(module)
        items.append(
            ModuleProgress(
                module=module,
                topics=topics,
                done={t.pk for t in topics if t.pk in done},
                released_at=released_at,
                is_released=at >= released_at,
                exercises=[(e, mine.get(e.pk)) for e in by_module[module.pk]],
            )
        )
    return Progress(items)


@dataclass
class GridRow:
    person: User
    cells: list[tuple[int, int]]  # (done, of) per module
    done: int
    total: int
    # Per module, the mean counted exercise score in per cent (None: none finished).
    scores: list[int | None] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[int, int, int | None]]:
        return [
            (done, of, score) for (done, of), score in zip(self.cells, self.scores, strict=True)
        ]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_grid(
    run: Run, *, page: int | str = 1, per_page: int = 50
) -> tuple[list[Module], Page[User], list[GridRow]]:
    """Participants by modules (topics done, exercise scores), one page of people. Seven
    queries whatever the page size."""
    modules: list[Module] = list(
        Module.objects.filter(run=run).annotate(topic_count=Count("topics"))
    )
    for module in modules:
        module.run = run
    paginator = Paginator(run_participants(run), per_page)
    people_page = paginator.get_page(page)
    people = list(people_page.object_list)
    counts: dict[tuple[int, int], int] = {
        (row["user_id"], row["topic__module_id"]): row["done"]
        for row in TopicCompletion.objects.filter(
            user__in=[p.pk for p in people], topic__module__run=run
        )
        .values("user_id", "topic__module_id")
        .annotate(done=Count("pk"))
        .order_by()
    }
    total = sum(m.topic_count for m in modules)  # type: ignore[attr-defined]
    scores = module_scores(run, [p.pk for p in people])
    rows = []
    for person in people:
        cells = [(counts.get((person.pk, m.pk), 0), m.topic_count) for m in modules]  # type: ignore[attr-defined]
        mine = scores.get(person.pk, {})
        rows.append(
            GridRow(
                person,
                cells,
                sum(done for done, _ in cells),
                total,
                [mine.get(m.pk) for m in modules],
            )
        )
    return modules, people_page, rows


@dataclass(frozen=True)
class HandIns:
    handed_in: int
    to_review: int


def hand_in_counts(run: Run) -> dict[int, HandIns]:
    """Assignment id → how many participants handed it in, and how many of those wait for
    feedback (submitted, not yet accepted or sent back). One query."""
    return {
        row["assignment_id"]: HandIns(row["handed_in"], row["to_review"])
        for row in Submission.objects.filter(assignment__run=run)
        .exclude(status=SubmissionStatus.DRAFT)
        .values("assignment_id")
        .annotate(
            handed_in=Count("pk"),
            to_review=Count("pk", filter=Q(status=SubmissionStatus.SUBMITTED)),
        )
        .order_by()
    }


@dataclass
class AtRisk:
    person: User
    reasons: list[str] = field(default_factory=list)
    last_progress_at: datetime | None = None
    overdue: list[Assignment] = field(default_factory=list)


def attendance_for(run: Run, people: list[int] | None = None) -> dict[int, Any]:
    """The scheduling app's attendance summary per user id (of `people` only, if given)."""
    return dict(attendance_summary(run, people=people))


def overdue_work(run: Run, people: list[User], *, at: datetime) -> dict[int, list[Assignment]]:
    """Per user id, the assignments past their due date (extensions counted) not handed in.
    Three queries."""
    assignments = list(Assignment.objects.filter(run=run, due_at__lt=at))
    for assignment in assignments:
        assignment.run = run  # read for their translation keys, without a query each
    handed_in = set(
        Submission.objects.filter(assignment__run=run, participant__in=people)
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("participant_id", "assignment_id")
    )
    extensions = {
        (e.participant_id, e.assignment_id): e
        for e in Extension.objects.filter(assignment__run=run, participant__in=people)
    }
    result: dict[int, list[Assignment]] = defaultdict(list)
    for person in people:
        for assignment in assignments:
            if (person.pk, assignment.pk) in handed_in:
                continue
            extension = extensions.get((person.pk, assignment.pk))
            if due_at(assignment, run=run, extension=extension) < at:
                result[person.pk].append(assignment)
    return result


def at_risk(
    run: Run, *, at: datetime, title: Callable[[Assignment], str] | None = None
) -> list[AtRisk]:
    """Active participants falling behind, each with the reasons. About seven queries.

    ``title`` names an overdue assignment in the reasons (a page passes the reader's
    content language); the stored title by default."""
    title = title or (lambda assignment: assignment.title)
    policy = policy_for(run)
    people = list(active_participants(run))
    last = dict(
        TopicCompletion.objects.filter(topic__module__run=run, user__in=people)
        .values("user_id")
        .annotate(last=Max("done_at"))
        .order_by()
        .values_list("user_id", "last")
    )
    overdue = overdue_work(run, people, at=at)
    attendance = attendance_for(run) or {}
    quiet_since = max(run.starts_at, at - timedelta(days=policy.inactive_days))
    flagged = []
    for person in people:
        item = AtRisk(person=person, last_progress_at=last.get(person.pk))
        if at - run.starts_at >= timedelta(days=policy.inactive_days) and (
            item.last_progress_at is None or item.last_progress_at < quiet_since
        ):
            item.reasons.append(
                ngettext(
                    "No progress for %(days)d day or more",
                    "No progress for %(days)d days or more",
                    policy.inactive_days,
                )
                % {"days": policy.inactive_days}
            )
        if overdue.get(person.pk):
            item.overdue = overdue[person.pk]
            item.reasons.append(
                _("Overdue: %(titles)s") % {"titles": ", ".join(map(title, item.overdue))}
            )
        summary = attendance.get(person.pk)
        absent = getattr(summary, "absent", None) if summary is not None else None
        if isinstance(absent, int) and absent >= policy.missed_sessions:
            item.reasons.append(
                ngettext("Missed %(count)d session", "Missed %(count)d sessions", absent)
                % {"count": absent}
            )
        if item.reasons:
            flagged.append(item)
    return flagged


@dataclass
class Completion:
    person: User
    is_complete: bool
    missing: list[str]
    is_self_paced: bool = False


def completion(run: Run, people: list[User] | None = None) -> list[Completion]:
    """Who meets the run's completion rules, and what each one still lacks.

    Self-paced learners (`deadlines.self_paced_since`) finish without the cohort and
    without staff: for them every topic marked done (when the run asks for it) and every
    required assignment handed in (not waiting for a facilitator to accept it; work sent
    back as "needs work" does not count) are the rules; live attendance and the peer review
    of the final presentation, which need a cohort, are not. Passing every exercise (the
    exercises app's counted scores against each pass mark) counts for everyone alike."""
    policy = policy_for(run)
    # A few people's completion (a person's own modules page) reads only their attendance.
    only = None if people is None else [person.pk for person in people]
    people = list(run_participants(run)) if people is None else people
    self_paced = self_paced_since(run, people)
    topic_total = Topic.objects.filter(module__run=run).count()
    done = dict(
        TopicCompletion.objects.filter(topic__module__run=run, user__in=people)
        .values("user_id")
        .annotate(done=Count("pk"))
        .order_by()
        .values_list("user_id", "done")
    )
    required = list(
        Assignment.objects.filter(run=run, is_required=True).values_list("pk", flat=True)
    )
    statuses = {
        (user_id, assignment_id): status
        for user_id, assignment_id, status in Submission.objects.filter(
            assignment_id__in=required, participant__in=people
        ).values_list("participant_id", "assignment_id", "status")
    }
    in_cohort = len(self_paced) < len(people)
    attendance = (
        attendance_for(run, only)
        if policy.min_attendance_percent is not None and in_cohort
        else None
    )
    reviewed = final_reviewed(run) if policy.requires_final_review and in_cohort else None
    unpassed = not_passed(run, [p.pk for p in people]) if policy.requires_exercises else {}
    handed_in = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED}
    results = []
    for person in people:
        on_own = person.pk in self_paced
        counted = handed_in if on_own else {SubmissionStatus.ACCEPTED}
        missing = []
        if policy.requires_all_topics and done.get(person.pk, 0) < topic_total:
            missing.append(
                ngettext(
                    "%(done)d of %(total)d topic done",
                    "%(done)d of %(total)d topics done",
                    topic_total,
                )
                % {"done": done.get(person.pk, 0), "total": topic_total}
            )
        if policy.requires_assignments:
            open_work = sum(1 for pk in required if statuses.get((person.pk, pk)) not in counted)
            if open_work and on_own:
                missing.append(
                    ngettext(
                        "%(count)d required assignment not handed in yet",
                        "%(count)d required assignments not handed in yet",
                        open_work,
                    )
                    % {"count": open_work}
                )
            elif open_work:
                missing.append(
                    ngettext(
                        "%(count)d required assignment not accepted yet",
                        "%(count)d required assignments not accepted yet",
                        open_work,
                    )
                    % {"count": open_work}
                )
        if policy.min_attendance_percent is not None and not on_own:
            summary = (attendance or {}).get(person.pk)
            rate = getattr(summary, "rate", None)
            if rate is None or rate * 100 < policy.min_attendance_percent:
                missing.append(
                    _("attendance below %(percent)d%%") % {"percent": policy.min_attendance_percent}
                )
        if reviewed is not None and not on_own and person.pk not in reviewed:
            missing.append(_("final presentation not reviewed yet"))
        if unpassed.get(person.pk):
            count = len(unpassed[person.pk])
            missing.append(
                ngettext(
                    "%(count)d exercise not passed yet",
                    "%(count)d exercises not passed yet",
                    count,
                )
                % {"count": count}
            )
        results.append(Completion(person, not missing, missing, on_own))
    return results


def final_reviewed(run: Run) -> set[int]:
    """User ids whose final presentation is submitted, reviewed K times, and who gave
    every review assigned to them (the reviews app's own notion of done)."""
    return {user_id for user_id, status in review_status(run).items() if status.is_complete}
