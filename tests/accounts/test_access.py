"""Who may open the account pages: sign-up, log in and out, verification, password reset,
and the interface language; for every role of the cast. GET never changes anything."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cohortkit.accounts.models import User
from cohortkit.accounts.tokens import make_verification_token
from cohortkit.notifications.models import OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:signup",
    "accounts:verify",
    "accounts:resend",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
}

CATALOGUE = "/"
PROFILE = "/accounts/profile/"


@dataclass
class Newcomer:
    """Someone who signed up and has not followed the verification link yet, with the links
    mailed to them (made once: both tokens carry the time they were made)."""

    person: User
    verify: str
    reset: str
    set_password: str


@pytest.fixture
def newcomer(cast: Cast) -> Newcomer:
    person = UserFactory(email="newcomer@example.org", email_verified_at=None)
    uid = urlsafe_base64_encode(force_bytes(person.pk))

    def reset(token: str) -> str:
        return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})

    return Newcomer(
        person,
        verify=reverse("accounts:verify", kwargs={"token": make_verification_token(person)}),
        reset=reset(default_token_generator.make_token(person)),
        set_password=reset("set-password"),
    )


def _everybody(answer: tuple[int, str]) -> dict[str, tuple[int, str]]:
    return dict.fromkeys(ROLES, answer)


def _signed_in_sent_to(target: str) -> dict[str, tuple[int, str]]:
    return {**_everybody((302, target)), "anonymous": (200, "")}


def pages(newcomer: Newcomer) -> list[tuple[str, dict[str, tuple[int, str]]]]:
    """GET: (url, role -> (status, where a redirect goes))."""
    forged_reset = newcomer.set_password.replace("set-password", "abc-123")
    return [
        (reverse("accounts:login"), _signed_in_sent_to(CATALOGUE)),
        (reverse("accounts:signup"), _signed_in_sent_to(PROFILE)),
        # Whoever holds the link may confirm the address (the button POSTs; mail scanners GET).
        (newcomer.verify, _everybody((200, ""))),
        (reverse("accounts:verify", kwargs={"token": "forged"}), _everybody((400, ""))),
        (reverse("accounts:resend"), _everybody((200, ""))),
        (reverse("accounts:password_reset"), _everybody((200, ""))),
        (reverse("accounts:password_reset_done"), _everybody((200, ""))),
        # Django moves the token into the session, then shows the form at set-password/.
        (newcomer.reset, _everybody((302, newcomer.set_password))),
        (forged_reset, _everybody((200, ""))),
        (reverse("accounts:password_reset_complete"), _everybody((200, ""))),
        # Logging out is a POST (a GET could be triggered by any page's <img>).
        (reverse("accounts:logout"), _everybody((405, ""))),
        # GET only redirects; the language changes on POST.
        (f"{reverse('set_language')}?next=/courses/", _everybody((302, "/courses/"))),
    ]


def _answer(response: HttpResponse) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_and_get_changes_nothing(
    cast: Cast, newcomer: Newcomer, role: str
) -> None:
    client = cast.client_for(role)
    before = snapshot(User, OutboxMessage)

    table = pages(newcomer)

    seen = {url: _answer(client.get(url)) for url, _ in table}

    assert seen == {url: expected[role] for url, expected in table}
    assert snapshot(User, OutboxMessage) == before
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_the_set_password_form_opens_after_a_valid_reset_link(
    cast: Cast, newcomer: Newcomer
) -> None:
    client = cast.client_for("anonymous")
    client.get(newcomer.reset)
    response = client.get(newcomer.set_password)
    assert (response.status_code, response.context["validlink"]) == (200, True)


@pytest.mark.parametrize("role", ROLES)
def test_logging_out_is_a_post_that_ends_the_session(cast: Cast, role: str) -> None:
    client = cast.client_for(role)
    response = client.post(reverse("accounts:logout"))
    assert (_answer(response), "_auth_user_id" in client.session) == ((302, CATALOGUE), False)


@pytest.mark.parametrize("role", ROLES)
def test_logging_in_signs_in_anonymous_people_and_sends_signed_in_people_on(
    cast: Cast, role: str
) -> None:
    visitor = UserFactory(email="visitor@example.org")
    client = cast.client_for(role)
    response = client.post(
        reverse("accounts:login"), {"username": visitor.email, "password": PASSWORD}
    )
    signed_in = cast.users()[role] or visitor
    assert (_answer(response), client.session["_auth_user_id"]) == (
        (302, CATALOGUE),
        str(signed_in.pk),
    )


@pytest.mark.parametrize("role", ROLES)
def test_signing_up_creates_an_account_for_anonymous_people_only(cast: Cast, role: str) -> None:
    data = {
        "display_name": "Amaru Example",
        "email": "amaru@example.org",
        "timezone": "America/Lima",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }
    response = cast.client_for(role).post(reverse("accounts:signup"), data)
    created = User.objects.filter(email="amaru@example.org").exists()
    if role == "anonymous":
        assert (_answer(response), created) == ((200, ""), True)
    else:
        assert (_answer(response), created) == ((302, PROFILE), False)


@pytest.mark.parametrize("role", ROLES)
def test_the_verification_link_confirms_and_signs_in_its_person_whoever_posts(
    cast: Cast, newcomer: Newcomer, role: str
) -> None:
    client = cast.client_for(role)
    response = client.post(newcomer.verify)
    newcomer.person.refresh_from_db()
    assert (_answer(response), newcomer.person.is_email_verified) == ((302, PROFILE), True)
    assert client.session["_auth_user_id"] == str(newcomer.person.pk)


@pytest.mark.parametrize("role", ROLES)
def test_a_forged_verification_link_changes_nothing(
    cast: Cast, newcomer: Newcomer, role: str
) -> None:
    client = cast.client_for(role)
    before = snapshot(User)
    response = client.post(reverse("accounts:verify", kwargs={"token": "forged"}))
    assert (response.status_code, snapshot(User)) == (400, before)


@pytest.mark.parametrize("role", ROLES)
def test_asking_again_for_the_verification_mail_queues_one_for_an_unverified_address(
    cast: Cast, newcomer: Newcomer, role: str
) -> None:
    response = cast.client_for(role).post(
        reverse("accounts:resend"), {"email": newcomer.person.email}
    )
    kinds = list(OutboxMessage.objects.values_list("recipient", "kind"))
    assert (_answer(response), kinds) == ((200, ""), [(newcomer.person.email, "verify-email")])


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_a_password_reset_queues_one_mail_for_a_known_address(
    cast: Cast, role: str
) -> None:
    response = cast.client_for(role).post(
        reverse("accounts:password_reset"), {"email": cast.participant.email}
    )
    recipients = list(OutboxMessage.objects.values_list("recipient", flat=True))
    assert (_answer(response), recipients) == (
        (302, reverse("accounts:password_reset_done")),
        [cast.participant.email],
    )


@pytest.mark.parametrize("role", ROLES)
def test_choosing_the_interface_language_sets_the_cookie(cast: Cast, role: str) -> None:
    client = cast.client_for(role)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/courses/"})
    assert (_answer(response), client.cookies[settings.LANGUAGE_COOKIE_NAME].value) == (
        (302, "/courses/"),
        "es",
    )


def test_url_names_are_the_ones_the_tables_request(cast: Cast, newcomer: Newcomer) -> None:
    assert view_names(url for url, _ in pages(newcomer)) == URL_NAMES
