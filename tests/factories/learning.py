"""Factories for the learning app."""

from datetime import UTC, datetime

import factory

from cohortkit.learning.models import Assignment, Submission, Thread
from tests.factories import RunFactory, UserFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    run = factory.SubFactory(RunFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    instructions = "Write *something*."
    due_at = datetime(2021, 2, 14, 23, 59, tzinfo=UTC)
    accepts_late = True
    is_required = True


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    assignment = factory.SubFactory(AssignmentFactory)
    participant = factory.SubFactory(UserFactory)
    text = "My work."
    status = "submitted"
    submitted_at = datetime(2021, 2, 10, tzinfo=UTC)


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    run = factory.SubFactory(RunFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Question {n}")
    body = "How?"
    created_at = datetime(2021, 2, 3, tzinfo=UTC)
    last_activity_at = datetime(2021, 2, 3, tzinfo=UTC)
