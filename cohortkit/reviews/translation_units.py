"""The reviews app's translation units: the peer-review step a learner reads.

Found by the translations app's registry (`cohortkit/translations/registry.py`); this
module is the only place the reviews app names it. Keys, per run with a review step:

- `reviews.<run-slug>.instructions.<n>`: the n-th paragraph of the instructions for the
  final work (split like topic bodies);
- `reviews.<run-slug>.criterion.<pk>.title` and `.description`: a rubric criterion;
- `reviews.<run-slug>.prompt.<pk>`: a written-feedback question.

Criteria and prompts are keyed by primary key, so reordering the rubric keeps every key.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from cohortkit.courses.models import Course
from cohortkit.reviews.models import Criterion, FeedbackPrompt, ReviewStep
from cohortkit.translations.registry import UnitSpec, markdown_specs

SAVED_WITH = {
    ReviewStep: "run__course",
    Criterion: "step__run__course",
    FeedbackPrompt: "step__run__course",
}


def instructions_key(step: ReviewStep) -> str:
    """The key prefix of the step's instructions (`translated_markdown` takes it)."""
    return f"reviews.{step.run.slug}.instructions"


def criterion_key(step: ReviewStep, criterion: Criterion, field: str) -> str:
    return f"reviews.{step.run.slug}.criterion.{criterion.pk}.{field}"


def prompt_key(step: ReviewStep, prompt: FeedbackPrompt) -> str:
    return f"reviews.{step.run.slug}.prompt.{prompt.pk}"


def units(course: Course) -> Iterator[UnitSpec]:
    steps = (
        ReviewStep.objects.filter(run__course=course)
        .select_related("run")
        .order_by("run__starts_on", "run__pk")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "pk")),
            Prefetch("prompts", queryset=FeedbackPrompt.objects.order_by("position", "pk")),
        )
    )
    for step in steps:
        where = f"Run {step.run.slug} > peer review"
        yield from markdown_specs(
            instructions_key(step), step.instructions, f"{where}: instructions for the final work"
        )
        for criterion in step.criteria.all():
            cwhere = f"{where} > criterion {criterion.position}"
            yield UnitSpec(
                criterion_key(step, criterion, "title"), criterion.title, "title", cwhere
            )
            yield UnitSpec(
                criterion_key(step, criterion, "description"),
                criterion.description,
                "text",
                f"{cwhere}: description",
            )
        for prompt in step.prompts.all():
            yield UnitSpec(
                prompt_key(step, prompt), prompt.text, "text", f"{where} > feedback question"
            )
