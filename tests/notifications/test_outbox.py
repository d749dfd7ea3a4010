from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import (
    queue_mail,
    release_drafts,
    retry_message,
    send_due_mail,
    send_message,
)
from tests.smtp import Inbox, smtp_mailers, smtp_server

pytestmark = pytest.mark.django_db

NOON = datetime(2021, 1, 18, 12, tzinfo=UTC)


@pytest.fixture
def smtp(settings: object) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.MAILERS = smtp_mailers(port)  # type: ignore[attr-defined]
        yield inbox


def _queue(**options: object) -> OutboxMessage:
    message = queue_mail(
        recipient="ines@example.org",
        subject="Selección: Partnership Building",
        body="Hola Inés,\n\nenhorabuena.",
        kind="decision",
        language="es",
        **options,  # type: ignore[arg-type]
    )
    assert message is not None
    return message


def test_a_queued_message_reaches_a_real_smtp_server_in_its_language(smtp: Inbox) -> None:
    message = _queue()
    assert send_message(message.pk) == MailState.SENT
    [received] = smtp.messages
    assert received["To"] == "ines@example.org"
    assert received["Content-Language"] == "es"
    assert received.get_payload(decode=True).decode("utf-8").startswith("Hola Inés")
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (MailState.SENT, 1, "")


def test_mail_is_not_sent_before_its_instant_and_is_sent_at_it(smtp: Inbox) -> None:
    with time_machine.travel(NOON - timedelta(days=4), tick=False):
        message = _queue(send_at=NOON)
        assert send_due_mail() == 0
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert send_due_mail() == 0
    with time_machine.travel(NOON, tick=False):
        assert send_due_mail() == 1
    message.refresh_from_db()
    assert (message.state, message.sent_at) == (MailState.SENT, NOON)
    assert len(smtp.messages) == 1


def test_a_temporary_smtp_refusal_is_retried_later_then_succeeds(smtp: Inbox) -> None:
    smtp.answer = "451 Try again later"
    with time_machine.travel(NOON, tick=False):
        message = _queue()
        assert send_message(message.pk) == MailState.QUEUED
    message.refresh_from_db()
    assert (message.state, message.attempts, message.send_at) == (
        MailState.QUEUED,
        1,
        NOON + timedelta(minutes=1),
    )
    assert "451" in message.last_error
    smtp.answer = None
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert send_due_mail() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MailState.SENT, 2)


def test_a_permanent_refusal_leaves_the_message_failed_and_retryable(smtp: Inbox) -> None:
    smtp.answer = "550 No such user"
    message = _queue()
    assert send_message(message.pk) == MailState.FAILED
    message.refresh_from_db()
    assert message.state == MailState.FAILED
    assert "550" in message.last_error
    smtp.answer = None
    retry_message(message)
    assert send_due_mail() == 1
    assert len(smtp.messages) == 1


def test_an_unreachable_server_is_a_temporary_failure(settings: object) -> None:
    settings.MAILERS = smtp_mailers(1)  # type: ignore[attr-defined] # nothing listens on port 1
    message = _queue()
    assert send_message(message.pk) == MailState.QUEUED
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.last_error


def test_a_keyed_event_mails_once(smtp: Inbox) -> None:
    first = _queue(key="decision:run-1:person-7")
    second = queue_mail(
        recipient="ines@example.org",
        subject="again",
        body="again",
        kind="decision",
        key="decision:run-1:person-7",
    )
    assert second is None
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_message_is_sent_once_even_when_two_workers_try(smtp: Inbox) -> None:
    message = _queue()
    assert send_message(message.pk) == MailState.SENT
    assert send_message(message.pk) is None
    assert len(smtp.messages) == 1


def test_drafts_wait_until_released(smtp: Inbox) -> None:
    draft = _queue(draft=True)
    assert send_due_mail() == 0
    assert release_drafts(OutboxMessage.objects.all()) == 1
    assert send_due_mail() == 1
    draft.refresh_from_db()
    assert draft.state == MailState.SENT


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_task_worker_sends_queued_mail(smtp: Inbox) -> None:
    _queue()  # autocommit: the task is enqueued at once
    call_command("db_worker", batch=True, queue_name="default", verbosity=0)
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]
    assert OutboxMessage.objects.get().state == MailState.SENT


def test_send_mail_command_sweeps_due_mail(smtp: Inbox, capsys: pytest.CaptureFixture[str]) -> None:
    _queue()
    call_command("send_mail")
    assert capsys.readouterr().out == "1 message(s) sent.\n"
    assert len(smtp.messages) == 1
