"""Reads about peer review, reused by views, by the learning app (completion) and reports."""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q

from cohortkit.courses.models import Role, Run, RunRole
from cohortkit.reviews.models import (
    Criterion,
    FeedbackPrompt,
    FinalWork,
    Review,
    ReviewState,
    ReviewStep,
    WorkState,
)


@dataclass(frozen=True)
class ReviewStatus:
    """One participant's peer-review standing, for the completion rule.

    ``reviews_required`` counts the reviews currently assigned to them (0 before
    allocation); ``reviews_received`` counts submitted reviews of their work that are not
    flagged as unfair; ``reviews_expected`` is K as allocated.
    """

    submitted_work: bool
    reviews_given: int
    reviews_required: int
    reviews_received: int
    reviews_expected: int

    @property
    def is_complete(self) -> bool:
        """Work submitted, reviewed K times, and every assigned review given."""
        return (
            self.submitted_work
            and self.reviews_given >= self.reviews_required
            and self.reviews_received >= self.reviews_expected > 0
        )


def review_status(run: Run) -> dict[int, ReviewStatus]:
    """Peer-review standing by user id for every participant of the run (four queries)."""
    step = ReviewStep.objects.filter(run=run).first()
    expected = step.effective_reviews_per_work if step and step.is_allocated else 0
    participants = list(
        RunRole.objects.filter(run=run, role=Role.PARTICIPANT).values_list("user_id", flat=True)
    )
    submitted = set(
        FinalWork.objects.filter(run=run, state=WorkState.SUBMITTED).values_list(
            "author_id", flat=True
        )
    )
    given: dict[int, tuple[int, int]] = {
        row["reviewer_id"]: (row["done"], row["all"])
        for row in Review.objects.filter(run=run, is_by_staff=False)
        .active()
        .values("reviewer_id")
        .annotate(
            done=Count("pk", filter=Q(state=ReviewState.SUBMITTED)),
            all=Count("pk"),
        )
    }
    received: dict[int, int] = dict(
        Review.objects.filter(run=run)
        .counted()
        .values("work__author_id")
        .annotate(n=Count("pk"))
        .values_list("work__author_id", "n")
    )
    return {
        user_id: ReviewStatus(
            submitted_work=user_id in submitted,
            reviews_given=given.get(user_id, (0, 0))[0],
            reviews_required=given.get(user_id, (0, 0))[1],
            reviews_received=received.get(user_id, 0),
            reviews_expected=expected,
        )
        for user_id in participants
    }


def step_with_rubric(run: Run) -> ReviewStep | None:
    """The run's step with criteria and prompts prefetched (three queries), or None."""
    return (
        ReviewStep.objects.filter(run=run)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk")),
            Prefetch("prompts", queryset=FeedbackPrompt.objects.order_by("position", "pk")),
        )
        .first()
    )


def reviews_to_give(run: Run, reviewer_id: int) -> list[Review]:
    """A person's live reviews in the run, open ones first."""
    return list(
        Review.objects.filter(run=run, reviewer_id=reviewer_id)
        .active()
        .select_related("work__author")
        .order_by("-state", "pk")  # "submitted" after "assigned"
    )


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    scores: list[int]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None


@dataclass(frozen=True)
class WorkResults:
    """A work's reviews and its rubric aggregated over the counted ones."""

    work: FinalWork
    reviews: list[Review]
    criteria: list[CriterionResult]
    counted: int
    overall: float | None = field(default=None)


def results_for_work(step: ReviewStep, work: FinalWork, *, include_open: bool) -> WorkResults:
    """Mean and median per criterion over submitted, unflagged reviews; overall weighted %.

    ``include_open`` also lists reviews still to do (for staff). ``step`` must come from
    :func:`step_with_rubric`.
    """
    reviews = Review.objects.filter(work=work).active().select_related("reviewer")
    if not include_open:
        reviews = reviews.submitted()
    # Submitted in order, then the open ones, on every database.
    review_list = list(reviews.order_by(F("submitted_at").asc(nulls_last=True), "pk"))
    counted = [r for r in review_list if r.state == ReviewState.SUBMITTED and not r.is_flagged]
    criteria = list(step.criteria.all())
    results = []
    for criterion in criteria:
        key = str(criterion.pk)
        scores = [int(r.scores[key]) for r in counted if key in r.scores]
        results.append(CriterionResult(criterion, scores))
    weighted = [
        (c.criterion.weight, (c.mean - 1) / (c.criterion.scale_max - 1))
        for c in results
        if c.mean is not None
    ]
    total_weight = sum(w for w, _ in weighted)
    overall = 100 * sum(w * v for w, v in weighted) / total_weight if total_weight else None
    return WorkResults(work, review_list, results, len(counted), overall)


@dataclass(frozen=True)
class WorkRow:
    work: FinalWork
    reviews: list[Review]

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.reviews if r.state == ReviewState.SUBMITTED)

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.reviews if r.is_flagged)


def works_overview(run: Run) -> list[WorkRow]:
    """Every submitted or withdrawn work of the run with its live reviews (two queries)."""
    works = (
        FinalWork.objects.filter(run=run)
        .exclude(state=WorkState.DRAFT)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.active().select_related("reviewer").order_by("pk"),
                to_attr="live_reviews",
            )
        )
        .order_by("author__display_name", "pk")
    )
    return [WorkRow(work, work.live_reviews) for work in works]  # type: ignore[attr-defined]
