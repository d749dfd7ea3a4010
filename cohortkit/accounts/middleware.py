"""Per-request time zone and interface language from the signed-in person's profile, and
the login page for anonymous visitors refused a page."""

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control

from cohortkit.accounts.models import User


class UserTimezoneMiddleware:
    """Activate the person's zone; anonymous visitors keep UTC (pages name the zone shown)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


_LANGUAGE_TO_KEEP = "_cohortkit_language"


def keep_interface_language(request: HttpRequest, person: User) -> None:
    """Once a person signs in or saves their profile: their interface language, if they
    chose one, goes into the language cookie with this response (UserLanguageMiddleware)."""
    if person.interface_language:
        request.__dict__[_LANGUAGE_TO_KEEP] = person.interface_language


class UserLanguageMiddleware:
    """Put the profile's interface language into the cookie LocaleMiddleware reads.

    Views that learn the language (sign-in, the profile) call `keep_interface_language`; the
    cookie then carries it to LocaleMiddleware on every later request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = request.__dict__.get(_LANGUAGE_TO_KEEP)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=not settings.DEBUG,
            )
        return response


class SignInFirstMiddleware:
    """Sign in first: the one sign-in rule for every page.

    Every view asks an anonymous visitor to sign in, coming back to the page afterwards (a
    coordinator following a link from a mail, say), whatever the method: an anonymous POST
    (a session that ended while a form was open) gets the login page too. A page open to
    visitors says so with `@login_not_required` (the catalogue, course pages, sign-up and
    sign-in, certificate verification, calendar feeds behind their secret, invitation
    links); `tests/test_view_conventions.py` lists them. Views then check roles with
    `courses.permissions` and take the person with `accounts.requests.signed_in_person`.

    What Django's `LoginRequiredMiddleware` does (it reads the same `login_not_required`),
    with two additions: htmx requests get the login page as an ``HX-Redirect``; and a page
    open to visitors that refuses an anonymous one (PermissionDenied) sends them to the
    login page too rather than "forbidden". The admin keeps its own login page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            return None
        if not getattr(view_func, "login_required", True) or request.user.is_authenticated:
            return None
        return _to_login(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return None
        return _to_login(request)


def _to_login(request: HttpRequest) -> HttpResponse:
    """The login page, coming back to this page (htmx: the same as an ``HX-Redirect``)."""
    login = redirect_to_login(request.get_full_path())
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login.url
        return response
    return login


class PrivatePagesMiddleware:
    """Every response to a signed-in person is `Cache-Control: private, no-store`: their
    pages list people, answers and work, and no shared cache or back-button copy on a
    shared computer may keep them. (CSV downloads say so themselves too.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
