"""Signing in, signing up and linking with a wiki account through OAuth 2.0, against a local
provider that speaks MediaWiki's endpoints and profile JSON (tests/wiki/oauth_provider.py).
Refusals and bad answers give a message and change nothing."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cohortkit.accounts.models import User
from cohortkit.notifications.models import OutboxMessage
from cohortkit.wiki.models import WikiIdentity
from tests.access import snapshot
from tests.factories import UserFactory
from tests.wiki.oauth_provider import CLIENT_ID, CLIENT_SECRET, Provider, wiki_sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def provider(settings: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with wiki_sign_in(settings, monkeypatch) as running:
        yield running


def through_wiki(client: Client, intent: str = "login", **extra: str):
    """Press the button, let the wiki answer, follow its redirect back to the callback."""
    started = client.post(reverse("wiki_accounts:start"), {"intent": intent, **extra})
    assert started.status_code == 302
    assert started["Location"].split("?")[0].endswith("/w/rest.php/oauth2/authorize")
    answer = requests.get(started["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/wiki/oauth/callback/"
    return client.get(f"{back.path}?{back.query}")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def state() -> dict:
    return snapshot(User, WikiIdentity, OutboxMessage)


def test_the_login_button_shows_only_when_the_wiki_is_configured(settings: object) -> None:
    settings.WIKI_OAUTH_NAME = "Test Wiki"  # type: ignore[attr-defined]
    assert "Sign in with Test Wiki" not in Client().get(LOGIN).content.decode()
    assert Client().post(reverse("wiki_accounts:start")).status_code == 404
    settings.WIKI_OAUTH_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_SECRET = CLIENT_SECRET  # type: ignore[attr-defined]
    cache.clear()  # the login page is kept for anonymous visitors (accounts.page_cache)
    page = Client().get(LOGIN).content.decode()
    assert "Sign in with Test Wiki</button>" in page
    assert f'action="{reverse("wiki_accounts:start")}"' in page


def test_a_new_wiki_user_signs_up_with_name_address_and_zone(
    provider: Provider, django_capture_on_commit_callbacks
) -> None:
    provider.sign_in_as("Ana Q", 4242, email="ana@wiki.example")
    client = Client()
    response = through_wiki(client)
    assert response["Location"] == reverse("wiki_accounts:signup")
    page = client.get(reverse("wiki_accounts:signup")).content.decode()
    assert "You signed in on Test Wiki as <bdi>Ana Q</bdi>" in page
    assert 'value="ana@wiki.example"' in page

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("wiki_accounts:signup"),
            {"display_name": "Ana Quispe", "email": "ana@example.org", "timezone": "America/Lima"},
        )

    person = User.objects.get(email="ana@example.org")
    assert (done.status_code, done["Location"]) == (302, reverse("accounts:profile"))
    assert (person.display_name, person.wiki_username, person.has_usable_password()) == (
        "Ana Quispe",
        "Ana Q",
        False,
    )
    assert (person.wiki_identity.central_id, person.is_email_verified) == ("4242", False)
    assert list(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("verify-email", "ana@example.org")
    ]
    assert DBTaskResult.objects.filter(task_path__endswith="task_read_wiki_figures").count() == 1
    assert client.get(reverse("accounts:profile")).context["user"] == person


def test_a_linked_wiki_account_signs_in_and_comes_back_to_next(provider: Provider) -> None:
    person = UserFactory()
    WikiIdentity.objects.create(
        person=person, central_id="7", username="Bo", verified_at="2021-01-01T00:00Z"
    )
    provider.sign_in_as("Bo (renamed)", 7)
    client = Client()
    response = through_wiki(client, next="/courses/")
    assert (response.status_code, response["Location"]) == (302, "/courses/")
    assert client.get(reverse("accounts:profile")).context["user"] == person


def test_an_account_renamed_on_the_wiki_is_known_by_its_new_name_after_signing_in(
    provider: Provider, django_capture_on_commit_callbacks
) -> None:
    person = UserFactory(wiki_username="Bo")
    WikiIdentity.objects.create(
        person=person, central_id="7", username="Bo", verified_at="2021-01-01T00:00Z"
    )
    provider.sign_in_as("Bo Renamed", 7)
    with django_capture_on_commit_callbacks(execute=True):
        response = through_wiki(Client())
    person.refresh_from_db()
    assert (response.status_code, person.wiki_username, person.wiki_identity.username) == (
        302,
        "Bo Renamed",
        "Bo Renamed",
    )
    reads = DBTaskResult.objects.filter(task_path__endswith="task_read_wiki_figures")
    assert [result.args_kwargs["args"] for result in reads] == [[person.pk, None]]

    with django_capture_on_commit_callbacks(execute=True):
        through_wiki(Client())  # the same name again: nothing to change, nothing read
    assert reads.count() == 1


def test_an_outside_next_address_is_not_followed(provider: Provider) -> None:
    person = UserFactory()
    WikiIdentity.objects.create(
        person=person, central_id="8", username="Cy", verified_at="2021-01-01T00:00Z"
    )
    provider.sign_in_as("Cy", 8)
    response = through_wiki(Client(), next="https://elsewhere.example/")
    assert response["Location"] == reverse("accounts:profile")


def test_an_existing_account_links_its_wiki_identity_which_is_then_read_only(
    provider: Provider,
) -> None:
    person = UserFactory(wiki_username="typed")
    client = Client()
    client.force_login(person)
    provider.sign_in_as("Dana W", 99)

    response = through_wiki(client, intent="link")

    person.refresh_from_db()
    assert (response["Location"], messages_of(response)) == (
        reverse("accounts:profile"),
        ["Your wiki account Dana W is linked and verified."],
    )
    assert (person.wiki_username, person.wiki_identity.central_id) == ("Dana W", "99")
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your wiki account <bdi>Dana W</bdi> is verified." in page
    form = client.get(reverse("accounts:profile")).context["form"]
    client.post(
        reverse("accounts:profile"),
        {**{k: v for k, v in form.initial.items() if v is not None}, "wiki_username": "Other"},
    )
    person.refresh_from_db()
    assert person.wiki_username == "Dana W"


def test_a_wiki_account_linked_to_someone_else_is_refused(provider: Provider) -> None:
    owner = UserFactory()
    WikiIdentity.objects.create(
        person=owner, central_id="5", username="Eve", verified_at="2021-01-01T00:00Z"
    )
    person = UserFactory(wiki_username="")
    client = Client()
    client.force_login(person)
    provider.sign_in_as("Eve", 5)
    before = state()
    response = through_wiki(client, intent="link")
    assert messages_of(response) == [
        "The wiki account Eve is already linked to another account here."
    ]
    assert state() == before


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("refused", "You did not allow the sign-in on Test Wiki."),
        ("slow", "Test Wiki did not answer in time. Please try again later."),
        (
            "error",
            "Test Wiki could not be reached or refused the request. Please try again later.",
        ),
        ("html", "Test Wiki sent a profile we cannot read."),
        ("garbage", "Test Wiki sent a profile we cannot read."),
        ("blocked", "Your account is blocked on Test Wiki, so it cannot sign in here."),
    ],
)
def test_a_refusal_or_a_bad_answer_is_named_and_changes_nothing(
    provider: Provider, settings: object, mode: str, message: str
) -> None:
    settings.WIKI_API_TIMEOUT = 0.5  # type: ignore[attr-defined]
    provider.sign_in_as("Fay", 11, blocked=mode == "blocked")
    if mode == "refused":
        provider.refuse_next()
    elif mode != "blocked":
        provider.answer_badly(mode)
    client = Client()
    before = state()
    response = through_wiki(client)
    assert (response["Location"], messages_of(response)) == (LOGIN, [message])
    assert state() == before
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_forged_state_changes_nothing(provider: Provider) -> None:
    before = state()
    response = Client().get(reverse("wiki_accounts:callback") + "?code=abc&state=forged")
    assert response["Location"] == LOGIN
    assert messages_of(response)[0].startswith("Test Wiki did not confirm the sign-in (")
    assert state() == before


def test_signing_up_with_an_address_that_has_an_account_reveals_nothing(
    provider: Provider,
) -> None:
    owner = UserFactory(email="gil@example.org")
    provider.sign_in_as("Gil", 12)
    client = Client()
    through_wiki(client)
    response = client.post(
        reverse("wiki_accounts:signup"),
        {"display_name": "Someone", "email": "GIL@example.org", "timezone": "UTC"},
    )
    assert response.status_code == 200
    assert "accounts/signup_done.html" in [t.name for t in response.templates]
    assert list(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("signup-existing", owner.email)
    ]
    assert not WikiIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_the_sign_up_form_keeps_what_was_typed_and_names_the_problem(provider: Provider) -> None:
    provider.sign_in_as("Hana", 13)
    client = Client()
    through_wiki(client)
    response = client.post(
        reverse("wiki_accounts:signup"),
        {"display_name": "Hana", "email": "not an address", "timezone": "Mars/Olympus"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="not an address"' in page
    assert set(response.context["form"].errors) == {"email", "timezone"}
    assert not User.objects.filter(display_name="Hana").exists()


def test_the_pages_let_the_sign_in_form_lead_to_the_wiki_only_when_configured(
    settings: object,
) -> None:
    """Browsers check the start view's redirect to the wiki against the page's form-action."""

    def form_action() -> str:
        policy = Client().get(LOGIN)["Content-Security-Policy"]
        return next(part.strip() for part in policy.split(";") if "form-action" in part)

    assert form_action() == "form-action 'self'"
    settings.WIKI_OAUTH_URL = "https://login.wiki.example/w/rest.php"  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_SECRET = CLIENT_SECRET  # type: ignore[attr-defined]
    cache.clear()
    assert form_action() == "form-action 'self' https://login.wiki.example"
