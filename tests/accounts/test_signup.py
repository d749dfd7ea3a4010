import re
import threading
from collections import Counter

import pytest
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from cohortkit.accounts.forms import SignupForm
from cohortkit.accounts.models import User
from cohortkit.accounts.services import sign_up
from cohortkit.notifications.models import MailState, OutboxMessage
from tests.applications.conftest import concurrent_database
from tests.factories import PASSWORD, UserFactory
from tests.payloads import sampled_strings

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Wanjiru Example",
    "email": "wanjiru@example.org",
    "timezone": "Africa/Nairobi",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
}


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/verify/[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_signup_creates_an_unverified_person_and_queues_a_verification_mail(client: Client) -> None:
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    person = User.objects.get(email="wanjiru@example.org")
    assert (person.display_name, person.timezone, person.is_email_verified) == (
        "Wanjiru Example",
        "Africa/Nairobi",
        False,
    )
    mail = OutboxMessage.objects.get()
    assert (mail.recipient, mail.kind, mail.state) == (
        "wanjiru@example.org",
        "verify-email",
        MailState.QUEUED,
    )
    assert "/accounts/verify/" in mail.body


def test_the_verification_mail_is_plain_text_names_are_not_html_escaped(client: Client) -> None:
    name = "Seán O'Brien & <Wiki> Friends"
    client.post("/accounts/signup/", {**SIGNUP, "display_name": name})
    body = OutboxMessage.objects.get().body
    assert f"Hello {name}," in body
    assert "&amp;" not in body
    assert "&#x27;" not in body


def test_unverified_person_cannot_log_in_until_the_link_is_followed(client: Client) -> None:
    client.post("/accounts/signup/", SIGNUP)
    credentials = {"username": SIGNUP["email"], "password": SIGNUP["password1"]}
    refused = client.post("/accounts/login/", credentials)
    assert "Please confirm your e-mail address first" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    link = _link(OutboxMessage.objects.get().body)
    assert client.get(link).status_code == 200
    assert User.objects.get().is_email_verified is False  # GET only shows the button
    client.post(link)
    assert User.objects.get().is_email_verified is True

    client.logout()
    response = client.post("/accounts/login/", credentials)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_a_forged_verification_link_is_refused(client: Client) -> None:
    response = client.get("/accounts/verify/not-a-real-token/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_invalid_time_zone_and_email_are_named_and_the_input_is_kept(client: Client) -> None:
    data = {**SIGNUP, "timezone": "Mars/Olympus_Mons", "email": "not-an-address"}
    response = client.post("/accounts/signup/", data)
    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"timezone", "email"}
    assert "is not a known IANA time zone" in form.errors["timezone"][0]
    assert 'value="Mars/Olympus_Mons"' in html
    assert 'value="not-an-address"' in html
    assert 'value="Wanjiru Example"' in html
    assert not User.objects.exists()


def test_an_address_is_taken_whatever_its_case(client: Client) -> None:
    UserFactory(email="wanjiru@example.org")
    response = client.post("/accounts/signup/", {**SIGNUP, "email": "WANJIRU@example.org"})
    assert (response.status_code, User.objects.count()) == (200, 1)
    assert OutboxMessage.objects.get().kind == "signup-existing"


def test_login_is_by_email_case_insensitively(client: Client) -> None:
    person = UserFactory(email="kavya@example.org")
    client.post("/accounts/login/", {"username": "Kavya@Example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(person.pk)


def test_password_reset_goes_through_the_outbox(client: Client) -> None:
    UserFactory(email="mateo@example.org")
    client.post("/accounts/password-reset/", {"email": "mateo@example.org"})
    mail = OutboxMessage.objects.get()
    assert (mail.recipient, mail.kind) == ("mateo@example.org", "password-reset")
    assert "/accounts/password-reset/" in mail.body


def test_profile_needs_a_login(client: Client) -> None:
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_profile_keeps_hostile_strings_exactly_and_escapes_them(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    strings = sampled_strings()
    for text in strings:
        value = text[:150].strip()
        response = client.post(
            "/accounts/profile/",
            {
                "display_name": value,
                "timezone": "Asia/Kathmandu",
                "wiki_username": value,
                "home_community": value,
                "region": "",
                "interface_language": "",
                "content_language": "",
            },
        )
        person.refresh_from_db()
        saved = (person.display_name, person.wiki_username, person.home_community)
        assert (response.status_code, response.headers["Location"], saved) == (
            302,
            "/accounts/profile/",
            (value, value, value),
        ), text
    page = client.get("/accounts/profile/").content.decode()
    assert "<script>alert" not in page
    assert len(strings) == 48  # six from the Big List and from each of the seven payload files


def test_profile_with_bad_zone_names_the_field_and_keeps_the_rest(client: Client) -> None:
    person = UserFactory(timezone="UTC")
    client.force_login(person)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "New Name", "timezone": "Asia/Nowhere", "home_community": "Wiki Club"},
    )
    assert list(response.context["form"].errors) == ["timezone"]
    html = response.content.decode()
    assert 'value="New Name"' in html
    assert 'value="Wiki Club"' in html
    person.refresh_from_db()
    assert (person.display_name, person.timezone) != ("New Name", "Asia/Nowhere")


def test_verification_time_is_recorded(client: Client) -> None:
    client.post("/accounts/signup/", SIGNUP)
    before = timezone.now()
    client.post(_link(OutboxMessage.objects.get().body))
    verified_at = User.objects.get().email_verified_at
    assert verified_at is not None
    assert verified_at >= before


def test_signing_up_with_a_known_address_looks_the_same_and_mails_the_owner(
    client: Client,
) -> None:
    owner = UserFactory(email="wanjiru@example.org", display_name="Wanjiru")
    fresh = client.post("/accounts/signup/", {**SIGNUP, "email": "new@example.org"})
    OutboxMessage.objects.all().delete()

    known = client.post("/accounts/signup/", {**SIGNUP, "email": "Wanjiru@example.org"})

    def page(response: object, address: str) -> str:
        html = response.content.decode().replace(address, "ADDRESS")  # type: ignore[attr-defined]
        return re.sub(r"[A-Za-z0-9]{64}", "CSRF-TOKEN", html)  # masked anew on every page

    assert known.status_code == fresh.status_code == 200
    assert page(known, "Wanjiru@example.org") == page(fresh, "new@example.org")
    assert User.objects.filter(email__iexact="wanjiru@example.org").count() == 1
    mail = OutboxMessage.objects.get()
    assert (mail.recipient, mail.kind, mail.user) == (owner.email, "signup-existing", owner)
    assert "/accounts/login/" in mail.body
    assert "/accounts/password-reset/" in mail.body


def test_a_sign_up_whose_address_was_taken_after_the_check_mails_the_owner_instead() -> None:
    # The interleaving of a double click, made deterministic: both forms are checked before
    # either saves; the second save meets the unique constraint, not a server error.
    first, second = SignupForm(SIGNUP), SignupForm({**SIGNUP, "email": "Wanjiru@example.org"})
    assert first.is_valid()
    assert second.is_valid()
    made = sign_up(first.save(commit=False), language="en")

    again = sign_up(second.save(commit=False), language="es")

    assert again == made
    assert User.objects.count() == 1
    assert sorted(OutboxMessage.objects.values_list("recipient", "kind")) == [
        ("wanjiru@example.org", "signup-existing"),
        ("wanjiru@example.org", "verify-email"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_same_sign_up_sent_three_times_at_once_makes_one_account_and_no_error() -> None:
    # Three: the most one address may ask for in an hour (throttle.MAILS_PER_ADDRESS).
    concurrent_database()
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def click() -> None:
        try:
            client = Client()
            barrier.wait()
            statuses.append(client.post("/accounts/signup/", SIGNUP).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200, 200]
    assert User.objects.filter(email__iexact=SIGNUP["email"]).count() == 1
    # One account, one verification mail; every other click is a sign-up with a taken
    # address, answered alike and told to the owner, whichever way the race went.
    assert Counter(OutboxMessage.objects.values_list("kind", flat=True)) == {
        "verify-email": 1,
        "signup-existing": 2,
    }
