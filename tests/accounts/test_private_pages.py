"""Pages with personal data are never kept by shared caches (issue 10 item 8)."""

import pytest
from django.urls import reverse

from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _run_url(cast: Cast, name: str) -> str:
    return reverse(name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})


def test_every_page_for_a_signed_in_person_is_private_and_not_stored(cast: Cast) -> None:
    urls = [
        reverse("accounts:profile"),
        _run_url(cast, "applications:list"),
        _run_url(cast, "applications:export"),
        _run_url(cast, "learning:grid"),
        _run_url(cast, "learning:assignments"),
        _run_url(cast, "courses:run"),
    ]
    client = cast.client_for("coordinator")

    found = {url: (client.get(url).status_code, client.get(url)["Cache-Control"]) for url in urls}

    assert {url: (status, set(value.split(", "))) for url, (status, value) in found.items()} == {
        url: (200, {"private", "no-store"}) for url in urls
    }


def test_public_pages_for_anonymous_visitors_are_not_marked(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(
        reverse("courses:detail", kwargs={"slug": cast.run.course.slug})
    )

    assert (response.status_code, response.has_header("Cache-Control")) == (200, False)
