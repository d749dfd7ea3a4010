"""Every learning URL for every role of the cast; GET never changes anything.

The public certificate pages and revoking a certificate are in test_certificate_access.py.
"""

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from cohortkit.courses.models import RunRole
from cohortkit.notifications.models import OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.factories.learning import PNG, AttachmentFactory, ReplyFactory
from tests.learning.conftest import IN_RUN

URL_NAMES = {
    "learning:modules",
    "learning:module",
    "learning:enrol",
    "learning:topic_done",
    "learning:topic_edit",
    "learning:upload",
    "learning:preview",
    "learning:attachment",
    "learning:grid",
    "learning:grid_csv",
    "learning:assignments",
    "learning:assignment_new",
    "learning:assignment",
    "learning:assignment_edit",
    "learning:submission",
    "learning:submission_file",
    "learning:talk",
    "learning:module_talk",
    "learning:talk_settings",
    "learning:thread",
    "learning:thread_answered",
    "learning:thread_hide",
    "learning:reply_hide",
    "learning:at_risk",
    "learning:support_person",
    "learning:completion",
    "learning:issue_certificates",
}

MEMBERS = {"participant": 200, "reviewer": 200, "facilitator": 200, "coordinator": 200}
STAFF = {"participant": 403, "reviewer": 403, "facilitator": 200, "coordinator": 200}
# A submitted file is its author's and the staff's.
AUTHOR_AND_STAFF = {**STAFF, "participant": 200}


