"""Signed, expiring e-mail verification links."""

from django.core import signing

from cohortkit.accounts.models import User

SALT = "cohortkit.accounts.verify-email"
MAX_AGE_SECONDS = 3 * 24 * 3600


def make_verification_token(user: User) -> str:
    return signing.dumps({"id": user.pk, "email": user.email.lower()}, salt=SALT, compress=True)


def user_for_verification_token(token: str) -> User | None:
    """The user the token was made for, or None when it is forged, expired or stale."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("id")).first()
    if user is None or user.email.lower() != data.get("email"):
        return None
    return user
