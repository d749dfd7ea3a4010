"""Every change to peer review: setup, final work, allocation and repair, reviewing, flags.

Services take objects and keyword-only options, run in one transaction and queue their mail
after commit. Mail to many reviewers at once (an allocation) is queued by a task, so the
request that allocates only writes the reviews.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.accounts.timezones import zone_label
from cohortkit.courses.models import Run
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import Mail, queue_mails
from cohortkit.reviews.allocation import (
    AllocationInfeasible,
    Relaxation,
    allocate_reviewers,
    check_feasibility,
    relax_rules,
    repair_allocation,
)
from cohortkit.reviews.cohorts import RunCohort, run_cohort
from cohortkit.reviews.models import (
    Criterion,
    FeedbackPrompt,
    FinalWork,
    Review,
    ReviewState,
    ReviewStep,
    WorkState,
)
from cohortkit.translations.mail import mail_texts, mail_titles
from cohortkit.translations.queries import TextLookup

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=48)


class ReviewError(Exception):
    """A refused change; the message says why, in the person's language."""


# ---------------------------------------------------------------------------------------------
# Setup


def configure_review_step(
    run: Run,
    *,
    settings: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]],
    prompts: Sequence[Mapping[str, Any]],
) -> ReviewStep:
    """Create or update the run's peer-review step and replace its rubric.

    ``settings`` holds ReviewStep fields; ``criteria`` and ``prompts`` are the rubric lines
    in order (an ``id`` keeps an existing line, so reviews already scored keep their keys;
    lines left out are deleted). When the review deadline moves, the queued reminders of
    open reviews move with it. After commit, the allocation task is scheduled for the
    submission deadline.
    """
    with transaction.atomic():
        step = ReviewStep.objects.select_for_update().filter(run=run).first()
        old_due = step.reviews_due_at if step else None
        if step is None:
            step = ReviewStep(run=run)
        for name, value in settings.items():
            setattr(step, name, value)
        step.save()
        _replace_lines(
            step,
            Criterion,
            criteria,
            ["title", "description", "weight", "scale_max"],
        )
        _replace_lines(step, FeedbackPrompt, prompts, ["text", "is_required"])
        if old_due is not None and old_due != step.reviews_due_at:
            _move_reminders(
                step.run.peer_reviews.filter(state=ReviewState.ASSIGNED).select_related(
                    "reviewer", "work__author"
                ),
                step,
            )
        step_id, close_at = step.pk, step.submissions_close_at
        transaction.on_commit(lambda: _schedule_allocation(step_id, close_at))
    return step


def _replace_lines(
    step: ReviewStep,
    model: type[Criterion] | type[FeedbackPrompt],
    lines: Sequence[Mapping[str, Any]],
    fields: list[str],
) -> None:
    existing = {line.pk: line for line in model.objects.filter(step=step)}
    kept: set[int] = set()
    for position, data in enumerate(lines):
        line = existing.get(data.get("id") or 0) or model(step=step)
        for name in fields:
            setattr(line, name, data[name])
        line.position = position
        line.save()
        kept.add(line.pk)
    model.objects.filter(step=step).exclude(pk__in=kept).delete()


def _schedule_allocation(step_id: int, close_at: datetime) -> None:
    from cohortkit.reviews.tasks import task_allocate_reviews  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

    task_allocate_reviews.using(run_after=close_at).enqueue(step_id)


# ---------------------------------------------------------------------------------------------
# Final work