@pytest.fixture
def files(world: dict[str, object], settings: object, tmp_path: object) -> dict[str, object]:
    """The world, plus an uploaded image and a reply in each run, and a file on each
    submission."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    for prefix in ["", "other_"]:
        thread = world[f"{prefix}thread"]
        world[f"{prefix}attachment"] = AttachmentFactory(run=thread.run)  # type: ignore[attr-defined]
        world[f"{prefix}reply"] = ReplyFactory(thread=thread, author=thread.author)  # type: ignore[attr-defined]
        submission = world[f"{prefix}submission"]
        submission.file = SimpleUploadedFile("work.png", PNG)  # type: ignore[attr-defined]
        submission.file_name, submission.file_type = "work.png", "image/png"  # type: ignore[attr-defined]
        submission.save()  # type: ignore[attr-defined]
    return world


def _pk(world: dict[str, object], name: str) -> object:
    return world[name].pk  # type: ignore[attr-defined]


def pages(cast: Cast, world: dict[str, object]) -> list[tuple[str, dict[str, int]]]:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    attachment = world["attachment"].public_id  # type: ignore[attr-defined]
    return [
        (reverse("learning:modules", kwargs=run), MEMBERS),
        (reverse("learning:module", kwargs={**run, "position": 1}), MEMBERS),
        (reverse("learning:attachment", kwargs={**run, "public_id": attachment}), MEMBERS),
        (reverse("learning:assignments", kwargs=run), MEMBERS),
        (reverse("learning:assignment", kwargs={**run, "pk": _pk(world, "assignment")}), MEMBERS),
        (reverse("learning:talk", kwargs=run), MEMBERS),
        (reverse("learning:module_talk", kwargs={**run, "position": 1}), MEMBERS),
        (reverse("learning:thread", kwargs={**run, "pk": _pk(world, "thread")}), MEMBERS),
        (reverse("learning:talk_settings", kwargs=run), MEMBERS),
        (reverse("learning:topic_edit", kwargs={**run, "pk": _pk(world, "topic")}), STAFF),
        (reverse("learning:grid", kwargs=run), STAFF),
        (reverse("learning:grid_csv", kwargs=run), STAFF),
        (reverse("learning:assignment_new", kwargs=run), STAFF),
        (
            reverse("learning:assignment_edit", kwargs={**run, "pk": _pk(world, "assignment")}),
            STAFF,
        ),
        (reverse("learning:submission", kwargs={**run, "pk": _pk(world, "submission")}), STAFF),
        (
            reverse("learning:submission_file", kwargs={**run, "pk": _pk(world, "submission")}),
            AUTHOR_AND_STAFF,
        ),
        (reverse("learning:completion", kwargs=run), STAFF),
        # Facilitators see and act on "People falling behind" too.
        (reverse("learning:at_risk", kwargs=run), STAFF),
        (
            reverse("learning:support_person", kwargs={**run, "user_id": cast.participant.pk}),
            STAFF,
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_as_the_access_rule_says(
    cast: Cast, files: dict[str, object], role: str
) -> None:
    client = cast.client_for(role)
    with time_machine.travel(IN_RUN, tick=False):
        seen = {url: client.get(url).status_code for url, _ in pages(cast, files)}
    if role == "anonymous":
        expected = dict.fromkeys(seen, 302)
    elif role == "other_participant":
        expected = dict.fromkeys(seen, 403)
    else:
        expected = {url: rule[role] for url, rule in pages(cast, files)}
    assert seen == expected


def test_anonymous_is_sent_to_log_in(cast: Cast, world: dict[str, object]) -> None:
    url = reverse("learning:modules", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})
    response = cast.client_for("anonymous").get(url)
    assert response.headers["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_files_are_served_as_downloads(cast: Cast, files: dict[str, object]) -> None:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    attachment = files["attachment"].public_id  # type: ignore[attr-defined]
    urls = [
        reverse("learning:attachment", kwargs={**run, "public_id": attachment}),
        reverse("learning:submission_file", kwargs={**run, "pk": _pk(files, "submission")}),
    ]
    client = cast.client_for("participant")
    answers = [
        (response["Content-Type"], response["Content-Disposition"].split(";")[0],
         b"".join(response.streaming_content))  # type: ignore[attr-defined]
        for response in (client.get(url) for url in urls)
    ]  # fmt: skip
    assert answers == [("image/png", "attachment", PNG)] * 2


def test_objects_of_another_run_answer_404_under_this_run(
    cast: Cast, files: dict[str, object]
) -> None:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    world = files
    urls = [
        reverse("learning:assignment", kwargs={**run, "pk": _pk(world, "other_assignment")}),
        reverse("learning:thread", kwargs={**run, "pk": _pk(world, "other_thread")}),
        reverse("learning:topic_edit", kwargs={**run, "pk": _pk(world, "other_topic")}),
        reverse("learning:submission", kwargs={**run, "pk": _pk(world, "other_submission")}),
        reverse("learning:submission_file", kwargs={**run, "pk": _pk(world, "other_submission")}),
        reverse(
            "learning:attachment",
            kwargs={**run, "public_id": world["other_attachment"].public_id},  # type: ignore[attr-defined]
        ),
        reverse("learning:support_person", kwargs={**run, "user_id": cast.other_participant.pk}),
    ]
    client = cast.client_for("coordinator")
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_a_submission_without_a_file_answers_404(cast: Cast, world: dict[str, object]) -> None:
    url = reverse(
        "learning:submission_file",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": _pk(world, "submission")},
    )
    assert cast.client_for("participant").get(url).status_code == 404


def _counts() -> dict[str, list[dict[str, object]]]:
    return snapshot(*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole)


def test_get_changes_nothing(cast: Cast, files: dict[str, object]) -> None:
    before = _counts()
    with time_machine.travel(IN_RUN, tick=False):
        for role in ROLES:
            client = cast.client_for(role)
            for url, _ in pages(cast, files):
                client.get(url)
            for url, *_ in actions(cast, files):
                client.get(url)
    assert _counts() == before


LOGIN = (302, "accounts:login")


def _refused_unless(**allowed: tuple[int, str]) -> dict[str, tuple[int, str]]:
    return {**dict.fromkeys(ROLES, (403, "")), "anonymous": LOGIN, **allowed}


def actions(
    cast: Cast, world: dict[str, object], prefix: str = ""
) -> list[tuple[str, dict[str, object], dict[str, tuple[int, str]]]]:
    """POST-only URLs: (url, data, role -> (status, where a redirect goes)). With
    prefix="other_", the same URLs name the other run's objects."""
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    thread = {**run, "pk": _pk(world, f"{prefix}thread")}
    topic = {**run, "pk": _pk(world, f"{prefix}topic")}
    to_thread = reverse("learning:thread", kwargs={**run, "pk": _pk(world, "thread")})
    to_completion = reverse("learning:completion", kwargs=run)
    staff = {"facilitator": (302, to_thread), "coordinator": (302, to_thread)}
    return [
        # Marking a topic done is a participant's (coordinators pass every check).
        (
            reverse("learning:topic_done", kwargs=topic),
            {"done": "on"},
            _refused_unless(
                participant=(302, reverse("learning:module", kwargs={**run, "position": 1})),
                coordinator=(302, reverse("learning:module", kwargs={**run, "position": 1})),
            ),
        ),
        (
            reverse("learning:upload", kwargs=topic),
            {"file": SimpleUploadedFile("diagram.png", PNG)},
            _refused_unless(
                facilitator=(302, reverse("learning:topic_edit", kwargs=topic)),
                coordinator=(302, reverse("learning:topic_edit", kwargs=topic)),
            ),
        ),
        (
            reverse("learning:preview", kwargs=run),
            {"body": "# Heading"},
            _refused_unless(facilitator=(200, ""), coordinator=(200, "")),
        ),
        # Only a self-paced run that has ended takes enrolments; this run is a cohort's.
        (reverse("learning:enrol", kwargs=run), {}, _refused_unless()),
        (
            reverse("learning:issue_certificates", kwargs=run),
            {},
            _refused_unless(coordinator=(302, to_completion)),
        ),
        # The question's author and the staff mark it answered.
        (
            reverse("learning:thread_answered", kwargs=thread),
            {"answered": "on"},
            _refused_unless(participant=(302, to_thread), **staff),
        ),
        (
            reverse("learning:thread_hide", kwargs=thread),
            {"reason": "Off topic"},
            _refused_unless(**staff),
        ),
        (
            reverse(
                "learning:reply_hide", kwargs={**thread, "reply": _pk(world, f"{prefix}reply")}
            ),
            {"reason": "Personal data"},
            _refused_unless(**staff),
        ),
    ]


