"""Who may open the foundation's pages: public pages for all, the profile for people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohortkit.courses.models import Role
from tests.access import view_names
from tests.conftest import ROLES, Cast

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "courses:home",
    "courses:catalogue",
    "courses:detail",
    "courses:run",
    "accounts:profile",
}


def _urls(cast: Cast) -> dict[str, str]:
    run = cast.run
    return {
        "home": "/",
        "catalogue": "/courses/",
        "course": f"/courses/{run.course.slug}/",
        "run": f"/courses/{run.course.slug}/{run.slug}/",
        "profile": "/accounts/profile/",
    }


EXPECTED = {
    # Visitors get the catalogue at the root, signed-in people their dashboard.
    "home": dict.fromkeys(ROLES, 200),
    "catalogue": dict.fromkeys(ROLES, 200),
    "course": dict.fromkeys(ROLES, 200),
    "run": dict.fromkeys(ROLES, 200),
    "profile": {**dict.fromkeys(ROLES, 200), "anonymous": 302},
}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_every_role_gets_the_expected_answer(cast: Cast, page: str) -> None:
    url = _urls(cast)[page]
    answers = {role: cast.client_for(role).get(url).status_code for role in ROLES}
    assert answers == EXPECTED[page]


@pytest.mark.parametrize("page", ["home", "catalogue", "course", "run", "profile"])
def test_get_changes_nothing(cast: Cast, page: str) -> None:
    client = cast.client_for("coordinator")
    with CaptureQueriesContext(connection) as context:
        client.get(_urls(cast)[page])
    writes = [
        query["sql"]
        for query in context.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]
    assert writes == []


def test_run_home_shows_the_persons_roles(cast: Cast) -> None:
    response = cast.client_for("facilitator").get(_urls(cast)["run"])
    assert [str(role) for role in response.context["roles"]] == [Role.FACILITATOR]
    response = cast.client_for("other_participant").get(_urls(cast)["run"])
    assert list(response.context["roles"]) == []


def test_unknown_run_of_a_known_course_is_404(cast: Cast) -> None:
    url = f"/courses/{cast.run.course.slug}/no-such-run/"
    assert cast.client_for("coordinator").get(url).status_code == 404


def test_url_names_are_the_ones_the_tables_request(cast: Cast) -> None:
    assert view_names(_urls(cast).values()) == URL_NAMES