def save_final_work(
    run: Run,
    author: User,
    *,
    title: str,
    text: str,
    link: str,
    file: UploadedFile | None,
    clear_file: bool,
    submit: bool,
    at: datetime,
) -> FinalWork:
    """Save the author's final work as a draft, or submit it.

    Submitted work can still be changed until the submission deadline; after it, it is
    locked. Work submitted after the deadline (but before reviews are due) is marked late
    and, when reviewers are already allocated, the allocation is repaired to include it.
    Raises ReviewError when the step is closed or the work is empty.
    """
    step = _step(run)
    with transaction.atomic():
        work, _created = FinalWork.objects.select_for_update().get_or_create(run=run, author=author)
        if not step.accepts_work_at(at):
            raise ReviewError(_("Reviews are due already: final work can no longer be changed."))
        if work.is_submitted and at >= step.submissions_close_at:
            raise ReviewError(
                _("Your final work is submitted and the deadline has passed: it is locked.")
            )
        work.title, work.text, work.link = title, text, link
        if clear_file and work.file:
            # The stored file goes after commit (learning/stored_files.py), not before: a
            # refusal below rolls back and the work must still have its file.
            work.file = ""  # type: ignore[assignment]
        if file is not None:
            work.file = file  # type: ignore[assignment]
        if submit or work.is_submitted:
            if not work.has_content:
                raise ReviewError(_("Add a text, a link or a file before you submit."))
            newly = not work.is_submitted
            work.state = WorkState.SUBMITTED
            if newly:
                work.submitted_at = at
                work.is_late = at >= step.submissions_close_at
            work.save()
            if newly and step.is_allocated:
                _repair_quietly(step, at=at)
        else:
            work.save()
    return work


def withdraw_final_work(work: FinalWork, *, at: datetime) -> FinalWork:
    """Withdraw a submitted work: it gets no reviews; an allocation is repaired around it.

    Its open reviews are cancelled and their reminders removed by the repair.
    """
    step = _step(work.run)
    with transaction.atomic():
        work = FinalWork.objects.select_for_update().get(pk=work.pk)
        if not work.is_submitted:
            raise ReviewError(_("Only submitted work can be withdrawn."))
        work.state = WorkState.WITHDRAWN
        work.save(update_fields=["state", "updated_at"])
        if step.is_allocated:
            _repair_quietly(step, at=at)
    return work


def _step(run: Run) -> ReviewStep:
    step = ReviewStep.objects.filter(run=run).select_related("run__course").first()
    if step is None:
        raise ReviewError(_("Peer review is not set up for this run yet."))
    return step


def _repair_quietly(step: ReviewStep, *, at: datetime) -> None:
    """Repair inside a savepoint; when the rules cannot hold, leave it to a coordinator."""
    try:
        with transaction.atomic():
            repair_reviews(step, at=at)
    except AllocationInfeasible as error:
        logger.warning("peer review of run %s needs a coordinator: %s", step.run_id, error)


# ---------------------------------------------------------------------------------------------
# Allocation


@dataclass(frozen=True)
class AllocationPlan:
    """What allocating now would do, computed without saving anything."""

    run_cohort: RunCohort
    blocking: AllocationInfeasible | None
    relaxation: Relaxation | None

    @property
    def is_feasible(self) -> bool:
        return self.blocking is None


def plan_allocation(step: ReviewStep) -> AllocationPlan:
    """Check the rules against the run as it is now; on failure find the least relaxation.

    Reads only. The relaxation follows ``allocation.relaxation_ladder``: drop not-same rules
    from the least important up, then lower K.
    """
    cohort = run_cohort(step)
    try:
        check_feasibility(cohort.cohort, cohort.rules)
    except AllocationInfeasible as error:
        try:
            relaxation = relax_rules(cohort.cohort, cohort.rules)
        except AllocationInfeasible:
            relaxation = None
        return AllocationPlan(cohort, error, relaxation)
    return AllocationPlan(cohort, None, None)


@dataclass(frozen=True)
class AllocationOutcome:
    reviews: int
    reviews_per_work: int
    dropped_not_same: tuple[str, ...]
    spread_total: int
    spread_bound: int


