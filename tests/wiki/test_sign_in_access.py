"""The wiki sign-in URLs for each role: starting is a POST (linking needs a signed-in
person), the callback without a valid state and the sign-up without a verified profile
change nothing; with the wiki not configured every one answers 404 but unlinking, which
every signed-in person may open for their own account only."""

import pytest
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.wiki.models import WikiFigures, WikiIdentity
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.wiki.oauth_provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "wiki_accounts:start",
    "wiki_accounts:callback",
    "wiki_accounts:signup",
    "wiki_accounts:unlink",
}


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
    # Someone linked while it was configured can still unlink.
    WikiIdentity.objects.create(
        person=cast.participant, central_id="1", username="P", verified_at="2021-01-01T00:00Z"
    )
    assert client.get(reverse("wiki_accounts:unlink")).status_code == 200


def test_unlinking_is_for_signed_in_people_and_get_changes_nothing(cast: Cast) -> None:
    """Everyone signed in gets the page for their own account (or is sent to the profile
    without one); anonymous visitors are asked to sign in, for GET and POST alike."""
    unlink = reverse("wiki_accounts:unlink")
    clients = {role: cast.client_for(role) for role in ROLES}
    for role, person in cast.users().items():
        if person is not None:
            WikiIdentity.objects.create(
                person=person, central_id=role, username=role, verified_at="2021-01-01T00:00Z"
            )
    before = snapshot(User, WikiIdentity, WikiFigures)
    answers = {role: client.get(unlink).status_code for role, client in clients.items()}
    assert answers == {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}
    assert clients["anonymous"].get(unlink)["Location"].startswith("/accounts/login/")
    anonymous_post = clients["anonymous"].post(unlink, {"password": "x", "confirm": "on"})
    assert anonymous_post["Location"].startswith("/accounts/login/")
    assert snapshot(User, WikiIdentity, WikiFigures) == before
    page = clients["participant"].get(unlink).content.decode()
    assert "Your wiki account <bdi>participant</bdi> is linked and verified." in page


def test_unlinking_touches_only_the_signed_in_persons_account(cast: Cast) -> None:
    """Nothing in the request names whose account to unlink: a wrong password from the
    participant leaves the facilitator's account (and their own) as it was."""
    for role in ("participant", "facilitator"):
        WikiIdentity.objects.create(
            person=cast.users()[role],
            central_id=role,
            username=role,
            verified_at="2021-01-01T00:00Z",
        )
    client = cast.client_for("participant")
    before = snapshot(WikiIdentity)
    response = client.post(
        reverse("wiki_accounts:unlink"), {"password": "wrong", "confirm": "on", "person": "1"}
    )
    assert response.status_code == 400
    assert snapshot(WikiIdentity) == before


def test_url_names_are_the_ones_the_tables_request() -> None:
    assert view_names([reverse(name) for name in URL_NAMES]) == URL_NAMES
