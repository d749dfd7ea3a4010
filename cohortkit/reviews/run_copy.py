"""The reviews app's part in copying a run (see courses/services.py): the peer-review
set-up, its rubric and feedback questions. Deadlines keep their distance from the run's
start at the same local time; allocations, works and reviews stay with their run."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from cohortkit.courses.models import Run
from cohortkit.reviews.models import Criterion, FeedbackPrompt, ReviewStep


def _moved(at: datetime, source: Run, target: Run) -> datetime:
    local = at.astimezone(source.zone)
    days = (local.date() - source.starts_on).days
    wall = datetime.combine(target.starts_on + timedelta(days=days), local.time())
    return wall.replace(tzinfo=target.zone)


def copy_run(source: Run, target: Run) -> Mapping[str, str]:
    step = ReviewStep.objects.filter(run=source).first()
    if step is None:
        return {}
    copied = ReviewStep.objects.create(
        run=target,
        reviews_per_work=step.reviews_per_work,
        submissions_close_at=_moved(step.submissions_close_at, source, target),
        reviews_due_at=_moved(step.reviews_due_at, source, target),
        is_anonymous=step.is_anonymous,
        not_same=step.not_same,
        spread=step.spread,
        include_non_submitters=step.include_non_submitters,
        instructions=step.instructions,
    )
    prefixes = {f"reviews.{source.slug}.instructions": f"reviews.{target.slug}.instructions"}
    for criterion in step.criteria.all():
        new = Criterion.objects.create(
            step=copied,
            position=criterion.position,
            title=criterion.title,
            description=criterion.description,
            weight=criterion.weight,
            scale_max=criterion.scale_max,
        )
        prefixes[f"reviews.{source.slug}.criterion.{criterion.pk}."] = (
            f"reviews.{target.slug}.criterion.{new.pk}."
        )
    for prompt in step.prompts.all():
        new_prompt = FeedbackPrompt.objects.create(
            step=copied, position=prompt.position, text=prompt.text, is_required=prompt.is_required
        )
        prefixes[f"reviews.{source.slug}.prompt.{prompt.pk}"] = (
            f"reviews.{target.slug}.prompt.{new_prompt.pk}"
        )
    return prefixes