def allocate_reviews(step: ReviewStep, *, at: datetime, relax: bool = False) -> AllocationOutcome:
    """Assign every submitted work its reviewers and save the reviews.

    Without ``relax`` the configured rules must hold (else AllocationInfeasible, nothing
    saved); with it, the least relaxation of the documented order is used and recorded on
    the step. After commit a task queues one mail per reviewer and a reminder per review
    48 hours before reviews are due. Raises ReviewError when already allocated or when no
    work is submitted.
    """
    with transaction.atomic():
        step = ReviewStep.objects.select_for_update().select_related("run__course").get(pk=step.pk)
        if step.is_allocated:
            raise ReviewError(_("Reviewers are already allocated; use repair instead."))
        cohort = run_cohort(step)
        if not cohort.works:
            raise ReviewError(_("No final work is submitted yet: there is nothing to review."))
        if relax:
            relaxation = relax_rules(cohort.cohort, cohort.rules)
            allocation, rules = relaxation.allocation, relaxation.rules
            dropped = relaxation.dropped_not_same
        else:
            allocation = allocate_reviewers(cohort.cohort, cohort.rules)
            rules, dropped = cohort.rules, ()
        reviews = Review.objects.bulk_create(
            Review(
                run_id=step.run_id,
                work=cohort.works[author],
                reviewer=cohort.people[reviewer],
                assigned_at=at,
            )
            for reviewer, author in allocation.pairs()
        )
        step.allocated_at = at
        step.allocated_reviews_per_work = rules.reviews
        step.allocated_not_same = list(rules.not_same)
        step.save(
            update_fields=[
                "allocated_at",
                "allocated_reviews_per_work",
                "allocated_not_same",
                "updated_at",
            ]
        )
        step_id = step.pk
        transaction.on_commit(lambda: _enqueue_notices(step_id, None))
    return AllocationOutcome(
        reviews=len(reviews),
        reviews_per_work=rules.reviews,
        dropped_not_same=dropped,
        spread_total=allocation.spread_total,
        spread_bound=allocation.spread_bound,
    )


@dataclass(frozen=True)
class RepairOutcome:
    kept: int
    added: int
    removed: int


def repair_reviews(step: ReviewStep, *, at: datetime) -> RepairOutcome:
    """Adapt the allocation to late work, withdrawals and people who left, changing least.

    Reviews that no longer fit are cancelled (their reminders removed); new ones are created
    and, after commit, their reviewers are told and reminders queued. Reviews by staff are
    left alone. Raises AllocationInfeasible (nothing changed) when the rules cannot hold.
    """
    with transaction.atomic():
        step = ReviewStep.objects.select_for_update().select_related("run__course").get(pk=step.pk)
        cohort = run_cohort(
            step, reviews=step.effective_reviews_per_work, not_same=step.effective_not_same
        )
        live = list(
            Review.objects.filter(run=step.run_id, is_by_staff=False)
            .active()
            .select_related("work")
        )
        previous = [(str(r.reviewer_id), str(r.work.author_id)) for r in live]
        if cohort.works:
            repair = repair_allocation(cohort.cohort, cohort.rules, previous)
            removed, added_pairs = set(repair.removed), repair.added
        else:  # every work withdrawn: nothing left to review
            removed, added_pairs = set(previous), ()
        to_cancel = [r for r in live if (str(r.reviewer_id), str(r.work.author_id)) in removed]
        for review in to_cancel:
            review.state = ReviewState.CANCELLED
            review.cancelled_at = at
        Review.objects.bulk_update(to_cancel, ["state", "cancelled_at"])
        _drop_reminders(to_cancel)
        added = Review.objects.bulk_create(
            Review(
                run_id=step.run_id,
                work=cohort.works[author],
                reviewer=cohort.people[reviewer],
                assigned_at=at,
            )
            for reviewer, author in added_pairs
        )
        if added:
            step_id, ids = step.pk, [review.pk for review in added]
            transaction.on_commit(lambda: _enqueue_notices(step_id, ids))
    return RepairOutcome(kept=len(live) - len(to_cancel), added=len(added), removed=len(to_cancel))


def _enqueue_notices(step_id: int, review_ids: list[int] | None) -> None:
    from cohortkit.reviews.tasks import task_notify_reviewers  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

    task_notify_reviewers.enqueue(step_id, review_ids)


