"""Factories for the outbox: a queued message unless told otherwise."""

from datetime import UTC, datetime

import factory

from cohortkit.notifications.models import MailState, OutboxMessage
from tests.factories import UserFactory


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    user = factory.SubFactory(UserFactory)
    recipient = factory.LazyAttribute(lambda o: o.user.email)
    subject = "About your application"
    body = "Hello."
    kind = "decision"
    state = MailState.QUEUED
    send_at = datetime(2021, 1, 18, 12, tzinfo=UTC)
