"""A real SMTP server (aiosmtpd) receives the decision mail at the notification instant."""

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cohortkit.applications import services
from cohortkit.applications.models import ApplicationForm
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import send_message
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)  # type: ignore[attr-defined]
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(settings: object) -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()


def subject(raw: bytes) -> str:
    return str(make_header(decode_header(message_from_bytes(raw)["Subject"])))


def test_decision_mail_reaches_the_smtp_server_at_the_notification_instant(inbox: Inbox) -> None:
    run = RunFactory(capacity=1)
    ApplicationForm.objects.create(run=run)
    chosen = ApplicationFactory(run=run, applicant=UserFactory(interface_language="fr"))
    waiting = ApplicationFactory(run=run)
    for application, score in ((chosen, 5.0), (waiting, 3.0)):
        ApplicationReviewFactory(
            application=application, score=score, submitted_at=run.applications_close_at
        )
    closed = run.applications_close_at + timedelta(hours=1)
    with time_machine.travel(closed, tick=False):
        services.record_selection(run, by=UserFactory(), at=closed)
        services.prepare_decision_messages(run)
        services.release_decisions(run, at=closed)
        call_command("db_worker", batch=True, verbosity=0)
    assert inbox.messages == []
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.QUEUED}

    with time_machine.travel(run.notification_at + timedelta(seconds=5), tick=True):
        call_command("db_worker", batch=True, verbosity=0)
    received = {(rcpt[0], subject(raw)) for _sender, rcpt, raw in inbox.messages}
    assert received == {
        (
            chosen.applicant.email,
            OutboxMessage.objects.get(recipient=chosen.applicant.email).subject,
        ),
        (
            waiting.applicant.email,
            OutboxMessage.objects.get(recipient=waiting.applicant.email).subject,
        ),
    }
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.SENT}
    languages = {message_from_bytes(raw)["Content-Language"] for _s, _r, raw in inbox.messages}
    assert languages == {"fr", "en"}


def test_a_temporary_smtp_failure_is_retried_and_a_failure_shown_with_a_retry_button(
    inbox: Inbox, settings: object
) -> None:
    run = RunFactory()
    ApplicationForm.objects.create(run=run)
    coordinator = UserFactory(is_staff=True)
    message = OutboxMessage.objects.create(
        recipient="someone@example.org", subject="Hello", body="Body", kind="application-selected",
        run=run, send_at=run.notification_at, state=MailState.QUEUED,
    )  # fmt: skip
    settings.MAILERS["default"]["OPTIONS"]["port"] = free_port()  # type: ignore[attr-defined]  # nobody listens
    with time_machine.travel(run.notification_at, tick=False):
        assert send_message(message.pk) == MailState.QUEUED  # connection refused: temporary
    message.refresh_from_db()
    assert (message.attempts, message.send_at > run.notification_at) == (1, True)
    OutboxMessage.objects.filter(pk=message.pk).update(state=MailState.FAILED)

    client = Client()
    client.force_login(coordinator)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    page = client.get(reverse("applications:outbox", kwargs=kwargs)).content.decode()
    assert [w in page for w in ("Failed", "Retry", "ConnectionRefusedError")] == [True] * 3
    client.post(reverse("applications:retry", kwargs={**kwargs, "pk": message.pk}))
    assert OutboxMessage.objects.get(pk=message.pk).state == MailState.QUEUED
