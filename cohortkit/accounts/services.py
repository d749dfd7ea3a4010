"""What happens to a person's account: sign-up, e-mail verification, their own data."""

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.http import urlencode

from cohortkit.accounts import privacy
from cohortkit.accounts.models import PrivacyRequest, PrivacyRequestKind, User
from cohortkit.accounts.tokens import make_verification_token
from cohortkit.notifications.services import queue_mail, render_mail


def _with_next(address: str, next_url: str) -> str:
    return f"{address}?{urlencode({'next': next_url})}" if next_url else address


def send_verification_mail(user: User, *, language: str, next_url: str = "") -> None:
    """Queue a mail with a signed link that confirms the person's e-mail address; with
    `next_url` (a checked address on this site) the link carries it, so confirming lands
    the person where they were going (an application form, a course to study)."""
    link = _with_next(
        settings.SITE_URL
        + reverse("accounts:verify", kwargs={"token": make_verification_token(user)}),
        next_url,
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


def warn_existing_account(user: User, *, language: str, next_url: str = "") -> None:
    """Queue a mail telling the owner of an address that someone tried to sign up with it
    (the sign-up page answers as for a new account, so it reveals nobody's account); its
    sign-in link keeps `next_url`, where they were going."""
    subject, body = render_mail(
        "accounts/mail/signup_existing",
        {
            "user": user,
            "login_link": _with_next(settings.SITE_URL + reverse("accounts:login"), next_url),
            "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
        },
        language=user.mail_language_or(language),
    )
    queue_mail(
        recipient=user.email,
        subject=subject,
        body=body,
        kind="signup-existing",
        language=user.mail_language_or(language),
        user=user,
    )


def sign_up(user: User, *, language: str, next_url: str = "") -> User:
    """Save the new, unverified person and queue the verification mail (its link keeps
    `next_url`) after commit.

    When the address got its account after the form checked it (the same sign-up sent twice
    at once: a double click, or two tabs), nothing is saved and the owner is told as for any
    sign-up with a taken address (`warn_existing_account`); returns that account. The unique
    constraint on the address decides which of the two requests made the account.
    """
    try:
        with transaction.atomic():
            user.interface_language = user.interface_language or language
            user.save()
            send_verification_mail(user, language=language, next_url=next_url)
    except IntegrityError:
        existing = User.objects.filter(email__iexact=user.email).first()
        if existing is None:
            raise
        warn_existing_account(existing, language=language, next_url=next_url)
        return existing
    return user


def verify_email(user: User, *, at: datetime) -> bool:
    """Mark the address verified; returns False when it already was."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = at
    user.save(update_fields=["email_verified_at"])
    return True


def export_personal_data(person: User, *, at: datetime) -> dict[str, Any]:
    """Everything the site holds about the person, by app and section (see privacy.py), and
    records a download for the coordinators' count. Sends nothing."""
    data: dict[str, Any] = {"format": "cohortkit-personal-data/1", "exported_at": at}
    for item in privacy.contributions():
        data[item.app] = item.module.export(person)
    PrivacyRequest.objects.create(kind=PrivacyRequestKind.DOWNLOAD, at=at)
    return data


def personal_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def personal_data_archive(person: User, *, at: datetime) -> tuple[bytes, bool]:
    """The download: the JSON alone, or a zip of `personal-data.json` and the person's uploads
    under `uploads/` when they have any. Returns (content, is_zip)."""
    data = personal_data_json(export_personal_data(person, at=at))
    files = list(privacy.uploads(person))
    if not files:
        return data, False
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personal-data.json", data)
        for name, stored in files:
            with stored.open("rb") as handle:
                archive.writestr(f"uploads/{name}", handle.read())
    return buffer.getvalue(), True


def delete_account(person: User, *, at: datetime, keep_certificates: bool) -> None:
    """Erase or anonymise everything the site holds about the person, app by app (later apps
    first, accounts last: the user row stays as an anonymous, inactive tombstone that what
    others depend on keeps pointing at), end their sessions, and record a deletion for the
    coordinators' count. Stored files go after commit; their other sessions end (the password
    hash changes, and the account is inactive). Sends nothing."""
    with transaction.atomic():
        for item in reversed(privacy.contributions()):
            item.module.erase(person, at=at, keep_certificates=keep_certificates)
        PrivacyRequest.objects.create(kind=PrivacyRequestKind.DELETION, at=at)
