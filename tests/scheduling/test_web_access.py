"""Who may open each live-session page: one test per URL and role of the `cast` fixture."""

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import reverse

from cohortkit.notifications.models import OutboxMessage
from cohortkit.scheduling.models import Attendance, CalendarToken, SessionPlan
from cohortkit.scheduling.services import compute_plan
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories.scheduling import weekly_series

URL_NAMES = {
    "scheduling:schedule",
    "scheduling:availability",
    "scheduling:planner",
    "scheduling:plan",
    "scheduling:plan_heatmap",
    "scheduling:plan_accept",
    "scheduling:occurrence",
    "scheduling:occurrence_move",
    "scheduling:occurrence_cancel",
    "scheduling:occurrence_restore",
    "scheduling:occurrence_recording",
    "scheduling:session_details",
    "scheduling:occurrence_ics",
    "scheduling:attendance_sheet",
    "scheduling:attendance_row",
    "scheduling:attendance",
    "scheduling:attendance_csv",
    "scheduling:calendar",
    "scheduling:calendar_new",
    "scheduling:calendar_revoke",
    "scheduling:run_feed",
    "scheduling:personal_feed",
}

LOGIN = "login"
MEMBERS = {
    "anonymous": LOGIN,
    "participant": 200,
    "other_participant": 403,
    "reviewer": 200,
    "facilitator": 200,
    "coordinator": 200,
}
STAFF = {**MEMBERS, "participant": 403, "reviewer": 403}
GIVERS = {**MEMBERS, "reviewer": 403}  # availability: participants and staff
PUBLIC = dict.fromkeys(ROLES, 200)


def _objects(cast: Cast, obj: str | None) -> dict[str, int]:
    if obj == "occurrence":
        series = weekly_series(cast.run, members=[cast.participant])
        return {"occurrence": series.occurrences.first().pk}  # type: ignore[union-attr]
    if obj == "plan":
        plan = SessionPlan.objects.create(run=cast.run, sessions=1, duration_minutes=60)
        return {"plan": compute_plan(plan).pk}
    return {}


PAGES = [
    ("scheduling:schedule", None, MEMBERS),
    ("scheduling:availability", None, GIVERS),
    ("scheduling:planner", None, STAFF),
    ("scheduling:plan", "plan", STAFF),
    ("scheduling:plan_heatmap", "plan", STAFF),
    ("scheduling:occurrence", "occurrence", MEMBERS),
    ("scheduling:occurrence_ics", "occurrence", MEMBERS),
    ("scheduling:attendance_sheet", "occurrence", STAFF),
    ("scheduling:attendance", None, STAFF),
    ("scheduling:attendance_csv", None, STAFF),
    ("scheduling:calendar", None, MEMBERS),
    ("scheduling:run_feed", None, PUBLIC),
]


def _url(
    cast: Cast, name: str, obj: str | None, objects: dict[str, int], run: object = None
) -> str:
    the_run = run or cast.run
    kwargs = {"slug": the_run.course.slug, "run": the_run.slug}  # type: ignore[attr-defined]
    if obj:
        kwargs["pk"] = objects[obj]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "obj", "expected"), PAGES, ids=[page[0] for page in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_page_access_per_role(
    cast: Cast, role: str, name: str, obj: str | None, expected: dict
) -> None:
    url = _url(cast, name, obj, _objects(cast, obj))

    response = cast.client_for(role).get(url)

    if expected[role] == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (
            302,
            reverse("accounts:login"),
        )
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize(
    "name", ["scheduling:occurrence", "scheduling:occurrence_ics", "scheduling:attendance_sheet"]
)
def test_another_runs_session_is_not_found_through_this_run(cast: Cast, name: str) -> None:
    elsewhere = weekly_series(cast.other_run).occurrences.first()
    url = reverse(
        name,
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": elsewhere.pk},  # type: ignore[union-attr]
    )

    assert cast.client_for("coordinator").get(url).status_code == 404


def test_another_runs_plan_is_not_found_through_this_run(cast: Cast) -> None:
    plan = compute_plan(SessionPlan.objects.create(run=cast.other_run, duration_minutes=60))
    for name in ["scheduling:plan", "scheduling:plan_heatmap"]:
        url = reverse(
            name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": plan.pk}
        )
        assert cast.client_for("coordinator").get(url).status_code == 404


POSTS = [
    ("scheduling:occurrence_move", "occurrence", STAFF),
    ("scheduling:occurrence_cancel", "occurrence", STAFF),
    ("scheduling:occurrence_restore", "occurrence", STAFF),
    ("scheduling:occurrence_recording", "occurrence", STAFF),
    ("scheduling:session_details", "occurrence", STAFF),
    ("scheduling:plan_accept", "plan", STAFF),
    ("scheduling:calendar_new", None, MEMBERS),
    ("scheduling:calendar_revoke", None, MEMBERS),
]


# Enough for every action's form (each ignores the others' fields).
ACTION_DATA = {"note": "x", "recording_url": "", "starts_at": "2021-02-02T15:00", "timezone": "UTC"}


@pytest.mark.parametrize(("name", "obj", "expected"), POSTS, ids=[post[0] for post in POSTS])
@pytest.mark.parametrize("role", ROLES)
def test_actions_answer_each_role(
    cast: Cast, role: str, name: str, obj: str | None, expected: dict
) -> None:
    url = _url(cast, name, obj, _objects(cast, obj))

    response = cast.client_for(role).post(url, ACTION_DATA)

    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected[role] == 200:  # allowed: the action redirects to a page of the run
        assert response.status_code == 302
        assert response["Location"].startswith(cast.run.get_absolute_url())
    else:
        assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_personal_feed_answers_the_token_alone_whoever_asks(cast: Cast, role: str) -> None:
    weekly_series(cast.run, members=[cast.participant])
    token = CalendarToken.objects.create(run=cast.run, user=cast.participant)
    url = reverse(
        "scheduling:personal_feed",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "token": token.token},
    )

    assert cast.client_for(role).get(url).status_code == 200


