"""Passwords are stored with Argon2id at OWASP's strength; earlier hashes still sign in and
are upgraded at the next sign-in (cohortkit/accounts/hashers.py)."""

import importlib

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher
from django.test import Client

from cohortkit.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_HASHERS = importlib.import_module("cohortkit.settings").PASSWORD_HASHERS
PASSPHRASE = "a long enough passphrase 42"


@pytest.fixture(autouse=True)
def _project_hashers(settings: object) -> None:
    # The suite's fast MD5 hasher (tests/conftest.py) is replaced by what the site uses.
    settings.PASSWORD_HASHERS = PROJECT_HASHERS  # type: ignore[attr-defined]


def _parameters(encoded: str) -> tuple[str, int, int, int]:
    algorithm, rest = encoded.split("$", 1)
    parameters = argon2.extract_parameters("$" + rest)
    return (
        f"{algorithm}/{parameters.type.name.lower()}",
        parameters.memory_cost,
        parameters.time_cost,
        parameters.parallelism,
    )


def test_a_sign_up_stores_the_password_with_argon2id_at_32_mib_two_passes_one_lane(
    client: Client,
) -> None:
    client.post(
        "/accounts/signup/",
        {
            "display_name": "Aroha Example",
            "email": "aroha@example.org",
            "timezone": "Pacific/Auckland",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )
    person = User.objects.get(email="aroha@example.org")
    assert _parameters(person.password) == ("argon2/id", 32 * 1024, 2, 1)
    assert person.check_password(PASSPHRASE)
    assert not person.check_password(PASSPHRASE + "!")


@pytest.mark.parametrize(
    "earlier",
    [PBKDF2PasswordHasher(), Argon2PasswordHasher()],
    ids=["pbkdf2, Django's default before", "argon2 with Django's parameters"],
)
def test_an_earlier_hash_signs_in_and_is_stored_again_with_argon2id(earlier: object) -> None:
    person = UserFactory(email="kofi@example.org")
    person.password = earlier.encode(PASSPHRASE, earlier.salt())  # type: ignore[attr-defined]
    person.save(update_fields=["password"])
    before = person.password

    wrong = Client().post("/accounts/login/", {"username": person.email, "password": "wrong"})
    person.refresh_from_db()
    assert (wrong.status_code, person.password) == (200, before)

    client = Client()
    response = client.post("/accounts/login/", {"username": person.email, "password": PASSPHRASE})
    person.refresh_from_db()
    assert (response.status_code, client.session["_auth_user_id"]) == (302, str(person.pk))
    assert _parameters(person.password) == ("argon2/id", 32 * 1024, 2, 1)
    again = Client()
    again.post("/accounts/login/", {"username": person.email, "password": PASSPHRASE})
    assert again.session["_auth_user_id"] == str(person.pk)
