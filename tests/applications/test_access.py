"""Every applications page, for every role of the access rule; GET changes nothing."""

import pytest
from django.urls import reverse

from cohortkit.applications.models import Application, ApplicationReview
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import ROLES, Cast
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory

# role -> expected status for pages only coordinators open
COORDINATOR_ONLY = {
    "anonymous": 403,
    "participant": 403,
    "other_participant": 403,
    "reviewer": 403,
    "facilitator": 403,
    "coordinator": 200,
}
REVIEWERS = {**COORDINATOR_ONLY, "reviewer": 200}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}


def kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": cast.run.course.slug, "run": cast.run.slug}


PAGES = [
    ("applications:apply", SIGNED_IN),
    ("applications:reviews", REVIEWERS),
    ("applications:list", COORDINATOR_ONLY),
    ("applications:export", COORDINATOR_ONLY),
    ("applications:setup", COORDINATOR_ONLY),
    ("applications:progress", COORDINATOR_ONLY),
    ("applications:selection", COORDINATOR_ONLY),
    ("applications:outbox", COORDINATOR_ONLY),
    ("reports:applications", COORDINATOR_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), PAGES)
def test_run_pages_answer_each_role(cast: Cast, role: str, name: str, expected: dict) -> None:
    response = cast.client_for(role).get(reverse(name, kwargs=kwargs(cast)))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_application_detail_answers_each_role(cast: Cast, role: str) -> None:
    application = ApplicationFactory(run=cast.run)
    url = reverse("applications:detail", kwargs={**kwargs(cast), "pk": application.pk})
    assert cast.client_for(role).get(url).status_code == COORDINATOR_ONLY[role]


@pytest.mark.parametrize("role", ROLES)
def test_review_page_answers_only_the_assigned_reviewer(cast: Cast, role: str) -> None:
    review = ApplicationReviewFactory(application__run=cast.run, reviewer=cast.reviewer)
    url = reverse("applications:review", kwargs={**kwargs(cast), "pk": review.pk})
    expected = {**COORDINATOR_ONLY, "reviewer": 200, "coordinator": 404}
    assert cast.client_for(role).get(url).status_code == expected[role]


def test_another_runs_application_is_not_found_through_this_run(cast: Cast) -> None:
    other = ApplicationFactory(run=cast.other_run)
    url = reverse("applications:detail", kwargs={**kwargs(cast), "pk": other.pk})
    assert cast.client_for("coordinator").get(url).status_code == 404


def test_chart_answers_coordinators_only_and_is_an_svg(cast: Cast) -> None:
    url = reverse("reports:applications_chart", kwargs={**kwargs(cast), "dimension": "region"})
    statuses = {role: cast.client_for(role).get(url).status_code for role in ROLES}
    assert statuses == COORDINATOR_ONLY
    response = cast.client_for("coordinator").get(url)
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<script" not in response.content


@pytest.mark.parametrize("role", ["participant", "reviewer", "coordinator"])
def test_get_changes_nothing(cast: Cast, role: str) -> None:
    application = ApplicationFactory(run=cast.run)
    ApplicationReviewFactory(application=application, reviewer=cast.reviewer)
    before = (
        Application.objects.count(),
        ApplicationReview.objects.count(),
        OutboxMessage.objects.count(),
    )
    client = cast.client_for(role)
    for name, _expected in PAGES:
        client.get(reverse(name, kwargs=kwargs(cast)))
    client.get(reverse("applications:detail", kwargs={**kwargs(cast), "pk": application.pk}))
    client.get(reverse("applications:save_draft", kwargs=kwargs(cast)))
    after = (
        Application.objects.count(),
        ApplicationReview.objects.count(),
        OutboxMessage.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(
    "name",
    ["applications:save_draft", "applications:withdraw", "applications:assign",
     "applications:record", "applications:prepare", "applications:release"],
)  # fmt: skip
def test_post_only_endpoints_refuse_get(cast: Cast, name: str) -> None:
    assert cast.client_for("coordinator").get(reverse(name, kwargs=kwargs(cast))).status_code == 405


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name",
    ["applications:assign", "applications:record", "applications:prepare", "applications:release"],
)
def test_coordinator_actions_refuse_other_roles(cast: Cast, role: str, name: str) -> None:
    if role == "coordinator":
        return
    response = cast.client_for(role).post(reverse(name, kwargs=kwargs(cast)))
    assert response.status_code == 403