def test_personal_feed_is_gone_after_revoking_and_in_another_run(cast: Cast) -> None:
    token = CalendarToken.objects.create(run=cast.run, user=cast.participant)
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug, "token": token.token}
    elsewhere = {**kwargs, "run": cast.other_run.slug}
    client = cast.client_for("anonymous")

    assert client.get(reverse("scheduling:personal_feed", kwargs=elsewhere)).status_code == 404
    token.revoked_at = datetime(2021, 2, 1, tzinfo=UTC)
    token.save()
    assert client.get(reverse("scheduling:personal_feed", kwargs=kwargs)).status_code == 404


def _row_url(cast: Cast, occurrence: int, person: int) -> str:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return reverse(
        "scheduling:attendance_row", kwargs={**kwargs, "pk": occurrence, "user_id": person}
    )


@pytest.mark.parametrize("role", ROLES)
def test_attendance_row_is_recorded_by_staff_only(cast: Cast, role: str) -> None:
    occurrence = weekly_series(cast.run, members=[cast.participant]).occurrences.first()
    url = _row_url(cast, occurrence.pk, cast.participant.pk)  # type: ignore[union-attr]

    response = cast.client_for(role).post(url, {f"p{cast.participant.pk}-status": "present"})

    recorded = list(Attendance.objects.values_list("user", "status"))
    if STAFF[role] == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0], recorded) == (
            302,
            reverse("accounts:login"),
            [],
        )
    elif STAFF[role] == 200:  # the htmx row, saved
        assert (response.status_code, recorded) == (200, [(cast.participant.pk, "present")])
    else:
        assert (response.status_code, recorded) == (STAFF[role], [])


def test_attendance_row_of_another_run_or_an_unexpected_person_is_not_found(cast: Cast) -> None:
    here = weekly_series(cast.run, members=[cast.participant]).occurrences.first()
    elsewhere = weekly_series(cast.other_run, members=[cast.other_participant]).occurrences.first()
    client = cast.client_for("coordinator")
    urls = [
        _row_url(cast, elsewhere.pk, cast.other_participant.pk),  # type: ignore[union-attr]
        _row_url(cast, here.pk, cast.other_participant.pk),  # type: ignore[union-attr]
    ]

    answers = [client.post(url, {"status": "present"}).status_code for url in urls]

    assert (answers, Attendance.objects.count()) == ([404, 404], 0)


def _every_url(cast: Cast) -> list[str]:
    objects = {**_objects(cast, "occurrence"), **_objects(cast, "plan")}
    token = CalendarToken.objects.create(run=cast.run, user=cast.participant)
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return [
        *(_url(cast, name, obj, objects) for name, obj, _ in [*PAGES, *POSTS]),
        _row_url(cast, objects["occurrence"], cast.participant.pk),
        reverse("scheduling:personal_feed", kwargs={**kwargs, "token": token.token}),
    ]


def _state() -> dict[str, list[dict[str, object]]]:
    return snapshot(*apps.get_app_config("scheduling").get_models(), OutboxMessage)


@pytest.mark.parametrize("role", ROLES)
def test_get_changes_nothing_and_actions_refuse_it(cast: Cast, role: str) -> None:
    urls = _every_url(cast)
    client = cast.client_for(role)
    before = _state()

    statuses = {url: client.get(url).status_code for url in urls}

    assert _state() == before
    actions = {name for name, _obj, _expected in POSTS} | {"scheduling:attendance_row"}
    # Anonymous visitors are asked to sign in first, whatever the method.
    refused = 302 if role == "anonymous" else 405
    assert {url: status for url, status in statuses.items() if view_names([url]) <= actions} == {
        url: refused for url in urls if view_names([url]) <= actions
    }


def test_url_names_are_the_ones_the_tables_request(cast: Cast) -> None:
    assert view_names(_every_url(cast)) == URL_NAMES
