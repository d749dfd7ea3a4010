"""Who may open each live-session page: one test per URL and role of the `cast` fixture."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cohortkit.scheduling.models import CalendarToken, SessionPlan
from cohortkit.scheduling.services import compute_plan
from tests.conftest import ROLES, Cast
from tests.factories.scheduling import weekly_series

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


@pytest.mark.parametrize(("name", "obj", "expected"), POSTS, ids=[post[0] for post in POSTS])
@pytest.mark.parametrize("role", ["anonymous", "participant", "other_participant", "reviewer"])
def test_actions_refuse_people_without_the_role(
    cast: Cast, role: str, name: str, obj: str | None, expected: dict
) -> None:
    url = _url(cast, name, obj, _objects(cast, obj))

    response = cast.client_for(role).post(url, {"note": "x", "recording_url": ""})

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
