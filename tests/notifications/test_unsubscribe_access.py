"""List-Unsubscribe (RFC 2369) with one-click (RFC 8058) on mail a person can turn off:
delivered through a real SMTP server (aiosmtpd), parsed with the email package's strict
policy, and the link followed the way a mail program's unsubscribe button does (a POST
with no session, no cookie, no CSRF token)."""

import email
import re
from collections.abc import Iterator
from email import policy
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.notifications.models import MailOptOut, MailState, OutboxMessage
from cohortkit.notifications.services import queue_mail, send_message
from cohortkit.notifications.unsubscribe import OPTIONAL_KINDS, read_token, unsubscribe_token
from tests.access import snapshot, view_names
from tests.factories import UserFactory
from tests.smtp import Inbox, smtp_mailers, smtp_server

pytestmark = pytest.mark.django_db

URL_NAMES = {"notifications:unsubscribe"}


@pytest.fixture
def smtp(settings: object) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.MAILERS = smtp_mailers(port)  # type: ignore[attr-defined]
        settings.SITE_URL = "https://courses.example.org"  # type: ignore[attr-defined]
        yield inbox


def _sent(inbox: Inbox, person: object, kind: str) -> email.message.EmailMessage:
    message = queue_mail(
        recipient=person.email,  # type: ignore[attr-defined]
        subject="Reminder",
        body="Tomorrow",
        kind=kind,
        user=person,
    )
    assert message is not None
    assert send_message(message.pk) == MailState.SENT
    parsed = email.message_from_bytes(inbox.messages[-1].as_bytes(), policy=policy.strict)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def _link(parsed: email.message.EmailMessage) -> str:
    header = str(parsed["List-Unsubscribe"])
    match = re.fullmatch(r"<(https://courses\.example\.org/[^>]+)>", header)
    assert match, header
    return urlsplit(match.group(1)).path


def test_a_reminder_carries_an_https_unsubscribe_link_and_one_click(smtp: Inbox) -> None:
    person = UserFactory()

    parsed = _sent(smtp, person, "scheduling-reminder")

    path = _link(parsed)
    assert path.startswith("/mail/unsubscribe/")
    assert read_token(path.split("/")[-2]) == (person.pk, "scheduling-reminder")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    "kind", ["password-reset", "verify-email", "application-offer", "scheduling-change"]
)
def test_mail_a_person_must_act_on_has_no_unsubscribe(smtp: Inbox, kind: str) -> None:
    parsed = _sent(smtp, UserFactory(), kind)

    assert (parsed["List-Unsubscribe"], parsed["List-Unsubscribe-Post"]) == (None, None)


def test_one_click_post_without_session_or_csrf_turns_the_kind_off_once(smtp: Inbox) -> None:
    person = UserFactory()
    path = _link(_sent(smtp, person, "learning-reply"))
    # As a mail program posts it (RFC 8058): no cookie, the body it prescribes.
    client = Client(enforce_csrf_checks=True)

    first = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    again = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert "you will no longer receive notices of replies" in first.content.decode()
    assert list(MailOptOut.objects.values_list("user_id", "kind")) == [
        (person.pk, "learning-reply")
    ]


def test_get_asks_first_and_changes_nothing(smtp: Inbox) -> None:
    person = UserFactory()
    path = _link(_sent(smtp, person, "reviews-reminder"))
    before = snapshot(MailOptOut, OutboxMessage)

    response = Client().get(path)

    page = response.content.decode()
    assert (
        response.status_code,
        "Stop receiving reminders to finish your peer reviews?" in page,
    ) == (200, True)
    assert '<form method="post">' in page
    assert snapshot(MailOptOut, OutboxMessage) == before


def test_the_outbox_does_not_send_a_kind_the_person_turned_off(smtp: Inbox) -> None:
    person = UserFactory()
    other = UserFactory()
    Client().post(
        reverse(
            "notifications:unsubscribe", args=[unsubscribe_token(person.pk, "learning-question")]
        )
    )
    queued = [
        queue_mail(recipient=p.email, subject="Q", body="?", kind=kind, user=p)
        for p, kind in [
            (person, "learning-question"),
            (person, "learning-reply"),
            (other, "learning-question"),
        ]
    ]

    states = [send_message(m.pk) for m in queued if m is not None]

    assert states == [MailState.TURNED_OFF, MailState.SENT, MailState.SENT]
    assert OutboxMessage.objects.get(pk=queued[0].pk).state == MailState.TURNED_OFF  # type: ignore[union-attr]
    assert len(smtp.messages) == 2


@pytest.mark.parametrize("forgery", ["nonsense", "kind that cannot be turned off", "altered"])
def test_a_forged_or_altered_token_is_not_found_and_changes_nothing(forgery: str) -> None:
    UserFactory(pk=1)
    token = {
        "nonsense": "nonsense",
        "kind that cannot be turned off": unsubscribe_token(1, "password-reset"),
        "altered": unsubscribe_token(1, "scheduling-reminder")[:-2] + "xx",
    }[forgery]

    answers = [
        Client().get(reverse("notifications:unsubscribe", args=[token])).status_code,
        Client().post(reverse("notifications:unsubscribe", args=[token])).status_code,
    ]

    assert (answers, MailOptOut.objects.count()) == ([404, 404], 0)


def test_every_role_gets_the_same_page_the_link_is_the_proof(cast: object) -> None:
    token = unsubscribe_token(cast.participant.pk, "scheduling-reminder")  # type: ignore[attr-defined]
    url = reverse("notifications:unsubscribe", args=[token])

    answers = {
        role: cast.client_for(role).get(url).status_code
        for role in [
            "anonymous",
            "participant",
            "other_participant",
            "reviewer",
            "facilitator",
            "coordinator",
        ]
    }  # type: ignore[attr-defined]

    assert view_names([url]) == URL_NAMES
    assert answers == dict.fromkeys(answers, 200)
    assert MailOptOut.objects.count() == 0


def test_no_header_without_https_or_without_an_account(settings: object) -> None:
    with smtp_server() as (inbox, port):
        settings.MAILERS = smtp_mailers(port)  # type: ignore[attr-defined]
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        plain = _sent(inbox, UserFactory(), "scheduling-reminder")
        settings.SITE_URL = "https://courses.example.org"  # type: ignore[attr-defined]
        message = queue_mail(
            recipient="x@example.org", subject="s", body="b", kind="scheduling-reminder"
        )
        send_message(message.pk)  # type: ignore[union-attr]
        nobody = email.message_from_bytes(inbox.messages[-1].as_bytes(), policy=policy.strict)

    assert (plain["List-Unsubscribe"], nobody["List-Unsubscribe"]) == (None, None)
    assert set(OPTIONAL_KINDS) == {
        "scheduling-reminder", "learning-question", "learning-question-digest",
        "learning-reply", "reviews-reminder",
    }  # fmt: skip
