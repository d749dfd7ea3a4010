"""The profile's course content language is a choice of the languages on offer (issue 10
item 8, issue 11 item 7): the site's languages and what published courses are offered in,
each in its own name; anything else is refused with the rest of the form kept."""

from importlib import import_module

import pytest
from django.apps import apps as registry
from django.test import Client

from cohortkit.accounts.models import User
from tests.factories import CourseFactory, UserFactory
from tests.factories.translations import LanguageVersionFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Amina Example",
    "timezone": "Africa/Lagos",
    "home_community": "Wiki Club",
    "interface_language": "",
    "content_language": "",
}


def _choices(response: object) -> list[tuple[str, str]]:
    field = response.context["form"].fields["content_language"]  # type: ignore[attr-defined]
    return [(str(code), str(name)) for code, name in field.choices]


def test_the_choice_is_the_site_and_course_languages_in_their_own_names(client: Client) -> None:
    german = CourseFactory(language="de")
    LanguageVersionFactory(course=german, language="pt-br", is_published=True)
    LanguageVersionFactory(course=german, language="sw", is_published=False)  # not yet offered
    CourseFactory(language="ja", is_published=False)  # not offered
    client.force_login(UserFactory())

    response = client.get("/accounts/profile/")

    assert _choices(response) == [
        ("", "As my browser says"),
        ("ar", "العربية"),
        ("de", "Deutsch"),
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("pt-br", "Português Brasileiro"),
    ]
    html = response.content.decode()
    assert '<select name="content_language"' in html
    assert '<option value="pt-br">Português Brasileiro</option>' in html


def test_a_language_on_offer_is_saved(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = client.post("/accounts/profile/", {**PROFILE, "content_language": "es"})
    person.refresh_from_db()
    assert (response.status_code, person.content_language) == (302, "es")


@pytest.mark.parametrize("typed", ["Spanish", "xx", "es-xx", "<b>es</b>", "sw"])
def test_a_language_not_on_offer_is_refused_naming_it_and_the_rest_is_kept(
    client: Client, typed: str
) -> None:
    person = UserFactory(display_name="Before", content_language="", timezone="UTC")
    client.force_login(person)

    response = client.post("/accounts/profile/", {**PROFILE, "content_language": typed})

    assert response.context["form"].errors == {
        "content_language": [
            f"“{typed}” is not one of the languages on offer: choose one from the list."
        ]
    }
    html = response.content.decode()
    assert 'value="Amina Example"' in html
    assert 'value="Wiki Club"' in html
    assert 'value="Africa/Lagos"' in html
    assert "<b>es</b>" not in html
    person.refresh_from_db()
    assert (person.display_name, person.content_language, person.timezone) == ("Before", "", "UTC")


def test_a_language_chosen_before_it_was_withdrawn_stays_choosable(client: Client) -> None:
    person = UserFactory(content_language="sw")  # no course offers Swahili (any more)
    client.force_login(person)
    page = client.get("/accounts/profile/")
    assert ("sw", "Kiswahili") in _choices(page)

    response = client.post("/accounts/profile/", {**PROFILE, "content_language": "sw"})

    person.refresh_from_db()
    assert (response.status_code, person.content_language, person.display_name) == (
        302,
        "sw",
        "Amina Example",
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Spanish", "es"),
        ("español", "es"),
        ("  ESPAÑOL ", "es"),
        ("espanol", "es"),
        ("ES", "es"),
        ("es", "es"),
        ("pt_BR", "pt-br"),
        ("Português", "pt"),  # at most 16 characters were ever stored
        ("es-419", "es"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("Klingon", ""),
        ("x", ""),
        ("<script>", ""),
    ],
)
def test_free_text_content_languages_become_codes_or_are_cleared(before: str, after: str) -> None:
    migration = import_module("cohortkit.accounts.migrations.0003_content_language_codes")
    person = UserFactory(content_language=before)
    untouched = UserFactory(content_language="")

    migration.codes_for_names(registry, None)

    assert list(
        User.objects.filter(pk__in=[person.pk, untouched.pk])
        .order_by("pk")
        .values_list("content_language", flat=True)
    ) == [after, ""]
