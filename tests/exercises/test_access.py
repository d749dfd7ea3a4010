"""Every exercises URL for every role of the cast; another run's objects answer 404; GET
never changes anything."""

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.exercises.conftest import IN_RUN

URL_NAMES = {
    "exercises:list",
    "exercises:new",
    "exercises:import",
    "exercises:exercise",
    "exercises:retry",
    "exercises:answer",
    "exercises:edit",
    "exercises:export",
    "exercises:question_new",
    "exercises:question_edit",
    "exercises:question_delete",
    "exercises:analysis",
    "exercises:analysis_csv",
    "exercises:analysis_chart",
}

MEMBERS = {"participant": 200, "reviewer": 200, "facilitator": 200, "coordinator": 200}
STAFF = {"participant": 403, "reviewer": 403, "facilitator": 200, "coordinator": 200}


def _ids(world: dict[str, object], prefix: str = "") -> dict[str, int]:
    exercise = world[f"{prefix}exercise"]
    question = world[f"{prefix}questions"][0]  # type: ignore[index]
    return {"pk": exercise.pk, "question": question.pk}  # type: ignore[attr-defined]


def pages(
    cast: Cast, world: dict[str, object], prefix: str = ""
) -> list[tuple[str, dict[str, int]]]:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    ids = _ids(world, prefix)
    one = {**run, "pk": ids["pk"]}
    return [
        (reverse("exercises:list", kwargs=run), MEMBERS),
        (reverse("exercises:exercise", kwargs=one), MEMBERS),
        (reverse("exercises:new", kwargs=run), STAFF),
        (reverse("exercises:import", kwargs=run), STAFF),
        (reverse("exercises:edit", kwargs=one), STAFF),
        (reverse("exercises:export", kwargs=one), STAFF),
        (reverse("exercises:question_new", kwargs=one), STAFF),
        (reverse("exercises:question_edit", kwargs={**run, **ids}), STAFF),
        (reverse("exercises:analysis", kwargs=one), STAFF),
        (reverse("exercises:analysis_csv", kwargs=one), STAFF),
        (reverse("exercises:analysis_chart", kwargs={**run, **ids}), STAFF),
    ]


def actions(
    cast: Cast, world: dict[str, object], prefix: str = ""
) -> list[tuple[str, dict[str, object], dict[str, int]]]:
    """POST-only URLs: (url, data, role -> status)."""
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    ids = _ids(world, prefix)
    refused = dict.fromkeys(ROLES, 403) | {"anonymous": 302}
    return [
        # Answering and retrying are a participant's (coordinators pass every check).
        (
            reverse("exercises:answer", kwargs={**run, **ids}),
            {f"q{ids['question']}-choice": "1"},
            refused | {"participant": 302, "coordinator": 302},
        ),
        (
            reverse("exercises:retry", kwargs={**run, "pk": ids["pk"]}),
            {},
            refused | {"participant": 302, "coordinator": 302},
        ),
        (
            reverse("exercises:question_delete", kwargs={**run, **ids}),
            {},
            refused | {"facilitator": 302, "coordinator": 302},
        ),
    ]


def test_the_tables_cover_exactly_the_declared_names(cast: Cast, world: dict[str, object]) -> None:
    urls = [url for url, _ in pages(cast, world)] + [url for url, *_ in actions(cast, world)]
    assert view_names(urls) == URL_NAMES


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


@pytest.mark.parametrize("role", ROLES)
def test_each_action_answers_each_role_as_the_access_rule_says(
    cast: Cast, world: dict[str, object], role: str
) -> None:
    with time_machine.travel(IN_RUN, tick=False):
        seen = {
            url: cast.client_for(role).post(url, data).status_code
            for url, data, _ in actions(cast, world)
        }
    assert seen == {url: rule[role] for url, _data, rule in actions(cast, world)}


def test_the_import_form_takes_a_file_from_staff_only(cast: Cast, world: dict[str, object]) -> None:
    url = reverse("exercises:import", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    seen = {}
    for role in ROLES:
        upload = SimpleUploadedFile("bank.gift", b"Q {=a ~b}\n")
        seen[role] = (
            cast.client_for(role)
            .post(
                url,
                {"module": world["module"].pk, "file_format": "gift", "file": upload},  # type: ignore[attr-defined]
            )
            .status_code
        )
    assert seen == dict.fromkeys(ROLES, 403) | {
        "anonymous": 302,
        "facilitator": 302,
        "coordinator": 302,
    }


def test_objects_of_another_run_answer_404_under_this_run(
    cast: Cast, world: dict[str, object]
) -> None:
    client = cast.client_for("coordinator")
    other = f"/exercises/{world['other_exercise'].pk}/"  # type: ignore[attr-defined]
    urls = [url for url, _ in pages(cast, world, "other_") if other in url]
    with time_machine.travel(IN_RUN, tick=False):
        got = [client.get(url).status_code for url in urls]
        got += [
            client.post(url, data).status_code for url, data, _ in actions(cast, world, "other_")
        ]
    assert (len(urls), got) == (8, [404] * (8 + len(actions(cast, world))))


def test_get_changes_nothing(cast: Cast, world: dict[str, object]) -> None:
    before = snapshot(*apps.get_app_config("exercises").get_models())
    with time_machine.travel(IN_RUN, tick=False):
        for role in ROLES:
            client = cast.client_for(role)
            for url, _ in pages(cast, world):
                client.get(url)
            for url, *_ in actions(cast, world):
                client.get(url)
    assert snapshot(*apps.get_app_config("exercises").get_models()) == before


def test_an_anonymous_post_goes_to_the_login_page_and_changes_nothing(
    cast: Cast, world: dict[str, object]
) -> None:
    before = snapshot(*apps.get_app_config("exercises").get_models())
    anonymous = cast.client_for("anonymous")
    urls = [url for url, *_ in actions(cast, world)]
    urls += [url for url, _ in pages(cast, world)]  # the forms among them take POST too
    with time_machine.travel(IN_RUN, tick=False):
        answers = {url: anonymous.post(url, {"title": "x"}) for url in urls}
    login = reverse("accounts:login")
    assert {
        url: (r.status_code, r["Location"].split("?")[0]) for url, r in answers.items()
    } == dict.fromkeys(urls, (302, login))
    assert snapshot(*apps.get_app_config("exercises").get_models()) == before
