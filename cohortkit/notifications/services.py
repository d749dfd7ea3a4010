"""The outbox: render mail now, send it later, keep failures visible and retryable."""

import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cohortkit.notifications.models import MailState, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]


def render_mail(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str]:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language`."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body


def queue_mail(
    *,
    recipient: str,
    subject: str,
    body: str,
    kind: str,
    language: str = "en",
    send_at: datetime | None = None,
    user: Any = None,
    run: Any = None,
    key: str | None = None,
    draft: bool = False,
) -> OutboxMessage | None:
    """Store a message in the outbox and, after commit, enqueue the task that sends it.

    With a `key`, a second call for the same key stores nothing and returns None, so an
    event handled twice (a double click, a retried task) mails once.
    """
    send_at = send_at or timezone.now()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient,
                subject=subject,
                body=body,
                kind=kind,
                language=language,
                send_at=send_at,
                user=user,
                run=run,
                key=key,
                state=MailState.DRAFT if draft else MailState.QUEUED,
            )
    except IntegrityError:
        if key and OutboxMessage.objects.filter(key=key).exists():
            return None
        raise
    if not draft:
        schedule_message(message)
    return message


def schedule_message(message: OutboxMessage) -> None:
    """Enqueue the sending task for the message's send-at instant, once the row is committed."""
    from cohortkit.notifications.tasks import task_send_message

    message_id, send_at = message.pk, message.send_at

    def enqueue() -> None:
        task = task_send_message
        if send_at > timezone.now():
            task = task.using(run_after=send_at)
        task.enqueue(message_id)

    transaction.on_commit(enqueue)


def release_drafts(messages: Any, *, send_at: datetime | None = None) -> int:
    """Turn drafts into queued mail (optionally moving their send-at) and schedule them."""
    count = 0
    for message in messages.filter(state=MailState.DRAFT):
        message.state = MailState.QUEUED
        if send_at is not None:
            message.send_at = send_at
        message.save(update_fields=["state", "send_at"])
        schedule_message(message)
        count += 1
    return count


def retry_message(message: OutboxMessage) -> None:
    """Queue a failed message again, now."""
    message.state = MailState.QUEUED
    message.send_at = timezone.now()
    message.attempts = 0
    message.save(update_fields=["state", "send_at", "attempts"])
    schedule_message(message)


def _is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    # Connection trouble (refused, reset, timed out, server disconnected) and any other
    # smtplib error without a code: all OSError subclasses, worth another try later.
    return isinstance(error, OSError)


def send_message(message_id: int, *, at: datetime | None = None) -> MailState | None:
    """Send one queued message if it is due; claim it first so two workers never both send.

    A temporary failure (4xx, connection trouble) puts it back with a later send-at and
    enqueues a retry; after MAX_ATTEMPTS, or on a permanent failure, it stays failed.
    Returns the new state, or None when there was nothing to do.
    """
    at = at or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=MailState.QUEUED, send_at__lte=at
    ).update(state=MailState.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Content-Language": message.language, "X-Cohortkit-Kind": message.kind},
    )
    try:
        email.send()
    except Exception as error:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if _is_temporary(error) and message.attempts < MAX_ATTEMPTS:
            delay = RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)]
            message.state = MailState.QUEUED
            message.send_at = timezone.now() + delay
            message.save(update_fields=["state", "send_at", "last_error"])
            schedule_message(message)
        else:
            message.state = MailState.FAILED
            message.save(update_fields=["state", "last_error"])
        logger.warning("mail %s not sent: %s", message.pk, message.last_error)
        return MailState(message.state)
    message.state = MailState.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "last_error"])
    return MailState.SENT


def send_due_mail(*, at: datetime | None = None) -> int:
    """Send every queued message that is due; the sweep behind `cohortkit send-mail`."""
    at = at or timezone.now()
    ids = list(OutboxMessage.objects.due(at).values_list("pk", flat=True))
    return sum(1 for message_id in ids if send_message(message_id, at=at) == MailState.SENT)
