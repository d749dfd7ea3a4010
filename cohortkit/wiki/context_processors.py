from django.conf import settings
from django.http import HttpRequest

from cohortkit.wiki import oauth


def wiki_sign_in(request: HttpRequest) -> dict[str, object]:
    """Whether the login and profile pages offer signing in with a wiki account, and the
    wiki's name for the button."""
    return {"wiki_sign_in": oauth.is_enabled(), "wiki_sign_in_name": settings.WIKI_OAUTH_NAME}
