"""Peer-review tasks: thin functions taking ids."""

from django.tasks import task
from django.utils import timezone

from cohortkit.reviews.allocation import AllocationInfeasible
from cohortkit.reviews.models import ReviewStep
from cohortkit.reviews.services import ReviewError, allocate_reviews, notify_reviewers


@task()
def task_allocate_reviews(step_id: int) -> str:
    """At the submission deadline: allocate under the configured rules if they hold.

    When they do not, nothing is saved and the coordinator's allocation page shows why.
    """
    step = ReviewStep.objects.select_related("run__course").filter(pk=step_id).first()
    now = timezone.now()
    if step is None or step.is_allocated or now < step.submissions_close_at:
        return "nothing to do"
    try:
        outcome = allocate_reviews(step, at=now)
    except (AllocationInfeasible, ReviewError) as error:
        return f"not allocated: {error}"
    return f"allocated {outcome.reviews} reviews"


@task()
def task_notify_reviewers(step_id: int, review_ids: list[int] | None) -> int:
    step = ReviewStep.objects.select_related("run__course").get(pk=step_id)
    return notify_reviewers(step, review_ids=review_ids, at=timezone.now())