def notify_reviewers(step: ReviewStep, *, review_ids: Iterable[int] | None, at: datetime) -> int:
    """Queue the "you have work to review" mail and the reminders for open reviews.

    With ``review_ids`` None: one mail per reviewer for all their open reviews (after an
    allocation); otherwise one per review listed (after a repair or a reassignment).
    Idempotent: every mail has a key. Returns the number of messages queued.
    """
    reviews = (
        Review.objects.filter(run=step.run_id, state=ReviewState.ASSIGNED, is_by_staff=False)
        .select_related("reviewer", "work__author")
        .order_by("reviewer_id", "pk")
    )
    if review_ids is not None:
        reviews = reviews.filter(pk__in=list(review_ids))
    by_reviewer: dict[int, list[Review]] = {}
    for review in reviews:
        by_reviewer.setdefault(review.reviewer_id, []).append(review)
    texts = _mail_texts(step, [group[0].reviewer for group in by_reviewer.values()])
    mails: list[Mail] = []
    for reviewer_reviews in by_reviewer.values():
        reviewer = reviewer_reviews[0].reviewer
        if review_ids is None:
            key = f"reviews:assigned:{step.run_id}:{reviewer.pk}"
        else:
            key = f"reviews:assigned:{step.run_id}:{reviewer.pk}:" + ",".join(
                str(r.pk) for r in reviewer_reviews
            )
        mails.append(
            Mail(
                recipient=reviewer.email,
                kind="reviews-assigned",
                language=reviewer.mail_language,
                template="reviews/mail/assigned",
                context={
                    "step": step,
                    "run": step.run,
                    "reviews": reviewer_reviews,
                    "person": reviewer,
                    **mail_titles(step.run, texts[reviewer.mail_language]),
                    "url": _url(step.run, "reviews:assigned"),
                    **_due(step, reviewer),
                },
                user=reviewer,
                run=step.run,
                key=key,
            )
        )
        mails.extend(_reminder_mails(reviewer_reviews, step, now=at, texts=texts))
    return len(queue_mails(mails))


def _move_reminders(reviews: Iterable[Review], step: ReviewStep) -> int:
    """Replace the queued reminders of these open reviews with ones for the step's deadline
    (reminders already sent stay, and their key keeps a second one from being queued)."""
    reviews = list(reviews)
    _drop_reminders(reviews)
    texts = _mail_texts(step, [review.reviewer for review in reviews])
    return len(queue_mails(_reminder_mails(reviews, step, now=timezone.now(), texts=texts)))


def _reminder_mails(
    reviews: Iterable[Review], step: ReviewStep, *, now: datetime, texts: dict[str, TextLookup]
) -> list[Mail]:
    """The reminder 48 hours before reviews are due (or now, when that has passed); none
    once the deadline has passed. `texts` has the course's texts in each reviewer's mail
    language (`_mail_texts`)."""
    if step.reviews_due_at <= now:
        return []
    send_at = reminder_at(step, now=now)
    return [
        Mail(
            recipient=review.reviewer.email,
            kind="reviews-reminder",
            language=review.reviewer.mail_language,
            template="reviews/mail/reminder",
            context={
                "step": step,
                "run": step.run,
                "review": review,
                "person": review.reviewer,
                **mail_titles(step.run, texts[review.reviewer.mail_language]),
                "url": _url(step.run, "reviews:review", pk=review.pk),
                **_due(step, review.reviewer),
            },
            send_at=send_at,
            user=review.reviewer,
            run=step.run,
            key=f"reviews:reminder:{review.pk}",
        )
        for review in reviews
    ]


def reminder_at(step: ReviewStep, *, now: datetime) -> datetime:
    """48 real hours before reviews are due, or now when that has passed.

    Subtracted in UTC: on an aware datetime in a zone with DST, Python's arithmetic is
    wall-clock and would be an hour off across a change.
    """
    return max(now, step.reviews_due_at.astimezone(UTC) - REMINDER_BEFORE)


def _drop_reminders(reviews: Iterable[Review]) -> None:
    keys = [f"reviews:reminder:{review.pk}" for review in reviews]
    OutboxMessage.objects.filter(key__in=keys, state=MailState.QUEUED).delete()


