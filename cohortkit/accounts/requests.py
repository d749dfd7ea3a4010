"""The signed-in person of a request, typed: one way for every view to say "the person"."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from cohortkit.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose person is signed in (for views whose type says so)."""

    user: User


def signed_in_person(request: HttpRequest) -> User:
    """The person signed in. Anonymous: PermissionDenied, which `SignInFirstMiddleware` turns
    into the login page (coming back afterwards), so a view may call this as its sign-in
    check."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
