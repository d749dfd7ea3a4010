"""The signed-in person of a request, typed: one way for every view to say "the person"."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cohortkit.accounts.models import User


def signed_in_person(request: HttpRequest) -> User:
    """The person signed in. Anonymous: PermissionDenied, which `SignInFirstMiddleware` turns
    into the login page (coming back afterwards), so a view may call this as its sign-in
    check."""
    user = person_or_none(request)
    if user is None:
        raise PermissionDenied
    return user


def person_or_none(request: HttpRequest) -> User | None:
    """The person signed in, or None for a visitor: for pages that both may see."""
    user = request.user
    return user if isinstance(user, User) else None
