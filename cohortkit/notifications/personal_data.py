"""What the outbox holds about a person: the mail sent (or to be sent) to them. (Typed with
Django's user base class: notifications depends on Django only.)

Erasing deletes it, whatever its state: it holds their address and what was said to them."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from cohortkit.notifications.models import MailOptOut, OutboxMessage

COVERS = frozenset({"notifications.OutboxMessage", "notifications.MailOptOut"})


def _theirs(person: AbstractBaseUser) -> Any:
    return OutboxMessage.objects.filter(
        Q(user=person) | Q(recipient__iexact=getattr(person, "email", ""))
    )


def export(person: AbstractBaseUser) -> dict[str, list[dict[str, Any]]]:
    return {
        "mail": [
            {
                "to": row.recipient,
                "subject": row.subject,
                "body": row.body,
                "kind": row.kind,
                "state": row.state,
                "sent_at": row.sent_at,
                "created_at": row.created_at,
            }
            for row in _theirs(person).order_by("created_at", "pk")
        ],
        "mail_turned_off": [
            {"kind": row.kind, "created_at": row.created_at}
            for row in MailOptOut.objects.filter(user_id=person.pk).order_by("created_at", "pk")
        ],
    }


def erase(person: AbstractBaseUser, *, at: datetime, keep_certificates: bool) -> None:
    _theirs(person).delete()
    MailOptOut.objects.filter(user_id=person.pk).delete()
