"""Every peer-review URL, for every role of the cast: who may open what, and GET is harmless."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohortkit.notifications.models import OutboxMessage
from cohortkit.reviews.models import Criterion, FeedbackPrompt, FinalWork, Review, ReviewStep
from tests.access import view_names
from tests.conftest import ROLES
from tests.factories.reviews import FinalWorkFactory, ReviewFactory, ReviewStepFactory
from tests.reviews.conftest import Peer

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "reviews:setup",
    "reviews:allocation",
    "reviews:allocate",
    "reviews:repair",
    "reviews:work",
    "reviews:results",
    "reviews:assigned",
    "reviews:review",
    "reviews:autosave",
    "reviews:flag",
    "reviews:reassign",
    "reviews:overview",
    "reviews:work_detail",
    "reviews:work_file",
    "reviews:staff_review",
}

COORDINATOR_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "coordinator": 200}
STAFF_ONLY = COORDINATOR_ONLY | {"facilitator": 200}
PARTICIPANTS = COORDINATOR_ONLY | {"participant": 200}
MEMBERS = dict.fromkeys(ROLES, 200) | {"anonymous": 302, "other_participant": 403}
# A review is its reviewer's alone (the cast's participant reviews others[0]'s work).
OWN_REVIEW = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "participant": 200}

GET_PAGES = [
    ("setup", {}, COORDINATOR_ONLY),
    ("allocation", {}, COORDINATOR_ONLY),
    ("work", {}, PARTICIPANTS),
    ("results", {}, PARTICIPANTS),
    ("assigned", {}, MEMBERS),
    ("overview", {}, STAFF_ONLY),
    ("review", {"pk": "review"}, OWN_REVIEW),
    ("work_detail", {"pk": "work"}, STAFF_ONLY),
    ("work_file", {"pk": "work"}, STAFF_ONLY | {"participant": 200}),
]


def _kwargs(peer: Peer, kwargs: dict[str, str]) -> dict[str, int]:
    return {name: getattr(peer, value).pk for name, value in kwargs.items()}


@pytest.fixture
def with_file(peer: Peer, settings: object, tmp_path: object) -> Peer:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    peer.work.file = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")
    peer.work.save()
    return peer


def _snapshot() -> list[object]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (ReviewStep, Criterion, FeedbackPrompt, FinalWork, Review, OutboxMessage)
    ]


@pytest.mark.parametrize(("name", "kwargs", "expected"), GET_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_and_get_changes_nothing(
    with_file: Peer, name: str, kwargs: dict[str, str], expected: dict[str, int], role: str
) -> None:
    peer = with_file
    url = peer.url(name, **_kwargs(peer, kwargs))
    before = _snapshot()
    response = peer.cast.client_for(role).get(url)
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    assert _snapshot() == before


POST_ACTIONS = [
    ("allocate", {}, COORDINATOR_ONLY),
    ("repair", {}, COORDINATOR_ONLY),
    ("autosave", {"pk": "review"}, OWN_REVIEW),
    ("flag", {"pk": "review"}, STAFF_ONLY),
    ("reassign", {"pk": "review"}, STAFF_ONLY),
    ("staff_review", {"pk": "other_work"}, STAFF_ONLY),
]


@pytest.mark.parametrize(("name", "kwargs", "expected"), POST_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_actions_answer_each_role(
    peer: Peer, name: str, kwargs: dict[str, str], expected: dict[str, int], role: str
) -> None:
    url = peer.url(name, **_kwargs(peer, kwargs))
    before = _snapshot()
    response = peer.cast.client_for(role).post(url, {})
    allowed = expected[role] == 200
    if allowed:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code == expected[role]
        assert _snapshot() == before


@pytest.mark.parametrize(("name", "kwargs", "expected"), POST_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_actions_refuse_get_and_change_nothing(
    peer: Peer, name: str, kwargs: dict[str, str], expected: object, role: str
) -> None:
    url = peer.url(name, **_kwargs(peer, kwargs))
    before = _snapshot()
    response = peer.cast.client_for(role).get(url)
    # login_required comes first: anonymous people are asked to log in, whatever the method.
    assert (response.status_code, _snapshot()) == (302 if role == "anonymous" else 405, before)


def test_objects_of_another_run_answer_404_even_to_their_owner(peer: Peer) -> None:
    cast = peer.cast
    ReviewStepFactory(run=cast.other_run)
    foreign_work = FinalWorkFactory(run=cast.other_run, author=cast.other_participant)
    foreign_review = ReviewFactory(work=foreign_work, reviewer=cast.other_participant)
    owner = cast.client_for("other_participant")
    assert owner.get(peer.url("review", pk=foreign_review.pk)).status_code == 403
    staff = cast.client_for("coordinator")
    for name, pk in [
        ("review", foreign_review.pk),
        ("work_detail", foreign_work.pk),
        ("work_file", foreign_work.pk),
    ]:
        assert staff.get(peer.url(name, pk=pk)).status_code in {403, 404}
    assert staff.get(peer.url("work_detail", pk=foreign_work.pk)).status_code == 404
    assert staff.post(peer.url("flag", pk=foreign_review.pk), {}).status_code == 404
    assert staff.post(peer.url("staff_review", pk=foreign_work.pk)).status_code == 404


def test_pages_without_a_step_answer_404_except_setup(cast: object) -> None:
    run = cast.run  # type: ignore[attr-defined]
    client = cast.client_for("coordinator")  # type: ignore[attr-defined]
    kwargs = {"slug": run.course.slug, "run": run.slug}
    assert client.get(reverse("reviews:setup", kwargs=kwargs)).status_code == 200
    assert client.get(reverse("reviews:allocation", kwargs=kwargs)).status_code == 404


def test_run_home_links_to_peer_review_pages_by_role(peer: Peer) -> None:
    home = peer.cast.run.get_absolute_url()
    participant = peer.cast.client_for("participant").get(home).content.decode()
    assert peer.url("work") in participant
    assert peer.url("setup") not in participant
    coordinator = peer.cast.client_for("coordinator").get(home).content.decode()
    for name in ["setup", "allocation", "overview"]:
        assert peer.url(name) in coordinator


def test_url_names_are_the_ones_the_tables_request(peer: Peer) -> None:
    requested = [
        peer.url(name, **_kwargs(peer, kwargs)) for name, kwargs, _ in [*GET_PAGES, *POST_ACTIONS]
    ]
    assert view_names(requested) == URL_NAMES
