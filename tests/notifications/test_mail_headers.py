"""Headers every mail client and filter reads, on mail delivered through a real SMTP
server (aiosmtpd) and parsed with Python's email package in strict mode."""

import email
from collections.abc import Iterator
from email import policy

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import queue_mail, send_message
from tests.factories import UserFactory
from tests.smtp import Inbox, smtp_mailers, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings: object) -> Iterator[Inbox]:
    with smtp_server() as (inbox, port):
        settings.MAILERS = smtp_mailers(port)  # type: ignore[attr-defined]
        settings.SITE_URL = "https://courses.example.org"  # type: ignore[attr-defined]
        yield inbox


def _strict(inbox: Inbox) -> email.message.EmailMessage:
    [received] = inbox.messages
    parsed = email.message_from_bytes(received.as_bytes(), policy=policy.strict)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_automatic_mail_says_so_and_has_a_message_id_of_the_sites_domain(smtp: Inbox) -> None:
    message = queue_mail(
        recipient="ines@example.org",
        subject="Hola",
        body="Hola Inés",
        kind="decision",
        language="es",
    )
    assert message is not None

    assert send_message(message.pk) == MailState.SENT

    parsed = _strict(smtp)
    assert (parsed["Auto-Submitted"], parsed["Content-Language"]) == ("auto-generated", "es")
    assert parsed["Message-ID"].strip().endswith(f".outbox-{message.pk}@courses.example.org>")


def test_password_reset_mail_follows_the_profile_language_not_the_browsers(smtp: Inbox) -> None:
    person = UserFactory(email="ada@example.org", interface_language="fr")

    Client(headers={"accept-language": "es"}).post(
        reverse("accounts:password_reset"), {"email": person.email}
    )
    stored = OutboxMessage.objects.get(kind="password-reset")
    send_message(stored.pk)

    parsed = _strict(smtp)
    assert (stored.language, parsed["Content-Language"]) == ("fr", "fr")
    assert parsed["Auto-Submitted"] == "auto-generated"
