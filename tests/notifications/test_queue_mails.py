"""queue_mails: many messages at once, with every promise of queue_mail."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from cohortkit.accounts.models import User
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import (
    Mail,
    queue_mail,
    queue_mails,
    release_drafts,
    render_mail,
)
from tests.factories import RunFactory, UserFactory
from tests.notifications.mail_race import race
from tests.smtp import Inbox, smtp_mailers, smtp_server
from tests.sqlite_file import run_on_sqlite_file

pytestmark = pytest.mark.django_db

NOON = datetime(2021, 1, 18, 12, tzinfo=UTC)
TEMPLATES = {
    "outbox/notice_subject.txt": (
        '{% load i18n %}{% translate "Confirm your e-mail address for cohortkit" %}'
    ),
    "outbox/notice_body.txt": (
        "{% load i18n %}{% blocktranslate with name=person.display_name %}Hello {{ name }},"
        "{% endblocktranslate %}\n{{ at }}\n"
    ),
}
PEOPLE = [
    ("en", "UTC"),
    ("es", "America/Santiago"),
    ("fr", "Asia/Kolkata"),
    ("ar", "Asia/Kathmandu"),
]


@pytest.fixture
def notice_templates(settings: Any) -> None:
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.MAILERS = smtp_mailers(port)
        yield inbox


def people() -> list[User]:
    return [UserFactory(interface_language=lang, timezone=zone) for lang, zone in PEOPLE]


def specs(persons: list[User], *, prefix: str = "notice") -> list[Mail]:
    """For each person: a mail to render in their language and zone, one rendered already,
    a draft for later and one without a key."""
    run = RunFactory()
    mails = []
    for person in persons:
        language = person.interface_language
        mails += [
            Mail(
                recipient=person.email, kind="notice", language=language,
                template="outbox/notice", context={"person": person, "at": NOON},
                zone=person.timezone, user=person, run=run, key=f"{prefix}:{person.pk}",
            ),
            Mail(
                recipient=person.email, kind="note", language=language,
                subject=f"Note for {person.display_name}", body="Rendered already.",
                send_at=NOON + timedelta(days=2), user=person, key=f"{prefix}-note:{person.pk}",
            ),
            Mail(
                recipient=person.email, kind="decision", language=language,
                subject="Draft", body="Editable.", send_at=NOON + timedelta(days=3), run=run,
                key=f"{prefix}-draft:{person.pk}", draft=True,
            ),
            Mail(recipient=person.email, kind="unkeyed", language=language,
                 subject="No key", body="."),
        ]  # fmt: skip
    return mails


def one_at_a_time(mails: list[Mail]) -> None:
    """What callers did before queue_mails: render_mail in the person's zone, queue_mail."""
    for mail in mails:
        subject, body = mail.subject, mail.body
        if mail.template:
            with timezone.override(mail.zone or "UTC"):
                subject, body = render_mail(
                    mail.template, dict(mail.context), language=mail.language
                )
        queue_mail(
            recipient=mail.recipient, subject=subject, body=body, kind=mail.kind,
            language=mail.language, send_at=mail.send_at, user=mail.user, run=mail.run,
            key=mail.key, draft=mail.draft,
        )  # fmt: skip


def outbox(messages: Any = None) -> list[tuple[object, ...]]:
    rows = OutboxMessage.objects.order_by("pk") if messages is None else messages
    return [
        (m.recipient, m.user_id, m.run_id, m.language, m.subject, m.body, m.kind, m.key,
         m.state, m.send_at, m.attempts)
        for m in rows
    ]  # fmt: skip


@time_machine.travel(NOON, tick=False)
def test_queue_mails_stores_what_queue_mail_stores(notice_templates: None) -> None:
    mails = specs(people())
    one_at_a_time(mails)
    expected = outbox()
    OutboxMessage.objects.all().delete()
    returned = queue_mails(mails)
    assert outbox() == expected
    assert outbox(returned) == expected
    spanish = OutboxMessage.objects.get(kind="notice", language="es")
    with translation.override("es"):
        assert spanish.subject == translation.gettext("Confirm your e-mail address for cohortkit")
    assert spanish.subject != "Confirm your e-mail address for cohortkit"
    assert spanish.body.endswith("18 de enero de 2021 a las 09:00\n")  # noon UTC in Santiago


@time_machine.travel(NOON, tick=False)
def test_queue_mails_twice_stores_each_keyed_message_once(notice_templates: None) -> None:
    mails = [mail for mail in specs(people()) if mail.key]
    first = queue_mails(mails)
    stored = outbox()
    assert (len(first), len(stored)) == (12, 12)
    assert queue_mails(mails) == []
    assert outbox() == stored


