"""Mail a person can turn off, and the List-Unsubscribe link that does it (RFC 2369, and
RFC 8058's one-click POST).

Only notices and reminders can be turned off; mail a person needs to act on (password
reset, address check, offers, decisions, feedback, certificates, a meeting moved) always
goes out and carries no List-Unsubscribe. The link holds a signed token (the person and
the kind), so it works without a session, from a mail program's own button.
"""

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohortkit.notifications.models import MailOptOut

# Kind of message → what the person turns off, as the confirmation page names it.
OPTIONAL_KINDS = {
    "scheduling-reminder": _("reminders before live sessions"),
    "learning-question": _("notices of new questions on the talk pages"),
    "learning-question-digest": _("the digest of unanswered questions"),
    "learning-reply": _("notices of replies on the talk pages"),
    "reviews-reminder": _("reminders to finish your peer reviews"),
}
_SALT = "cohortkit.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps([user_id, kind], salt=_SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """The (user id, kind) a token was made for; None if it was not made here (or names a
    kind that cannot be turned off). Tokens do not expire: old mail keeps its link."""
    try:
        user_id, kind = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in OPTIONAL_KINDS:
        return None
    return user_id, kind


def unsubscribe_headers(user_id: int | None, kind: str) -> dict[str, str]:
    """List-Unsubscribe and List-Unsubscribe-Post for a message of `kind` to a person, or
    none: for mail that cannot be turned off, mail to an address without an account, and
    a site not served over HTTPS (RFC 8058 requires an https address)."""
    if (
        user_id is None
        or kind not in OPTIONAL_KINDS
        or not settings.SITE_URL.startswith("https://")
    ):
        return {}
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)])
    return {
        "List-Unsubscribe": f"<{settings.SITE_URL.rstrip('/')}{path}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def turn_off(user_id: int, kind: str) -> bool:
    """Record that the person wants no more mail of `kind`; True if that is new. Doing it
    twice changes nothing (one-click may be posted more than once). Sends nothing; mail of
    that kind still in the outbox is not sent (the outbox checks when sending)."""
    try:
        with transaction.atomic():
            MailOptOut.objects.create(user_id=user_id, kind=kind)
    except IntegrityError:
        return False
    return True


def is_turned_off(user_id: int | None, kind: str) -> bool:
    return (
        user_id is not None
        and kind in OPTIONAL_KINDS
        and MailOptOut.objects.filter(user_id=user_id, kind=kind).exists()
    )