def _due(step: ReviewStep, person: User) -> dict[str, str]:
    """The review deadline in the person's zone, and that zone named with its offset."""
    zone = person.timezone or "UTC"
    local = step.reviews_due_at.astimezone(ZoneInfo(zone))
    return {"due": local.strftime("%Y-%m-%d %H:%M"), "zone": zone_label(zone, step.reviews_due_at)}


def _mail_texts(step: ReviewStep, people: Iterable[User]) -> dict[str, TextLookup]:
    """The course's texts in each person's mail language (two queries however many)."""
    run = step.run
    return mail_texts(run.course, {person.mail_language for person in people}, runs=[run])


def _url(run: Run, name: str, **kwargs: Any) -> str:
    path = reverse(name, kwargs={"slug": run.course.slug, "run": run.slug, **kwargs})
    return f"{settings.SITE_URL}{path}"


# ---------------------------------------------------------------------------------------------
# Reviewing


def save_review(
    review: Review,
    *,
    scores: Mapping[str, int | None],
    answers: Mapping[str, str],
    submit: bool,
    at: datetime,
) -> Review:
    """Keep the reviewer's draft scores and answers; with ``submit``, submit the review.

    Submitting removes the queued reminder. A submitted or cancelled review cannot change.
    After reviews are due, a review that is not submitted yet changes only when the step
    accepts late reviews, and is then marked late (as handed-in work is in learning).
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if not review.is_open:
            raise ReviewError(_("This review is closed: it can no longer be changed."))
        step = ReviewStep.objects.get(run_id=review.run_id)
        late = at > step.reviews_due_at
        if late and not step.accepts_late_reviews:
            raise ReviewError(
                _("Reviews were due already and this course does not accept late reviews.")
            )
        review.is_late = late and submit
        review.scores = {key: value for key, value in scores.items() if value is not None}
        review.answers = {key: value for key, value in answers.items() if value}
        review.saved_at = at
        if submit:
            review.state = ReviewState.SUBMITTED
            review.submitted_at = at
            _drop_reminders([review])
        review.save()
    return review


def reassign_review(review: Review, *, reviewer: User, at: datetime) -> Review:
    """Give an open review to someone else: the old one is cancelled, a new one created.

    The new reviewer is told after commit and gets a reminder; the old reminder goes.
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("work").get(pk=review.pk)
        if not review.is_open:
            raise ReviewError(_("Only a review still to do can be reassigned."))
        if reviewer.pk == review.work.author_id:
            raise ReviewError(_("Authors never review their own work."))
        if Review.objects.active().filter(work=review.work, reviewer=reviewer).exists():
            raise ReviewError(_("This person already reviews this work."))
        review.state = ReviewState.CANCELLED
        review.cancelled_at = at
        review.save(update_fields=["state", "cancelled_at"])
        _drop_reminders([review])
        new = Review.objects.create(
            run_id=review.run_id,
            work=review.work,
            reviewer=reviewer,
            assigned_at=at,
            is_by_staff=review.is_by_staff,
        )
        step_id, new_id = review.work.run.review_step.pk, new.pk
        transaction.on_commit(lambda: _enqueue_notices(step_id, [new_id]))
    return new


def flag_review(review: Review, *, is_flagged: bool, note: str) -> Review:
    """Mark a review unfair (left out of the aggregates) or clear the mark."""
    review.is_flagged = is_flagged
    review.flag_note = note if is_flagged else ""
    review.save(update_fields=["is_flagged", "flag_note"])
    return review


def add_staff_review(work: FinalWork, *, reviewer: User, at: datetime) -> Review:
    """A facilitator's own review of a work (or their existing one); no mail."""
    with transaction.atomic():
        if work.author_id == reviewer.pk:
            raise ReviewError(_("Authors never review their own work."))
        review = Review.objects.active().filter(work=work, reviewer=reviewer).first()
        if review is None:
            review = Review.objects.create(
                run_id=work.run_id, work=work, reviewer=reviewer, assigned_at=at, is_by_staff=True
            )
    return review
