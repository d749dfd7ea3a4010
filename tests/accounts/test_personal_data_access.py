"""Who may open "Download my data" and "Delete my account": every signed-in person, for
their own account only; anonymous visitors are sent to sign in. GET changes nothing."""

import pytest
from django.urls import reverse

from cohortkit.accounts.models import PrivacyRequest, User
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL_NAMES = {"accounts:my_data", "accounts:delete_account"}
PAGES = [reverse("accounts:my_data"), reverse("accounts:delete_account")]


def _expected(role: str, url: str) -> tuple[int, str]:
    if role == "anonymous":
        return 302, f"/accounts/login/?next={url}"
    return 200, ""


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_and_get_changes_nothing(cast: Cast, role: str) -> None:
    client = cast.client_for(role)
    before = snapshot(User, PrivacyRequest)
    seen = {url: client.get(url) for url in PAGES}
    assert {url: (r.status_code, r.headers.get("Location", "")) for url, r in seen.items()} == {
        url: _expected(role, url) for url in PAGES
    }
    assert snapshot(User, PrivacyRequest) == before


@pytest.mark.parametrize("role", ROLES)
def test_posting_without_the_password_changes_nothing(cast: Cast, role: str) -> None:
    client = cast.client_for(role)
    before = snapshot(User, PrivacyRequest)
    answers = {url: client.post(url, {"confirm": "on"}).status_code for url in PAGES}
    expected = 302 if role == "anonymous" else 400
    assert (answers, snapshot(User, PrivacyRequest)) == (dict.fromkeys(PAGES, expected), before)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_each_signed_in_role_downloads_only_their_own_data(cast: Cast, role: str) -> None:
    response = cast.client_for(role).post(reverse("accounts:my_data"), {"password": PASSWORD})
    profile = response.json()["accounts"]["profile"][0]
    assert (response.status_code, profile["email"]) == (200, cast.users()[role].email)


def test_url_names_are_the_ones_the_tables_request() -> None:
    assert view_names(PAGES) == URL_NAMES
