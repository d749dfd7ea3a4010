"""The outbox: render mail now, send it later, keep failures visible and retryable."""

import logging
import smtplib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from itertools import groupby
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.unsubscribe import is_turned_off, unsubscribe_headers

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
    event handled twice (a double click, a retried task) mails once. One message of
    `queue_mails`, which keeps these promises for many.
    """
    created = queue_mails(
        [
            Mail(
                recipient=recipient,
                subject=subject,
                body=body,
                kind=kind,
                language=language,
                send_at=send_at,
                user=user,
                run=run,
                key=key,
                draft=draft,
            )
        ]
    )
    return created[0] if created else None


@dataclass(frozen=True, kw_only=True)
class Mail:
    """One message for `queue_mails`, with the options of `queue_mail`.

    Give `subject` and `body` already rendered, or a `template` and its `context` to have
    them rendered by `render_mail` in `language` (inside `zone`, when given, so instants
    show in the person's local time).
    """

    recipient: str
    kind: str
    language: str = "en"
    subject: str = ""
    body: str = ""
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    zone: str | None = None
    send_at: datetime | None = None
    user: Any = None
    run: Any = None
    key: str | None = None
    draft: bool = False

    def rendered(self) -> tuple[str, str]:
        if self.template is None:
            return self.subject, self.body
        if self.zone is None:
            return render_mail(self.template, dict(self.context), language=self.language)
        with timezone.override(self.zone):
            return render_mail(self.template, dict(self.context), language=self.language)


# Keys and ids looked up per query, well below every backend's limit on parameters.
LOOKUP_BATCH = 2000
# Message ids per sending task: a big mailing is shared by several workers, and no task
# carries an unbounded list.
SEND_BATCH = 500
# A concurrent call can take keys between our look-up and our insert (each retry drops the
# keys it took) or deadlock with ours; this bound is only reached when something else is wrong.
INSERT_ATTEMPTS = 10


def queue_mails(mails: Iterable[Mail]) -> list[OutboxMessage]:
    """Store many messages in the outbox at once and, after commit, enqueue their sending.

    The bulk form of `queue_mail`, with the same promises: a message whose key is already in
    the outbox (or earlier in `mails`) stores nothing, also when another process queues the
    same key at the same moment (the key's unique constraint decides); drafts wait for
    `release_drafts`; queued mail is sent at its send-at (now when not given). Only new
    messages are rendered. One insert in one transaction (a savepoint inside the caller's)
    and a constant number of queries, whatever the number of messages (up to
    `LOOKUP_BATCH`); after commit, one sending task per send-at instant (per `SEND_BATCH`
    messages), not one per message. Returns the stored messages, in the order given.
    """
    now = timezone.now()
    seen: set[str] = set()
    unique = []
    for mail in mails:
        if mail.key is not None:
            if mail.key in seen:
                continue
            seen.add(mail.key)
        unique.append(mail)
    if not unique:
        return []
    # Looked up and rendered before the write transaction: on SQLite that takes the write
    # lock at once, and rendering thousands of messages would hold it. A key taken in
    # between is caught by the unique constraint below.
    taken = _taken_keys(seen)
    rows = [
        (position, mail, *mail.rendered())
        for position, mail in enumerate(unique)
        if mail.key is None or mail.key not in taken
    ]
    attempts = 0
    while True:
        try:
            with transaction.atomic():
                created = OutboxMessage.objects.bulk_create(
                    _outbox_row(mail, subject, body, now=now) for _, mail, subject, body in rows
                )
                schedule_messages(m for m in created if m.state == MailState.QUEUED)
            break
        except (IntegrityError, OperationalError) as error:
            attempts += 1
            if attempts == INSERT_ATTEMPTS:
                raise
            if isinstance(error, OperationalError):
                if not _is_deadlock(error):
                    raise
                # Two calls inserting the same keys in different orders waited for each
                # other; in key order, they queue up behind each other instead.
                rows.sort(key=lambda row: row[1].key or "")
                continue
            # Another process stored some of these keys since the look-up: drop those and
            # try again; an error that no stored key explains is not ours to hide.
            taken = _taken_keys({row[1].key for row in rows if row[1].key is not None})
            if not taken:
                raise
            rows = [row for row in rows if row[1].key not in taken]
    positions = [row[0] for row in rows]
    return [
        message for _, message in sorted(zip(positions, created, strict=True), key=itemgetter(0))
    ]


def _is_deadlock(error: OperationalError) -> bool:
    # PostgreSQL fails one of two inserts that wait for each other's keys (given in different
    # orders); SQLite has one writer at a time and never deadlocks.
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def _outbox_row(mail: Mail, subject: str, body: str, *, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        recipient=mail.recipient,
        subject=subject,
        body=body,
        kind=mail.kind,
        language=mail.language,
        send_at=mail.send_at or now,
        user=mail.user,
        run=mail.run,
        key=mail.key,
        state=MailState.DRAFT if mail.draft else MailState.QUEUED,
    )


def _taken_keys(keys: Iterable[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(sorted(keys), LOOKUP_BATCH):
        found = OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True)
        taken.update(key for key in found if key is not None)
    return taken


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def schedule_messages(messages: Iterable[OutboxMessage]) -> None:
    """Enqueue one sending task per send-at instant (and per `SEND_BATCH` messages) after
    commit: the wake-up of a bulk queueing, where `schedule_message` is one message's."""
    from cohortkit.notifications.tasks import task_send_messages  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

    ordered = sorted(((m.send_at, m.pk) for m in messages), key=lambda pair: pair[0])
    batches = [
        (send_at, list(chunk))
        for send_at, group in groupby(ordered, key=lambda pair: pair[0])
        for chunk in _chunks([pk for _, pk in group], SEND_BATCH)
    ]
    if not batches:
        return

    def enqueue() -> None:
        now = timezone.now()
        for send_at, ids in batches:
            task = task_send_messages
            if send_at > now:
                task = task.using(run_after=send_at)
            task.enqueue(ids)

    transaction.on_commit(enqueue)


def schedule_message(message: OutboxMessage) -> None:
    """Enqueue the sending task for the message's send-at instant, once the row is committed."""
    from cohortkit.notifications.tasks import task_send_message  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

    message_id, send_at = message.pk, message.send_at

    def enqueue() -> None:
        task = task_send_message
        if send_at > timezone.now():
            task = task.using(run_after=send_at)
        task.enqueue(message_id)

    transaction.on_commit(enqueue)


def release_drafts(messages: Any, *, send_at: datetime | None = None) -> int:
    """Turn drafts into queued mail (optionally moving their send-at) and schedule them.

    One update per `LOOKUP_BATCH` drafts and one sending task per send-at instant (see
    `schedule_messages`). The drafts are locked first, so two releases at once queue each
    draft once (on SQLite the write transaction serialises them). Returns how many.
    """
    changes: dict[str, Any] = {"state": MailState.QUEUED}
    if send_at is not None:
        changes["send_at"] = send_at
    with transaction.atomic():
        drafts = list(
            messages.filter(state=MailState.DRAFT)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "send_at")
        )
        for chunk in _chunks([pk for pk, _ in drafts], LOOKUP_BATCH):
            OutboxMessage.objects.filter(pk__in=chunk).update(**changes)
        schedule_messages(
            OutboxMessage(pk=pk, send_at=send_at or draft_send_at) for pk, draft_send_at in drafts
        )
    return len(drafts)


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
    A message the recipient turned off (`unsubscribe.turn_off`) is not sent: turned-off.
    Returns the new state, or None when there was nothing to do.
    """
    at = at or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=MailState.QUEUED, send_at__lte=at
    ).update(state=MailState.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    if is_turned_off(message.user_id, message.kind):
        message.state = MailState.TURNED_OFF
        message.save(update_fields=["state"])
        return MailState.TURNED_OFF
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={
            "Content-Language": message.language,
            "X-Cohortkit-Kind": message.kind,
            # RFC 3834: written by the program, so vacation responders do not answer it.
            "Auto-Submitted": "auto-generated",
            # The site's own domain (SITE_URL), not the sending machine's name.
            "Message-ID": make_msgid(
                f"outbox-{message.pk}", urlsplit(settings.SITE_URL).hostname or "cohortkit"
            ),
            # Notices and reminders only: a link (and RFC 8058 one-click) to turn them off.
            **unsubscribe_headers(message.user_id, message.kind),
        },
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


def send_messages(message_ids: Iterable[int], *, at: datetime | None = None) -> int:
    """Send each listed message that is due, as `send_message` does; returns how many were
    sent. One that breaks (a lost database connection, say) is logged and does not hold
    back the rest: each message is its own unit, as when every one had its own task."""
    sent = 0
    for message_id in message_ids:
        try:
            sent += send_message(message_id, at=at) == MailState.SENT
        except Exception:
            logger.exception("mail %s could not be sent", message_id)
    return sent


def send_due_mail(*, at: datetime | None = None) -> int:
    """Send every queued message that is due; the sweep behind `cohortkit send-mail`."""
    at = at or timezone.now()
    ids = list(OutboxMessage.objects.due(at).values_list("pk", flat=True))
    return sum(1 for message_id in ids if send_message(message_id, at=at) == MailState.SENT)
