"""Factories for peer review: a step with a small rubric, final works, reviews."""

from datetime import UTC, datetime

import factory

from cohortkit.reviews.models import (
    Criterion,
    FeedbackPrompt,
    FinalWork,
    Review,
    ReviewState,
    ReviewStep,
    WorkState,
)
from tests.factories import RunFactory, UserFactory


class ReviewStepFactory(factory.django.DjangoModelFactory):
    """K = 3, work due 2021-03-22 23:59 UTC, reviews due a week later; no rules, no rubric."""

    class Meta:
        model = ReviewStep

    run = factory.SubFactory(RunFactory)
    reviews_per_work = 3
    submissions_close_at = datetime(2021, 3, 22, 23, 59, tzinfo=UTC)
    reviews_due_at = datetime(2021, 3, 29, 23, 59, tzinfo=UTC)
    is_anonymous = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    step = factory.SubFactory(ReviewStepFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    description = "What to look for."
    weight = 1
    scale_max = 5


class FeedbackPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackPrompt

    step = factory.SubFactory(ReviewStepFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}?")
    is_required = True


class FinalWorkFactory(factory.django.DjangoModelFactory):
    """A submitted work (submitted 2021-03-20 12:00 UTC) with a little text."""

    class Meta:
        model = FinalWork

    run = factory.SubFactory(RunFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Work {n}")
    text = "Our partnership plan."
    state = WorkState.SUBMITTED
    submitted_at = datetime(2021, 3, 20, 12, tzinfo=UTC)


class ReviewFactory(factory.django.DjangoModelFactory):
    """An open review assigned 2021-03-23 00:00 UTC."""

    class Meta:
        model = Review

    work = factory.SubFactory(FinalWorkFactory)
    run = factory.LazyAttribute(lambda o: o.work.run)
    reviewer = factory.SubFactory(UserFactory)
    state = ReviewState.ASSIGNED
    assigned_at = datetime(2021, 3, 23, tzinfo=UTC)
