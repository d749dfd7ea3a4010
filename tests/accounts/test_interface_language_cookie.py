"""The profile's interface language travels in LocaleMiddleware's cookie once the person
signs in, confirms their address or saves their profile; without one, the browser decides."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cohortkit.accounts.tokens import make_verification_token
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {"display_name": "Amina", "timezone": "Africa/Nairobi", "content_language": ""}


def _cookie(response: object) -> str | None:
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)  # type: ignore[attr-defined]
    return cookie.value if cookie is not None else None


@pytest.mark.parametrize("language", ["es", ""])
def test_signing_in_keeps_the_profiles_interface_language(language: str) -> None:
    person = UserFactory(interface_language=language)
    response = Client().post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert (response.status_code, _cookie(response)) == (302, language or None)


@pytest.mark.parametrize("language", ["ar", ""])
def test_confirming_the_address_keeps_the_profiles_interface_language(language: str) -> None:
    person = UserFactory(interface_language=language, email_verified_at=None)
    url = reverse("accounts:verify", kwargs={"token": make_verification_token(person)})
    response = Client().post(url)
    assert (response.status_code, _cookie(response)) == (302, language or None)


@pytest.mark.parametrize("language", ["fr", ""])
def test_saving_the_profile_keeps_its_interface_language(language: str) -> None:
    client = Client()
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:profile"), {**PROFILE, "interface_language": language})
    assert (response.status_code, _cookie(response)) == (302, language or None)
