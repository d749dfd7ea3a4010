"""Anonymous visitors refused a page are sent to the login page, coming back afterwards."""

import pytest
from django.urls import reverse

from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _list_url(cast: Cast) -> str:
    run = cast.run
    return reverse("applications:list", kwargs={"slug": run.course.slug, "run": run.slug})


def test_anonymous_get_of_a_staff_page_goes_to_login_and_back(cast: Cast) -> None:
    url = _list_url(cast) + "?state=submitted"
    response = cast.client_for("anonymous").get(url)
    assert response.status_code == 302
    login = reverse("accounts:login")
    assert response["Location"].startswith(f"{login}?next=")
    follow = cast.client_for("anonymous").get(response["Location"])
    assert follow.status_code == 200
    assert follow.context["next"] == url


def test_htmx_requests_are_told_where_to_go(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(_list_url(cast), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")


def test_signed_in_people_without_the_role_still_get_403(cast: Cast) -> None:
    assert cast.client_for("participant").get(_list_url(cast)).status_code == 403


def test_an_anonymous_post_goes_to_login_too(cast: Cast) -> None:
    run = cast.run
    url = reverse("applications:selection", kwargs={"slug": run.course.slug, "run": run.slug})
    response = cast.client_for("anonymous").post(url, {})
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('accounts:login')}?next={url}",
    )


def test_a_signed_in_person_refused_a_post_still_gets_403(cast: Cast) -> None:
    run = cast.run
    url = reverse("applications:selection", kwargs={"slug": run.course.slug, "run": run.slug})
    assert cast.client_for("participant").post(url, {}).status_code == 403
