"""What happens to a person's account: sign-up, e-mail verification."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.accounts.tokens import make_verification_token
from cohortkit.notifications.services import queue_mail, render_mail


def send_verification_mail(user: User, *, language: str) -> None:
    """Queue a mail with a signed link that confirms the person's e-mail address."""
    link = settings.SITE_URL + reverse(
        "accounts:verify", kwargs={"token": make_verification_token(user)}
    )
    subject, body = render_mail(
        "accounts/mail/verify", {"user": user, "link": link}, language=language
    )
    queue_mail(
        recipient=user.email,
        subject=subject,
        body=body,
        kind="verify-email",
        language=language,
        user=user,
    )


def sign_up(user: User, *, language: str) -> User:
    """Save the new, unverified person and queue the verification mail after commit."""
    with transaction.atomic():
        user.interface_language = user.interface_language or language
        user.save()
        send_verification_mail(user, language=language)
    return user


def verify_email(user: User, *, at: datetime) -> bool:
    """Mark the address verified; returns False when it already was."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = at
    user.save(update_fields=["email_verified_at"])
    return True