@time_machine.travel(NOON, tick=False)
def test_a_key_queued_by_queue_mail_or_earlier_in_the_call_is_not_queued_again() -> None:
    queue_mail(recipient="ines@example.org", subject="First", body=".", kind="k", key="k:1")
    created = queue_mails(
        [
            Mail(recipient="ines@example.org", subject="Again", body=".", kind="k", key="k:1"),
            Mail(recipient="ada@example.org", subject="New", body=".", kind="k", key="k:2"),
            Mail(recipient="ada@example.org", subject="Twice", body=".", kind="k", key="k:2"),
        ]
    )
    assert [m.subject for m in created] == ["New"]
    assert list(OutboxMessage.objects.values_list("key", "subject")) == [
        ("k:1", "First"),
        ("k:2", "New"),
    ]


def queue_and_count(
    capture: Any, count: int, *, prefix: str, send_at: datetime
) -> tuple[int, list[tuple[int, datetime]]]:
    """Queries to queue a notice and a later reminder for `count` people, and the tasks."""
    persons = UserFactory.create_batch(count, interface_language="fr")
    mails = [
        Mail(
            recipient=person.email, kind=kind, language="fr", template="outbox/notice",
            context={"person": person, "at": NOON}, zone="Europe/Paris", user=person,
            key=f"{prefix}-{kind}:{person.pk}", send_at=at,
        )
        for person in persons
        for kind, at in [("notice", None), ("reminder", send_at)]
    ]  # fmt: skip
    DBTaskResult.objects.all().delete()
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        assert len(queue_mails(mails)) == 2 * count
    tasks = sorted(
        (len(task.args_kwargs["args"][0]), task.run_after)
        for task in DBTaskResult.objects.filter(task_path__endswith=".task_send_messages")
    )
    return len(queries), tasks


@time_machine.travel(NOON, tick=False)
def test_queue_mails_makes_the_same_queries_and_tasks_for_one_or_many_people(
    notice_templates: None, django_capture_on_commit_callbacks: Any
) -> None:
    later = NOON + timedelta(days=5)
    one, one_tasks = queue_and_count(
        django_capture_on_commit_callbacks, 1, prefix="a", send_at=later
    )
    many, many_tasks = queue_and_count(
        django_capture_on_commit_callbacks, 60, prefix="b", send_at=later
    )
    # Look up the keys, a savepoint around one insert, then one task per send-at instant.
    assert (one, many) == (6, 6)
    assert [at for _, at in one_tasks] == [at for _, at in many_tasks]
    assert ([n for n, _ in one_tasks], [n for n, _ in many_tasks]) == ([1, 1], [60, 60])
    assert later in [at for _, at in many_tasks]


@time_machine.travel(NOON, tick=False)
def test_releasing_drafts_makes_the_same_queries_for_one_or_many(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def release(count: int, kind: str) -> int:
        queue_mails(
            Mail(recipient=f"p{i}@example.org", subject=".", body=".", kind=kind, draft=True)
            for i in range(count)
        )
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert release_drafts(OutboxMessage.objects.filter(kind=kind), send_at=NOON) == count
        return len(queries)

    assert release(1, "one") == release(40, "many")
    assert set(OutboxMessage.objects.values_list("state", "send_at")) == {(MailState.QUEUED, NOON)}


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_task_worker_sends_a_bulk_queueing_in_each_language(
    smtp: Inbox, notice_templates: None
) -> None:
    persons = people()
    queue_mails(  # autocommit: the tasks are enqueued at once
        Mail(
            recipient=p.email, kind="notice", language=p.interface_language,
            template="outbox/notice", context={"person": p, "at": NOON}, zone=p.timezone,
        )
        for p in persons
    )  # fmt: skip
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, queue_name="default", verbosity=0)
    assert sorted((m["To"], m["Content-Language"]) for m in smtp.messages) == sorted(
        (p.email, p.interface_language) for p in persons
    )
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {MailState.SENT}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bulk_queueings_store_each_key_once() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "threads need a database that serialises writers across connections: the "
            "in-memory SQLite test database locks whole tables; the SQLite file database "
            "has its own test below"
        )
    assert race(workers=8, keys=400) == {"returned": 400, "rows": 400, "keys": 400}


SCRIPT = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.notifications.mail_race import race
print(json.dumps(race(workers=8, keys=400)))
"""


def test_simultaneous_bulk_queueings_on_a_sqlite_file_database(tmp_path: Path) -> None:
    """The same race on a SQLite file (IMMEDIATE transactions, WAL), in a fresh process."""
    assert run_on_sqlite_file(SCRIPT, tmp_path) == {
        "returned": 400,
        "rows": 400,
        "keys": 400,
    }
