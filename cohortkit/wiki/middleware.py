from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from cohortkit.wiki import oauth


class WikiSignInFormActionMiddleware:
    """Lets the wiki sign-in buttons lead to the wiki. They are forms posting to our own
    `wiki/oauth/start/`, which redirects to the wiki's authorization page; browsers check
    that redirect against the page's Content Security Policy `form-action` ('self' here) and
    stop it. When signing in with a wiki is configured, the wiki's origin (and only it) is
    added to `form-action`. Listed after the CSP middleware, so it sees the response first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.SECURE_CSP
        allowed = policy.get("form-action") if policy else None
        # A view's own policy (`_csp_config`) stays as it is.
        if (
            oauth.is_enabled()
            and isinstance(allowed, list | tuple)
            and not hasattr(response, "_csp_config")
        ):
            parts = urlsplit(settings.WIKI_OAUTH_URL)
            response._csp_config = {  # type: ignore[attr-defined]
                **policy,
                "form-action": [*allowed, f"{parts.scheme}://{parts.netloc}"],
            }
        return response
