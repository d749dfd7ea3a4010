"""Failed sign-ins and mail-sending requests are limited per account/address and per client."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cohortkit.accounts import throttle
from cohortkit.notifications.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WAIT_15 = "Too many attempts. Please wait 15 minutes and try again."


def _login(client: Client, email: str, password: str) -> tuple[int, bool, list[str]]:
    response = client.post("/accounts/login/", {"username": email, "password": password})
    errors = list(response.context["form"].non_field_errors()) if response.context else []
    return response.status_code, "_auth_user_id" in client.session, errors


def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_the_time_to_wait() -> None:
    person = UserFactory(email="kavya@example.org")
    client = Client()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        wrong = [_login(client, person.email, "wrong")[0] for _ in range(30)]
        right = _login(client, person.email, PASSWORD)
    assert wrong == [200] * 5 + [429] * 25
    assert right == (429, False, [WAIT_15])


def test_the_account_is_locked_from_every_client_and_the_wait_ends() -> None:
    person = UserFactory(email="kavya@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(5):
            _login(Client(REMOTE_ADDR=f"198.51.100.{number}"), person.email, "wrong")
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        soon = _login(Client(REMOTE_ADDR="203.0.113.9"), person.email, PASSWORD)
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        later = _login(Client(REMOTE_ADDR="203.0.113.9"), person.email, PASSWORD)
    assert (soon, later[:2]) == (
        (429, False, ["Too many attempts. Please wait 5 minutes and try again."]),
        (302, True),
    )


def test_a_right_password_before_the_limit_starts_the_account_count_again() -> None:
    person = UserFactory(email="kavya@example.org")
    for _ in range(4):
        _login(Client(), person.email, "wrong")
    assert _login(Client(), person.email, PASSWORD)[:2] == (302, True)
    answers = [_login(Client(), person.email, "wrong")[0] for _ in range(5)]
    assert answers == [200] * 5


def test_one_client_guessing_many_accounts_is_slowed_down() -> None:
    people = [UserFactory() for _ in range(31)]
    client = Client(REMOTE_ADDR="192.0.2.7")
    answers = [_login(client, person.email, "wrong")[0] for person in people[:30]]
    last = _login(client, people[30].email, PASSWORD)
    other_client = _login(Client(REMOTE_ADDR="192.0.2.8"), people[30].email, PASSWORD)
    assert (answers, last, other_client[:2]) == (
        [200] * 30,
        (429, False, [WAIT_15]),
        (302, True),
    )


def test_behind_a_proxy_the_client_is_the_last_forwarded_address(settings: object) -> None:
    settings.BEHIND_TLS_PROXY = True  # type: ignore[attr-defined]
    people = [UserFactory() for _ in range(31)]

    def client(forwarded: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for number, person in enumerate(people[:30]):
        # The client's own claim (first entry) changes; the proxy's entry (last) does not.
        _login(client(f"1.2.3.{number}, 192.0.2.7"), person.email, "wrong")
    blocked = _login(client("9.9.9.9, 192.0.2.7"), people[30].email, PASSWORD)
    allowed = _login(client("192.0.2.8"), people[30].email, PASSWORD)
    assert (blocked[:2], allowed[:2]) == ((429, False), (302, True))


def test_without_the_proxy_setting_forwarded_headers_are_ignored(settings: object) -> None:
    settings.BEHIND_TLS_PROXY = False  # type: ignore[attr-defined]
    request = Client(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4").get("/").wsgi_request
    assert throttle.client_address(request) == "192.0.2.7"


def test_ten_password_reset_requests_queue_three_mails_and_say_how_long_to_wait() -> None:
    UserFactory(email="mateo@example.org")
    client = Client()
    answers = [
        client.post("/accounts/password-reset/", {"email": "mateo@example.org"}).status_code
        for _ in range(10)
    ]
    refused = client.post("/accounts/password-reset/", {"email": "mateo@example.org"})
    assert (answers, OutboxMessage.objects.count()) == ([302] * 3 + [429] * 7, 3)
    assert list(refused.context["form"].non_field_errors()) == [
        "Too many attempts. Please wait 60 minutes and try again."
    ]
    assert 'value="mateo@example.org"' in refused.content.decode()


def test_the_address_limit_holds_from_every_client_and_ends_after_an_hour() -> None:
    UserFactory(email="mateo@example.org", email_verified_at=None)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(5):
            Client(REMOTE_ADDR=f"198.51.100.{number}").post(
                "/accounts/verify-again/", {"email": "mateo@example.org"}
            )
        assert OutboxMessage.objects.count() == 3
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        response = Client().post("/accounts/verify-again/", {"email": "mateo@example.org"})
    assert (response.status_code, OutboxMessage.objects.count()) == (200, 4)


def test_one_client_asking_for_many_addresses_is_limited_too() -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    answers = [
        client.post("/accounts/verify-again/", {"email": f"x{n}@example.org"}).status_code
        for n in range(12)
    ]
    assert answers == [200] * 10 + [429] * 2


def test_sign_up_mails_are_limited_per_client_and_keep_what_was_typed() -> None:
    client = Client(REMOTE_ADDR="192.0.2.7")
    data = {
        "display_name": "Wanjiru Example",
        "timezone": "Africa/Nairobi",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
    }
    answers = [
        client.post("/accounts/signup/", {**data, "email": f"w{n}@example.org"}).status_code
        for n in range(10)
    ]
    refused = client.post("/accounts/signup/", {**data, "email": "w10@example.org"})
    html = refused.content.decode()
    assert (answers, refused.status_code, OutboxMessage.objects.count()) == ([200] * 10, 429, 10)
    assert 'value="w10@example.org"' in html
    assert 'value="Wanjiru Example"' in html