def _answer(response: HttpResponse) -> tuple[int, str]:
    return response.status_code, response.headers.get("Location", "").split("?")[0]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action",
    ["topic_done", "upload", "preview", "enrol", "issue_certificates", "thread_answered",
     "thread_hide", "reply_hide"],
)  # fmt: skip
def test_each_action_answers_each_role_and_refusals_change_nothing(
    cast: Cast, files: dict[str, object], role: str, action: str
) -> None:
    [(url, data, expected)] = [
        item for item in actions(cast, files) if view_names([item[0]]) == {f"learning:{action}"}
    ]
    client = cast.client_for(role)
    before = _counts()

    with time_machine.travel(IN_RUN, tick=False):
        response = client.post(url, data)

    status, target = expected[role]
    assert _answer(response) == (status, reverse(target) if target == LOGIN[1] else target)
    if status != 302 or target == LOGIN[1]:
        assert _counts() == before


def test_allowed_actions_do_what_they_say(cast: Cast, files: dict[str, object]) -> None:
    world = files
    with time_machine.travel(IN_RUN, tick=False):
        for url, data, _expected in actions(cast, world):
            if "answered" in url:
                cast.client_for("participant").post(url, data)
            elif "hide" in url or "files" in url:
                cast.client_for("facilitator").post(url, data)
    for name in ["thread", "reply"]:
        world[name].refresh_from_db()  # type: ignore[attr-defined]
    assert (
        world["thread"].is_answered,  # type: ignore[attr-defined]
        world["thread"].hidden_reason,  # type: ignore[attr-defined]
        world["reply"].hidden_reason,  # type: ignore[attr-defined]
        world["attachment"].run.attachments.count(),  # type: ignore[attr-defined]
    ) == (True, "Off topic", "Personal data", 2)


def test_actions_on_another_runs_objects_answer_404_and_change_nothing(
    cast: Cast, files: dict[str, object]
) -> None:
    """Everybody allowed the action here is told the other run's object does not exist."""
    here = {url: expected for url, _data, expected in actions(cast, files)}
    elsewhere = [
        (url, data, role)
        for (url, data, _), expected in zip(
            actions(cast, files, "other_"), here.values(), strict=True
        )
        if url not in here
        for role in ROLES
        if role != "anonymous" and expected[role][0] in {200, 302}
    ]
    before = _counts()
    with time_machine.travel(IN_RUN, tick=False):
        answers = [
            cast.client_for(role).post(url, data).status_code for url, data, role in elsewhere
        ]
    assert (answers, _counts()) == ([404] * len(elsewhere), before)
    assert len({url for url, *_ in elsewhere}) == 5


def test_a_reply_of_another_thread_is_not_found_through_this_thread(
    cast: Cast, files: dict[str, object]
) -> None:
    url = reverse(
        "learning:reply_hide",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug,
                "pk": _pk(files, "thread"), "reply": _pk(files, "other_reply")},
    )  # fmt: skip
    assert cast.client_for("coordinator").post(url, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_post_only_urls_refuse_get(cast: Cast, files: dict[str, object], role: str) -> None:
    urls = [url for url, *_ in actions(cast, files)]
    seen = [_answer(cast.client_for(role).get(url))[0] for url in urls]
    # login_required comes first: anonymous people are asked to log in, whatever the method.
    assert seen == [302 if role == "anonymous" else 405] * len(urls)


def test_url_names_are_the_ones_the_tables_request(cast: Cast, files: dict[str, object]) -> None:
    requested = [url for url, _ in pages(cast, files)]
    requested += [url for url, *_ in actions(cast, files)]
    assert view_names(requested) == URL_NAMES
