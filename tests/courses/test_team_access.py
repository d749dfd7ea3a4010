"""Who may open the course team's pages: one answer per URL and role of the `cast` fixture;
another run's objects answer 404 through this run; GET changes nothing."""

import pytest
from django.urls import reverse

from cohortkit.courses.models import Invitation, Module, Role, Run, RunRole, Topic
from cohortkit.learning.models import LearningPolicy
from cohortkit.notifications.models import OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories import ModuleFactory, RunFactory, TopicFactory

URL_NAMES = {
    "courses:run_new",
    "courses:team",
    "courses:run_settings",
    "courses:team_invite",
    "courses:role_remove",
    "courses:invitation_withdraw",
    "courses:outline",
    "courses:module_new",
    "courses:module_edit",
    "courses:module_move",
    "courses:topic_new",
    "courses:topic_move",
    "courses:invitation",
    "learning:completion_rules",
}

LOGIN = "login"
COORDINATORS = {
    "anonymous": LOGIN,
    "participant": 403,
    "other_participant": 403,
    "reviewer": 403,
    "facilitator": 403,
    "coordinator": 200,
}


def _objects(cast: Cast) -> dict[str, int]:
    module = ModuleFactory(run=cast.run, position=1)
    topic = TopicFactory(module=module, position=1)
    TopicFactory(module=module, position=2)
    ModuleFactory(run=cast.run, position=2)
    role = RunRole.objects.get(run=cast.run, user=cast.reviewer)
    invitation = Invitation.objects.create(
        run=cast.run, email="new@example.org", role=Role.FACILITATOR, created_at=cast.run.starts_at
    )
    return {"module": module.pk, "topic": topic.pk, "role": role.pk, "invitation": invitation.pk}


def _url(cast: Cast, name: str, objects: dict[str, int], run: Run | None = None) -> str:
    the_run = run or cast.run
    kwargs: dict[str, object] = {"slug": the_run.course.slug, "run": the_run.slug}
    if name == "courses:run_new":
        kwargs = {"slug": the_run.course.slug}
    elif name in {"courses:module_edit", "courses:topic_new"}:
        kwargs["pk"] = objects["module"]
    elif name == "courses:module_move":
        kwargs.update(pk=objects["module"], direction="down")
    elif name == "courses:topic_move":
        kwargs.update(pk=objects["topic"], direction="down")
    elif name == "courses:role_remove":
        kwargs["pk"] = objects["role"]
    elif name == "courses:invitation_withdraw":
        kwargs["pk"] = objects["invitation"]
    return reverse(name, kwargs=kwargs)


PAGES = [
    "courses:run_new",
    "courses:team",
    "courses:run_settings",
    "courses:outline",
    "courses:module_edit",
    "learning:completion_rules",
]
POSTS = [
    "courses:team_invite",
    "courses:role_remove",
    "courses:invitation_withdraw",
    "courses:module_new",
    "courses:module_move",
    "courses:topic_new",
    "courses:topic_move",
    "courses:run_settings",
    "courses:module_edit",
    "learning:completion_rules",
    "courses:run_new",
]


def _expect(response, expected: object) -> object:  # type: ignore[no-untyped-def]
    if expected == LOGIN:
        return (response.status_code, response["Location"].split("?")[0]) == (
            302,
            reverse("accounts:login"),
        )
    return response.status_code == expected


@pytest.mark.parametrize("name", PAGES)
def test_page_access_per_role(cast: Cast, name: str) -> None:
    objects = _objects(cast)
    url = _url(cast, name, objects)

    answers = {role: cast.client_for(role).get(url) for role in ROLES}

    assert {role: _expect(r, COORDINATORS[role]) for role, r in answers.items()} == dict.fromkeys(
        ROLES, True
    )


@pytest.mark.parametrize("name", POSTS)
def test_changes_need_a_coordinator_and_nothing_changes_for_others(cast: Cast, name: str) -> None:
    objects = _objects(cast)
    url = _url(cast, name, objects)
    models = (Run, RunRole, Invitation, Module, Topic, LearningPolicy, OutboxMessage)
    before = snapshot(*models)

    answers = {
        role: cast.client_for(role).post(url, {}).status_code
        for role in ROLES
        if role != "coordinator"
    }

    assert answers == {
        "anonymous": 302,  # to the login page
        "participant": 403,
        "other_participant": 403,
        "reviewer": 403,
        "facilitator": 403,
    }
    assert snapshot(*models) == before


@pytest.mark.parametrize("name", PAGES)
def test_get_changes_nothing(cast: Cast, name: str) -> None:
    objects = _objects(cast)
    models = (Run, RunRole, Invitation, Module, Topic, LearningPolicy, OutboxMessage)
    before = snapshot(*models)

    cast.client_for("coordinator").get(_url(cast, name, objects))

    assert snapshot(*models) == before


def test_the_coordinator_of_one_run_may_create_runs_of_its_course_only(cast: Cast) -> None:
    unrelated = RunFactory()
    client = cast.client_for("coordinator")

    assert (
        client.get(reverse("courses:run_new", kwargs={"slug": cast.run.course.slug})).status_code
        == 200
    )
    assert (
        client.get(reverse("courses:run_new", kwargs={"slug": unrelated.course.slug})).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("name", "obj"),
    [
        ("courses:module_edit", "module"),
        ("courses:module_move", "module"),
        ("courses:topic_new", "module"),
        ("courses:topic_move", "topic"),
        ("courses:role_remove", "role"),
        ("courses:invitation_withdraw", "invitation"),
    ],
)
def test_another_runs_objects_are_not_found_through_this_run(
    cast: Cast, name: str, obj: str
) -> None:
    # The coordinator of the other run asks for this run's objects through their own run.
    RunRole.objects.create(run=cast.other_run, user=cast.coordinator, role=Role.COORDINATOR)
    objects = _objects(cast)
    url = _url(cast, name, objects, run=cast.other_run)
    client = cast.client_for("coordinator")

    response = client.get(url) if name == "courses:module_edit" else client.post(url)

    assert response.status_code == 404


def test_an_invitation_link_is_public_but_unknown_tokens_are_not_found(cast: Cast) -> None:
    invitation = Invitation.objects.create(
        run=cast.run, email="new@example.org", role=Role.REVIEWER, created_at=cast.run.starts_at
    )
    url = reverse("courses:invitation", kwargs={"token": invitation.token})

    answers = {role: cast.client_for(role).get(url).status_code for role in ROLES}
    missing = cast.client_for("anonymous").get(reverse("courses:invitation", kwargs={"token": "x"}))

    assert answers == dict.fromkeys(ROLES, 200)
    assert missing.status_code == 404


def test_the_url_names_are_the_ones_tested(cast: Cast) -> None:
    objects = _objects(cast)
    invitation = Invitation.objects.get(pk=objects["invitation"])
    urls = [_url(cast, name, objects) for name in [*PAGES, *POSTS]]
    urls.append(reverse("courses:invitation", kwargs={"token": invitation.token}))

    assert view_names(urls) == URL_NAMES
