"""The wiki sign-in URLs for each role: starting is a POST (linking needs a signed-in
person), the callback without a valid state and the sign-up without a verified profile
change nothing; with the wiki not configured every one answers 404."""

import pytest
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.wiki.models import WikiIdentity
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.wiki.oauth_provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db

URL_NAMES = {"wiki_accounts:start", "wiki_accounts:callback", "wiki_accounts:signup"}


@pytest.fixture
def configured(settings: object) -> None:
    settings.WIKI_OAUTH_URL = "http://127.0.0.1:9/w/rest.php"  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_SECRET = CLIENT_SECRET  # type: ignore[attr-defined]


def test_starting_sends_everyone_to_the_wiki_and_linking_needs_a_person(
    cast: Cast, configured: None
) -> None:
    start = reverse("wiki_accounts:start")
    to_wiki = {
        role: cast.client_for(role).post(start, {"intent": "login"})["Location"].split("?")[0]
        for role in ROLES
    }
    assert set(to_wiki.values()) == {"http://127.0.0.1:9/w/rest.php/oauth2/authorize"}
    linking = cast.client_for("anonymous").post(start, {"intent": "link"})
    assert linking["Location"].startswith("/accounts/login/")
    assert {cast.client_for(role).get(start).status_code for role in ROLES} == {405}


def test_the_callback_and_sign_up_change_nothing_without_a_sign_in(
    cast: Cast, configured: None
) -> None:
    clients = [cast.client_for(role) for role in ROLES]  # signing in sets last_login
    before = snapshot(User, WikiIdentity)
    for client in clients:
        callback = client.get(reverse("wiki_accounts:callback"))
        signup = client.get(reverse("wiki_accounts:signup"))
        posted = client.post(reverse("wiki_accounts:signup"), {"email": "x@example.org"})
        assert (callback.status_code, signup.status_code, posted.status_code) == (302, 302, 302)
    assert snapshot(User, WikiIdentity) == before


def test_without_a_configured_wiki_every_url_is_not_found(cast: Cast) -> None:
    client = cast.client_for("participant")
    assert [
        client.post(reverse("wiki_accounts:start")).status_code,
        client.get(reverse("wiki_accounts:callback")).status_code,
        client.get(reverse("wiki_accounts:signup")).status_code,
    ] == [404, 404, 404]


def test_url_names_are_the_ones_the_tables_request() -> None:
    assert view_names([reverse(name) for name in URL_NAMES]) == URL_NAMES
