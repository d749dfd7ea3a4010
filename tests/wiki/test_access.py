"""The run's wiki pages for each role: the settings for coordinators, the participants' edits
for facilitators and coordinators, sharing for participants; another run's people are
refused; anonymous visitors are asked to sign in (GET and POST); GET changes nothing."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from cohortkit.courses.models import Role
from cohortkit.wiki.models import EditSharing, RunWikis, Wiki
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories import RunRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

URL_NAMES = {"wiki:settings", "wiki:edits", "wiki:read_edits", "wiki:sharing"}

REFUSED = {"participant": 403, "other_participant": 403, "reviewer": 403, "facilitator": 403}
EXPECTED_GET = {
    "wiki:settings": {"anonymous": 302, **REFUSED, "coordinator": 200},
    "wiki:edits": {"anonymous": 302, **REFUSED, "facilitator": 200, "coordinator": 200},
    "wiki:sharing": {"anonymous": 302, **REFUSED, "participant": 200, "coordinator": 200},
}


def url(cast: Cast, name: str, run=None) -> str:
    run = run or cast.run
    return reverse(name, kwargs={"slug": run.course.slug, "run": run.slug})


@pytest.mark.parametrize("name", sorted(EXPECTED_GET))
def test_each_role_gets_the_expected_answer_and_get_changes_nothing(cast: Cast, name: str) -> None:
    before = snapshot(RunWikis, EditSharing, DBTaskResult)
    answers = {role: cast.client_for(role).get(url(cast, name)).status_code for role in ROLES}
    assert answers == EXPECTED_GET[name]
    assert snapshot(RunWikis, EditSharing, DBTaskResult) == before


def test_reading_the_edits_again_is_a_post_for_facilitators_and_coordinators(cast: Cast) -> None:
    target = url(cast, "wiki:read_edits")
    answers = {role: cast.client_for(role).post(target).status_code for role in ROLES}
    assert answers == {"anonymous": 302, **REFUSED, "facilitator": 302, "coordinator": 302}
    assert cast.client_for("anonymous").post(target)["Location"].startswith("/accounts/login/")
    assert DBTaskResult.objects.count() == 2  # one read queued by each of the two allowed
    assert cast.client_for("coordinator").get(target).status_code == 405


def test_anonymous_posts_change_nothing_and_lead_to_the_login_page(cast: Cast) -> None:
    wiki = Wiki.objects.create(name="W", api_url="http://127.0.0.1:9/api.php")
    before = snapshot(RunWikis, EditSharing)
    client = cast.client_for("anonymous")
    for name, data in [
        ("wiki:settings", {"wikis": [wiki.pk], "page_prefix": "X"}),
        ("wiki:sharing", {}),
    ]:
        response = client.post(url(cast, name), data)
        assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (
            302,
            True,
        )
    assert snapshot(RunWikis, EditSharing) == before


def test_the_staff_of_another_run_are_refused(cast: Cast) -> None:
    elsewhere = UserFactory()
    RunRoleFactory(run=cast.other_run, user=elsewhere, role=Role.COORDINATOR)
    RunRoleFactory(run=cast.other_run, user=elsewhere, role=Role.FACILITATOR)
    cast.coordinator = elsewhere  # type: ignore[misc]
    client = cast.client_for("coordinator")
    assert {client.get(url(cast, name)).status_code for name in EXPECTED_GET} == {403}
    assert client.post(url(cast, "wiki:settings"), {"page_prefix": "X"}).status_code == 403
    assert not RunWikis.objects.exists()


def test_an_unknown_run_is_not_found(cast: Cast) -> None:
    client = cast.client_for("coordinator")
    missing = reverse("wiki:edits", kwargs={"slug": cast.run.course.slug, "run": "no-such-run"})
    assert client.get(missing).status_code == 404


def test_url_names_are_the_ones_the_tables_request(cast: Cast) -> None:
    assert view_names([url(cast, name) for name in URL_NAMES]) == URL_NAMES
