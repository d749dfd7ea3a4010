"""The cohort report's page, charts and CSV files: coordinators of the run only; another
run's coordinator is refused; an unknown report is 404; GET changes nothing."""

import pytest
from django.urls import reverse

from cohortkit.applications.models import Application
from cohortkit.courses.models import Role, RunRole
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories import RunRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

URL_NAMES = {"reports:cohort", "reports:cohort_chart", "reports:cohort_csv"}

COORDINATOR_ONLY = {
    "anonymous": 302,  # asked to sign in first
    "participant": 403,
    "other_participant": 403,
    "reviewer": 403,
    "facilitator": 403,
    "coordinator": 200,
}


def urls(cast: Cast) -> list[str]:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return [
        reverse("reports:cohort", kwargs=kwargs),
        *(reverse("reports:cohort_chart", kwargs={**kwargs, "report": r}) for r in ("funnel", "attendance", "seats")),
        *(reverse("reports:cohort_csv", kwargs={**kwargs, "report": r}) for r in ("funnel", "attendance", "seats")),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(7))
def test_each_role_gets_the_expected_answer(cast: Cast, index: int) -> None:
    url = urls(cast)[index]
    assert {role: cast.client_for(role).get(url).status_code for role in ROLES} == COORDINATOR_ONLY


def test_the_coordinator_of_another_run_is_refused(cast: Cast) -> None:
    elsewhere = UserFactory()
    RunRoleFactory(run=cast.other_run, user=elsewhere, role=Role.COORDINATOR)
    cast.coordinator = elsewhere  # type: ignore[misc]
    assert {cast.client_for("coordinator").get(url).status_code for url in urls(cast)} == {403}


def test_an_unknown_report_is_not_found(cast: Cast) -> None:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug, "report": "salaries"}
    client = cast.client_for("coordinator")
    assert [
        client.get(reverse("reports:cohort_chart", kwargs=kwargs)).status_code,
        client.get(reverse("reports:cohort_csv", kwargs=kwargs)).status_code,
    ] == [404, 404]


def test_get_changes_nothing(cast: Cast) -> None:
    before = snapshot(RunRole, Application)
    for url in urls(cast):
        cast.client_for("coordinator").get(url)
    assert snapshot(RunRole, Application) == before


def test_url_names_are_the_ones_the_tables_request(cast: Cast) -> None:
    assert view_names(urls(cast)) == URL_NAMES
