"""Single-use, expiring e-mail verification links.

A link is `<uidb64>.<token>`: the token is an HMAC (Django's PasswordResetTokenGenerator
machinery, with its own salt) over the person's id, e-mail address, verified instant,
password hash and last login. Following the link verifies the address and signs the person
in, which changes both the verified instant and the last login, so the link stops working
after one use; a password change (a reset) changes the password hash and ends it too.
"""

from datetime import datetime

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from cohortkit.accounts.models import User

MAX_AGE_SECONDS = 3 * 24 * 3600


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cohortkit.accounts.tokens.VerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        def instant(value: datetime | None) -> str:
            return "" if value is None else value.replace(microsecond=0, tzinfo=None).isoformat()

        return (
            f"{user.pk}|{user.email.lower()}|{instant(user.email_verified_at)}|"
            f"{user.password}|{instant(user.last_login)}|{timestamp}"
        )

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        if not super().check_token(user, token):
            return False
        # The expiry of verification links is their own, not PASSWORD_RESET_TIMEOUT.
        timestamp_b36 = str(token).split("-")[0]
        try:
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        return self._num_seconds(self._now()) - timestamp <= MAX_AGE_SECONDS


verification_tokens = VerificationTokenGenerator()


def make_verification_token(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uid}.{verification_tokens.make_token(user)}"


def user_for_verification_token(token: str) -> User | None:
    """The person the link was made for, or None when it is forged, expired or used up
    (the address verified since, a sign-in since, or the password changed since)."""
    uid, _, secret = token.partition(".")
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except ValueError:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or user.is_email_verified or not verification_tokens.check_token(user, secret):
        return None
    return user
