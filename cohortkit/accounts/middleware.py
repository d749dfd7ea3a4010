"""Per-request time zone and interface language from the signed-in person's profile, and
the login page for anonymous visitors refused a page."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control


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


class UserLanguageMiddleware:
    """Put the profile's interface language into the cookie LocaleMiddleware reads.

    Views that learn the language (login, profile) set `request.cohortkit_language`; the
    cookie then carries it to LocaleMiddleware on every later request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "cohortkit_language", None)
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
    """An anonymous visitor refused a page is asked to sign in, not shown "forbidden".

    Views raise PermissionDenied when a person lacks a role; for someone not signed in the
    useful answer is the login page, coming back to the page afterwards (a coordinator
    following a link from a mail, say), whatever the method: an anonymous POST (a session
    that ended while a form was open) gets the login page too, as `login_required` views give.
    htmx requests get the same as an ``HX-Redirect``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return None
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(request.get_full_path()).url
            return response
        return redirect_to_login(request.get_full_path())


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
