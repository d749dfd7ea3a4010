"""Signing in with a wiki account: MediaWiki's OAuth 2.0 (Extension:OAuth) through authlib's
Django client. The wiki's rest.php offers /oauth2/authorize, /oauth2/access_token and
/oauth2/resource/profile; the profile names the account (`sub`, the central user id, and
`username`).

authlib rather than django-allauth's MediaWiki provider: allauth brings its own account
model of sign-up, e-mail addresses and login views (allauth.account is required by its
social accounts), which would replace cohortkit's sign-up with verification, throttling and
single-use links; authlib is only the OAuth client, and cohortkit keeps its accounts."""

from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class SignInFailed(Exception):
    """The wiki did not let us read who signed in; the message says why."""


@dataclass(frozen=True)
class WikiProfile:
    central_id: str
    username: str
    email: str
    email_confirmed: bool


def is_enabled() -> bool:
    return bool(settings.WIKI_OAUTH_CLIENT_ID and settings.WIKI_OAUTH_CLIENT_SECRET)


def _client() -> Any:
    base = settings.WIKI_OAUTH_URL
    registry = OAuth()
    return registry.register(
        name="wiki",
        client_id=settings.WIKI_OAUTH_CLIENT_ID,
        client_secret=settings.WIKI_OAUTH_CLIENT_SECRET,
        authorize_url=f"{base}/oauth2/authorize",
        access_token_url=f"{base}/oauth2/access_token",
        userinfo_endpoint=f"{base}/oauth2/resource/profile",
        client_kwargs={
            "token_endpoint_auth_method": "client_secret_post",
            "timeout": settings.WIKI_API_TIMEOUT,
            "headers": {"User-Agent": settings.WIKI_USER_AGENT},
        },
    )


def redirect_to_wiki(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """Send the browser to the wiki's authorization page (the state is kept in the session)."""
    return _client().authorize_redirect(request, redirect_uri)  # type: ignore[no-any-return]


def profile_from_callback(request: HttpRequest, redirect_uri: str) -> WikiProfile:
    """Exchange the callback's code for a token and read the wiki profile. Raises SignInFailed
    (with a message for the person) on a refusal, a stale or forged state, no answer in time,
    an HTTP error or a profile we cannot read."""
    name = settings.WIKI_OAUTH_NAME
    client = _client()
    try:
        token = client.authorize_access_token(request)
        answer = client.get(
            f"{settings.WIKI_OAUTH_URL}/oauth2/resource/profile",
            token=token,
            timeout=settings.WIKI_API_TIMEOUT,
        )
        answer.raise_for_status()
        data = answer.json()
    except OAuthError as error:
        if error.error == "access_denied":
            raise SignInFailed(
                _("You did not allow the sign-in on %(wiki)s.") % {"wiki": name}
            ) from error
        raise SignInFailed(
            _("%(wiki)s did not confirm the sign-in (%(error)s). Please try again.")
            % {"wiki": name, "error": error.error or error.description}
        ) from error
    except ValueError as error:  # before RequestException: a JSON error is both
        raise SignInFailed(_("%(wiki)s sent a profile we cannot read.") % {"wiki": name}) from error
    except requests.Timeout as error:
        raise SignInFailed(
            _("%(wiki)s did not answer in time. Please try again later.") % {"wiki": name}
        ) from error
    except requests.RequestException as error:
        raise SignInFailed(
            _("%(wiki)s could not be reached or refused the request. Please try again later.")
            % {"wiki": name}
        ) from error
    if not isinstance(data, dict):
        raise SignInFailed(_("%(wiki)s sent a profile we cannot read.") % {"wiki": name})
    central_id, username = data.get("sub"), data.get("username")
    if not isinstance(username, str) or not username or not isinstance(central_id, str | int):
        raise SignInFailed(_("%(wiki)s sent a profile we cannot read.") % {"wiki": name})
    if data.get("blocked") is True:
        raise SignInFailed(
            _("Your account is blocked on %(wiki)s, so it cannot sign in here.") % {"wiki": name}
        )
    email = data.get("email")
    return WikiProfile(
        central_id=str(central_id),
        username=username[:255],
        email=email if isinstance(email, str) else "",
        email_confirmed=data.get("confirmed_email") is True,
    )
