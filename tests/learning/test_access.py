"""Every learning URL for every role of the cast; GET never changes anything."""

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from cohortkit.courses.models import RunRole
from cohortkit.notifications.models import OutboxMessage
from tests.conftest import ROLES, Cast
from tests.learning.conftest import IN_RUN

MEMBERS = {"participant": 200, "reviewer": 200, "facilitator": 200, "coordinator": 200}
STAFF = {"participant": 403, "reviewer": 403, "facilitator": 200, "coordinator": 200}
COORDINATOR = {"participant": 403, "reviewer": 403, "facilitator": 403, "coordinator": 200}


def pages(cast: Cast, world: dict[str, object]) -> list[tuple[str, dict[str, int]]]:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return [
        (reverse("learning:modules", kwargs=run), MEMBERS),
        (reverse("learning:module", kwargs={**run, "position": 1}), MEMBERS),
        (reverse("learning:assignments", kwargs=run), MEMBERS),
        (reverse("learning:assignment", kwargs={**run, "pk": world["assignment"].pk}), MEMBERS),  # type: ignore[attr-defined]
        (reverse("learning:talk", kwargs=run), MEMBERS),
        (reverse("learning:module_talk", kwargs={**run, "position": 1}), MEMBERS),
        (reverse("learning:thread", kwargs={**run, "pk": world["thread"].pk}), MEMBERS),  # type: ignore[attr-defined]
        (reverse("learning:talk_settings", kwargs=run), MEMBERS),
        (reverse("learning:topic_edit", kwargs={**run, "pk": world["topic"].pk}), STAFF),  # type: ignore[attr-defined]
        (reverse("learning:grid", kwargs=run), STAFF),
        (reverse("learning:assignment_new", kwargs=run), STAFF),
        (reverse("learning:assignment_edit", kwargs={**run, "pk": world["assignment"].pk}), STAFF),  # type: ignore[attr-defined]
        (reverse("learning:submission", kwargs={**run, "pk": world["submission"].pk}), STAFF),  # type: ignore[attr-defined]
        (reverse("learning:completion", kwargs=run), STAFF),
        (reverse("learning:at_risk", kwargs=run), COORDINATOR),
        (
            reverse("learning:support_person", kwargs={**run, "user_id": cast.participant.pk}),
            COORDINATOR,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_as_the_access_rule_says(
    cast: Cast, world: dict[str, object], role: str
) -> None:
    client = cast.client_for(role)
    with time_machine.travel(IN_RUN, tick=False):
        seen = {url: client.get(url).status_code for url, _ in pages(cast, world)}
    if role == "anonymous":
        expected = dict.fromkeys(seen, 302)
    elif role == "other_participant":
        expected = dict.fromkeys(seen, 403)
    else:
        expected = {url: rule[role] for url, rule in pages(cast, world)}
    assert seen == expected


def test_anonymous_is_sent_to_log_in(cast: Cast, world: dict[str, object]) -> None:
    url = reverse("learning:modules", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    response = cast.client_for("anonymous").get(url)
    assert response.headers["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_objects_of_another_run_answer_404_under_this_run(
    cast: Cast, world: dict[str, object]
) -> None:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    urls = [
        reverse("learning:assignment", kwargs={**run, "pk": world["other_assignment"].pk}),  # type: ignore[attr-defined]
        reverse("learning:thread", kwargs={**run, "pk": world["other_thread"].pk}),  # type: ignore[attr-defined]
        reverse("learning:topic_edit", kwargs={**run, "pk": world["other_topic"].pk}),  # type: ignore[attr-defined]
        reverse("learning:submission", kwargs={**run, "pk": world["other_submission"].pk}),  # type: ignore[attr-defined]
        reverse("learning:support_person", kwargs={**run, "user_id": cast.other_participant.pk}),
    ]
    client = cast.client_for("coordinator")
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    post = reverse("learning:topic_done", kwargs={**run, "pk": world["other_topic"].pk})  # type: ignore[attr-defined]
    with time_machine.travel(IN_RUN, tick=False):
        assert cast.client_for("participant").post(post, {"done": "on"}).status_code == 404


def _counts() -> dict[str, int]:
    models = [*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole]
    return {model.__name__: model.objects.count() for model in models}


def test_get_changes_nothing(cast: Cast, world: dict[str, object]) -> None:
    before = _counts()
    with time_machine.travel(IN_RUN, tick=False):
        for role in ROLES:
            client = cast.client_for(role)
            for url, _ in pages(cast, world):
                client.get(url)
    assert _counts() == before


def test_post_only_urls_refuse_get(cast: Cast, world: dict[str, object]) -> None:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    urls = [
        reverse("learning:topic_done", kwargs={**run, "pk": world["topic"].pk}),  # type: ignore[attr-defined]
        reverse("learning:preview", kwargs=run),
        reverse("learning:enrol", kwargs=run),
        reverse("learning:issue_certificates", kwargs=run),
        reverse("learning:thread_hide", kwargs={**run, "pk": world["thread"].pk}),  # type: ignore[attr-defined]
    ]
    client = cast.client_for("coordinator")
    assert [client.get(url).status_code for url in urls] == [405] * len(urls)
