"""Verification links work once: used, verified since, or the password changed, they are refused."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cohortkit.accounts.models import User
from cohortkit.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Wanjiru Example",
    "email": "wanjiru@example.org",
    "timezone": "Africa/Nairobi",
    "password1": "a long enough passphrase 42",
    "password2": "a long enough passphrase 42",
}
REFUSED = "A confirmation link works once"


def _signed_up(client: Client) -> str:
    client.post("/accounts/signup/", SIGNUP)
    body = OutboxMessage.objects.get(kind="verify-email").body
    match = re.search(r"https?://[^/\s]+(/accounts/verify/[^\s]+)", body)
    assert match, body
    return match.group(1)


def _answer(response: object) -> tuple[int, bool, bool]:
    html = response.content.decode()  # type: ignore[attr-defined]
    return response.status_code, REFUSED in html, "Sign in" in html  # type: ignore[attr-defined]


def test_a_second_use_of_the_link_is_refused_with_a_clear_page_and_signs_nobody_in() -> None:
    first = Client()
    link = _signed_up(first)
    assert first.post(link).status_code == 302

    second = Client()
    shown = second.get(link)
    posted = second.post(link)

    assert (_answer(shown), _answer(posted), "_auth_user_id" in second.session) == (
        (400, True, True),
        (400, True, True),
        False,
    )


def test_the_link_is_refused_once_the_address_is_verified_another_way() -> None:
    client = Client()
    link = _signed_up(client)
    User.objects.update(email_verified_at=timezone.now())

    assert _answer(client.post(link)) == (400, True, True)
    assert "_auth_user_id" not in client.session


def test_the_link_is_refused_after_a_password_reset() -> None:
    client = Client()
    link = _signed_up(client)
    client.post("/accounts/password-reset/", {"email": SIGNUP["email"]})
    reset_body = OutboxMessage.objects.get(kind="password-reset").body
    reset = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", reset_body)
    assert reset, reset_body
    form = client.get(reset.group(1), follow=True)
    new_password = "another long passphrase 43"
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert User.objects.get().check_password(new_password)

    response = client.post(link)

    assert (_answer(response), User.objects.get().is_email_verified) == ((400, True, True), False)
    assert "_auth_user_id" not in client.session


def test_the_link_still_works_on_its_last_day_and_not_after() -> None:
    link = _signed_up(Client())
    later = timezone.now() + timedelta(days=3) - timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(later + timedelta(minutes=2), tick=False):
        assert Client().get(link).status_code == 400


def test_a_link_made_for_another_person_id_is_refused() -> None:
    link = _signed_up(Client())
    other = User.objects.create_user(
        username="b@example.org", email="b@example.org", display_name="B", password="x"
    )
    secret = link.rstrip("/").rsplit("/", 1)[1].partition(".")[2]
    forged = f"/accounts/verify/{urlsafe_base64_encode(force_bytes(other.pk))}.{secret}/"
    assert Client().post(forged).status_code == 400
    assert User.objects.get(pk=other.pk).is_email_verified is False
