"""Every applications page and action, for every role of the access rule; GET changes nothing."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.http import HttpResponse
from django.urls import reverse

from cohortkit.applications.models import Application, ApplicationReview, Offer, OfferState
from cohortkit.courses.models import RunRole
from cohortkit.notifications.models import MailState, OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    OfferFactory,
)
from tests.factories.notifications import OutboxMessageFactory

URL_NAMES = {
    "applications:apply",
    "applications:save_draft",
    "applications:withdraw",
    "applications:respond_offer",
    "applications:reviews",
    "applications:review",
    "applications:list",
    "applications:export",
    "applications:setup",
    "applications:progress",
    "applications:assign",
    "applications:selection",
    "applications:record",
    "applications:outbox",
    "applications:prepare",
    "applications:release",
    "applications:message",
    "applications:retry",
    "applications:detail",
    "applications:override_eligibility",
    "applications:override_decision",
    "applications:read_wiki",
    "reports:applications",
    "reports:applications_chart",
}

# After the notification instant, before the offers' deadline (factory run and offer).
OFFERS_OPEN = datetime(2021, 1, 20, 12, tzinfo=UTC)

# role -> expected status for pages only coordinators open
COORDINATOR_ONLY = {
    "anonymous": 302,  # asked to sign in first (SignInFirstMiddleware)
    "participant": 403,
    "other_participant": 403,
    "reviewer": 403,
    "facilitator": 403,
    "coordinator": 200,
}
REVIEWERS = {**COORDINATOR_ONLY, "reviewer": 200}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
# A review is the assigned reviewer's own: a coordinator looking it up finds nothing.
ASSIGNED_REVIEWER = {**COORDINATOR_ONLY, "reviewer": 200, "coordinator": 404}


@dataclass
class World:
    """The participant's application (reviewed by the reviewer, with an offer) and decision
    mail in the outbox, in the run and, for the other participant, in the other run."""

    application: Application
    review: ApplicationReview
    offer: Offer
    draft: OutboxMessage
    failed: OutboxMessage
    other_application: Application
    other_review: ApplicationReview
    other_offer: Offer
    other_draft: OutboxMessage
    other_failed: OutboxMessage


@pytest.fixture
def world(cast: Cast) -> World:
    made: dict[str, object] = {}
    for prefix, run, person in [
        ("", cast.run, cast.participant),
        ("other_", cast.other_run, cast.other_participant),
    ]:
        application = ApplicationFactory(run=run, applicant=person)
        made[f"{prefix}application"] = application
        # The cast's reviewer is assigned in both runs, so only the run in the URL can stop it.
        made[f"{prefix}review"] = ApplicationReviewFactory(
            application=application, reviewer=cast.reviewer
        )
        made[f"{prefix}offer"] = OfferFactory(application=application)
        for state in ["draft", "failed"]:
            made[f"{prefix}{state}"] = OutboxMessageFactory(
                run=run, user=person, state=state, last_error="550 mailbox unavailable"
            )
    return World(**made)  # type: ignore[arg-type]


def run_kwargs(cast: Cast, run: object = None) -> dict[str, str]:
    the_run = run or cast.run
    return {"slug": the_run.course.slug, "run": the_run.slug}  # type: ignore[attr-defined]


def url(cast: Cast, world: World, name: str, obj: str | None = None) -> str:
    """The URL of `name` in the cast's run; `obj` names a World object (its pk) or, for
    respond_offer, the answer."""
    kwargs: dict[str, object] = run_kwargs(cast)
    if obj in {"confirm", "decline"}:
        kwargs["answer"] = obj
    elif obj is not None:
        kwargs["pk"] = getattr(world, obj).pk
    if name == "reports:applications_chart":
        kwargs["dimension"] = "region"
    return reverse(name, kwargs=kwargs)


PAGES = [
    ("applications:apply", None, SIGNED_IN),
    ("applications:reviews", None, REVIEWERS),
    ("applications:review", "review", ASSIGNED_REVIEWER),
    ("applications:list", None, COORDINATOR_ONLY),
    ("applications:export", None, COORDINATOR_ONLY),
    ("applications:setup", None, COORDINATOR_ONLY),
    ("applications:progress", None, COORDINATOR_ONLY),
    ("applications:selection", None, COORDINATOR_ONLY),
    ("applications:outbox", None, COORDINATOR_ONLY),
    ("applications:message", "draft", COORDINATOR_ONLY),
    ("applications:detail", "application", COORDINATOR_ONLY),
    ("reports:applications", None, COORDINATOR_ONLY),
    ("reports:applications_chart", None, COORDINATOR_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "obj", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_run_pages_answer_each_role(
    cast: Cast, world: World, role: str, name: str, obj: str | None, expected: dict
) -> None:
    response = cast.client_for(role).get(url(cast, world, name, obj))
    assert response.status_code == expected[role]


def test_chart_is_an_svg(cast: Cast, world: World) -> None:
    response = cast.client_for("coordinator").get(url(cast, world, "reports:applications_chart"))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<script" not in response.content


LOGIN = (302, "accounts:login")


def _coordinator_action(target: str) -> dict[str, tuple[int, str]]:
    # Anonymous: the login page, for a POST as for a GET (SignInFirstMiddleware).
    return {**dict.fromkeys(ROLES, (403, "")), "anonymous": LOGIN, "coordinator": (302, target)}


# (name, obj, data, role -> (status, URL name a redirect goes to))
POST_ACTIONS = [
    (
        "applications:save_draft",
        None,
        {"region": "africa"},
        {**dict.fromkeys(ROLES, (200, "")), "anonymous": LOGIN},
    ),
    (
        "applications:withdraw",
        None,
        {},
        {**dict.fromkeys(ROLES, (404, "")), "anonymous": LOGIN,
         "participant": (302, "applications:apply")},
    ),
    (
        # Only the offer's applicant answers it; the other participant's offer is in the
        # other run, so through this run it is not found either.
        "applications:respond_offer",
        "confirm",
        {},
        {**dict.fromkeys(ROLES, (404, "")), "anonymous": LOGIN,
         "participant": (302, "applications:apply")},
    ),
    ("applications:assign", None, {}, _coordinator_action("applications:progress")),
    ("applications:record", None, {}, _coordinator_action("applications:selection")),
    ("applications:prepare", None, {}, _coordinator_action("applications:outbox")),
    ("applications:release", None, {}, _coordinator_action("applications:outbox")),
    (
        "applications:message",
        "draft",
        {"subject": "Your place", "body": "Welcome."},
        _coordinator_action("applications:outbox"),
    ),
    ("applications:retry", "failed", {}, _coordinator_action("applications:outbox")),
    (
        "applications:override_eligibility",
        "application",
        {"verdict": "eligible", "reason": "Met the coordinator"},
        _coordinator_action("applications:detail"),
    ),
    (
        "applications:override_decision",
        "application",
        {"outcome": "selected", "note": "Strong partner letter"},
        _coordinator_action("applications:detail"),
    ),
    ("applications:read_wiki", "application", {}, _coordinator_action("applications:detail")),
]  # fmt: skip


def _state() -> dict[str, list[dict[str, object]]]:
    return snapshot(*apps.get_app_config("applications").get_models(), OutboxMessage, RunRole)


@pytest.mark.parametrize("role", ROLES)
def test_get_changes_nothing(cast: Cast, world: World, role: str) -> None:
    client = cast.client_for(role)
    before = _state()
    with time_machine.travel(OFFERS_OPEN, tick=False):
        for name, obj, _expected in PAGES:
            client.get(url(cast, world, name, obj))
        for name, obj, _data, _expected in POST_ACTIONS:
            client.get(url(cast, world, name, obj))
    assert _state() == before


def _answer(response: HttpResponse) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "").split("?")[0]


def _where(cast: Cast, world: World, target: str) -> str:
    if not target:
        return ""
    if target == "accounts:login":
        return reverse(target)
    return url(cast, world, target, "application" if target == "applications:detail" else None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "obj", "data", "expected"), POST_ACTIONS, ids=[a[0] for a in POST_ACTIONS]
)
def test_actions_answer_each_role_and_only_allowed_ones_change_anything(
    cast: Cast, world: World, role: str, name: str, obj: str | None, data: dict, expected: dict
) -> None:
    client = cast.client_for(role)
    before = _state()

    with time_machine.travel(OFFERS_OPEN, tick=False):
        response = client.post(url(cast, world, name, obj), data)

    status, target = expected[role]
    assert _answer(response) == (status, _where(cast, world, target))
    if status in {403, 404} or target == "accounts:login":
        assert _state() == before


def test_allowed_actions_do_what_they_say(cast: Cast, world: World) -> None:
    coordinator = cast.client_for("coordinator")
    with time_machine.travel(OFFERS_OPEN, tick=False):
        cast.client_for("participant").post(
            url(cast, world, "applications:respond_offer", "confirm")
        )
        coordinator.post(url(cast, world, "applications:retry", "failed"))
        coordinator.post(
            url(cast, world, "applications:message", "draft"), {"subject": "Hi", "body": "B"}
        )
        coordinator.post(
            url(cast, world, "applications:override_eligibility", "application"),
            {"verdict": "not-eligible", "reason": "Outside the region"},
        )
    world.offer.refresh_from_db()
    world.failed.refresh_from_db()
    world.draft.refresh_from_db()
    world.application.refresh_from_db()
    assert (
        world.offer.state,
        world.failed.state,
        (world.draft.subject, world.draft.body),
        (world.application.eligibility_override, world.application.override_reason),
    ) == (OfferState.CONFIRMED, MailState.QUEUED, ("Hi", "B"), (False, "Outside the region"))


@pytest.mark.parametrize(
    "name",
    ["applications:review", "applications:message", "applications:detail"],
)
def test_another_runs_objects_are_not_found_through_this_run(
    cast: Cast, world: World, name: str
) -> None:
    obj = {"applications:review": "review", "applications:message": "draft"}.get(
        name, "application"
    )
    elsewhere = url(cast, world, name, f"other_{obj}")
    who = "reviewer" if name == "applications:review" else "coordinator"
    assert cast.client_for(who).get(elsewhere).status_code == 404


@pytest.mark.parametrize(
    ("name", "obj", "data"),
    [(name, obj, data) for name, obj, data, _ in POST_ACTIONS if obj not in {None, "confirm"}],
)
def test_actions_on_another_runs_objects_are_not_found_and_change_nothing(
    cast: Cast, world: World, name: str, obj: str, data: dict
) -> None:
    client = cast.client_for("coordinator")
    before = _state()
    with time_machine.travel(OFFERS_OPEN, tick=False):
        response = client.post(url(cast, world, name, f"other_{obj}"), data)
    assert (response.status_code, _state()) == (404, before)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name",
    ["applications:save_draft", "applications:withdraw", "applications:respond_offer",
     "applications:assign", "applications:record", "applications:prepare",
     "applications:release", "applications:retry", "applications:override_eligibility",
     "applications:override_decision", "applications:read_wiki"],
)  # fmt: skip
def test_post_only_endpoints_refuse_get(cast: Cast, world: World, role: str, name: str) -> None:
    obj, on_post = next((o, e) for action, o, _data, e in POST_ACTIONS if action == name)
    response = cast.client_for(role).get(url(cast, world, name, obj))
    # Anonymous people are asked to log in first, whatever the method (SignInFirstMiddleware).
    expected = (302, reverse("accounts:login")) if on_post[role] == LOGIN else (405, "")
    assert _answer(response) == expected


def test_url_names_are_the_ones_the_tables_request(cast: Cast, world: World) -> None:
    requested = [url(cast, world, name, obj) for name, obj, _ in PAGES]
    requested += [url(cast, world, name, obj) for name, obj, _data, _ in POST_ACTIONS]
    assert view_names(requested) == URL_NAMES
