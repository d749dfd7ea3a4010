"""Factories for the learning app."""

from datetime import UTC, datetime

import factory

from cohortkit.learning.models import Assignment, Attachment, Certificate, Reply, Submission, Thread
from tests.factories import RunFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


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


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = "Like this."
    created_at = datetime(2021, 2, 4, tzinfo=UTC)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small PNG stored under MEDIA_ROOT (point it at a temporary directory)."""

    class Meta:
        model = Attachment

    run = factory.SubFactory(RunFactory)
    file = factory.django.FileField(data=PNG, filename="photo.png")
    original_name = "photo.png"
    content_type = "image/png"
    size = len(PNG)


class CertificateFactory(factory.django.DjangoModelFactory):
    """Issued, not revoked."""

    class Meta:
        model = Certificate

    run = factory.SubFactory(RunFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.display_name)
    issued_at = datetime(2021, 3, 29, 12, tzinfo=UTC)
