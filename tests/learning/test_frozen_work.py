"""Handed-in work is frozen: drafts never change it, a new hand-in is a new dated version,
refused after the due date unless late work or an extension allows it (then marked late).
Peer reviews after their due date follow the same rule."""

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps as registry
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohortkit.learning.models import Submission, SubmissionVersion
from cohortkit.learning.services.assignments import grant_extension, save_submission
from cohortkit.reviews.models import Review
from cohortkit.reviews.services import ReviewError, save_review
from tests.conftest import Cast
from tests.factories.learning import AssignmentFactory, SubmissionFactory
from tests.factories.reviews import ReviewFactory, ReviewStepFactory

DUE = datetime(2021, 2, 14, 23, 59, tzinfo=UTC)


def _save(cast: Cast, assignment: object, text: str, *, submit: bool, at: datetime) -> Submission:
    return save_submission(
        assignment,  # type: ignore[arg-type]
        participant=cast.participant,
        text=text,
        link="",
        upload=None,
        upload_type="",
        submit=submit,
        at=at,
    )


def _history() -> list[tuple[int, str, datetime, bool]]:
    return list(SubmissionVersion.objects.values_list("number", "text", "submitted_at", "is_late"))


def test_saving_a_draft_after_handing_in_changes_nothing(cast: Cast) -> None:
    assignment = AssignmentFactory(run=cast.run, due_at=DUE)
    _save(cast, assignment, "Handed in.", submit=True, at=DUE - timedelta(days=2))
    with pytest.raises(ValidationError):
        _save(cast, assignment, "Rewritten later.", submit=False, at=DUE + timedelta(days=3))
    assert list(Submission.objects.values_list("text", "status", "submitted_at", "is_late")) == [
        ("Handed in.", "submitted", DUE - timedelta(days=2), False)
    ]
    assert _history() == [(1, "Handed in.", DUE - timedelta(days=2), False)]


def test_a_resubmission_is_a_new_dated_version_keeping_the_history(cast: Cast) -> None:
    assignment = AssignmentFactory(run=cast.run, due_at=DUE, accepts_late=True)
    _save(cast, assignment, "First.", submit=True, at=DUE - timedelta(days=2))
    _save(cast, assignment, "Second.", submit=True, at=DUE - timedelta(days=1))
    latest = _save(cast, assignment, "Third, late.", submit=True, at=DUE + timedelta(hours=1))
    assert (latest.text, latest.submitted_at, latest.is_late) == (
        "Third, late.",
        DUE + timedelta(hours=1),
        True,
    )
    assert _history() == [
        (1, "First.", DUE - timedelta(days=2), False),
        (2, "Second.", DUE - timedelta(days=1), False),
        (3, "Third, late.", DUE + timedelta(hours=1), True),
    ]


def test_a_resubmission_after_the_deadline_is_refused_unless_an_extension_allows_it(
    cast: Cast,
) -> None:
    assignment = AssignmentFactory(run=cast.run, due_at=DUE, accepts_late=False)
    _save(cast, assignment, "On time.", submit=True, at=DUE - timedelta(days=1))
    with pytest.raises(ValidationError):
        _save(cast, assignment, "Too late.", submit=True, at=DUE + timedelta(days=1))
    assert _history() == [(1, "On time.", DUE - timedelta(days=1), False)]
    grant_extension(
        assignment,
        participant=cast.participant,
        due_at=DUE + timedelta(days=3),
        by=cast.coordinator,
    )
    _save(cast, assignment, "Within the extension.", submit=True, at=DUE + timedelta(days=1))
    assert _history()[1:] == [(2, "Within the extension.", DUE + timedelta(days=1), False)]


def test_the_page_refuses_a_draft_over_handed_in_work_and_keeps_what_was_typed(
    cast: Cast,
) -> None:
    assignment = AssignmentFactory(run=cast.run, due_at=DUE)
    SubmissionFactory(assignment=assignment, participant=cast.participant, text="Handed in.")
    url = reverse(
        "learning:assignment",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": assignment.pk},
    )
    client = cast.client_for("participant")
    page = client.get(url).content.decode()
    assert ("Hand in a new version" in page, "Save draft" in page) == (True, False)
    response = client.post(url, {"text": "Sneaky rewrite.", "link": "", "draft": "1"})
    body = response.content.decode()
    assert (response.status_code, "Sneaky rewrite." in body, "hand in a new version" in body) == (
        400,
        True,
        True,
    )
    assert list(Submission.objects.values_list("text", flat=True)) == ["Handed in."]


def test_work_handed_in_before_versions_becomes_version_one(cast: Cast) -> None:
    migration = import_module("cohortkit.learning.migrations.0006_first_versions_of_handed_in_work")
    assignment = AssignmentFactory(run=cast.run)
    SubmissionFactory(assignment=assignment, participant=cast.participant, text="Old work.")
    SubmissionFactory(assignment=assignment, participant=cast.reviewer, status="draft",
                      submitted_at=None)  # fmt: skip
    migration.first_versions(registry, None)
    assert _history() == [(1, "Old work.", datetime(2021, 2, 10, tzinfo=UTC), False)]


@pytest.mark.parametrize(
    ("accepts_late", "at", "expected"),
    [
        (False, datetime(2021, 3, 29, 12, tzinfo=UTC), ("submitted", False)),
        (True, datetime(2021, 3, 30, 12, tzinfo=UTC), ("submitted", True)),
        (False, datetime(2021, 3, 30, 12, tzinfo=UTC), ("assigned", False)),
    ],
)
def test_peer_reviews_after_their_due_date_are_refused_or_marked_late(
    cast: Cast, accepts_late: bool, at: datetime, expected: tuple[str, bool]
) -> None:
    ReviewStepFactory(run=cast.run, accepts_late_reviews=accepts_late)
    review = ReviewFactory(work__run=cast.run, reviewer=cast.participant)
    refused = ""
    try:
        save_review(review, scores={}, answers={"q": "Clear plan."}, submit=True, at=at)
    except ReviewError as error:
        refused = str(error)
    state = tuple(Review.objects.values_list("state", "is_late").get())
    assert (state, bool(refused)) == (expected, expected[0] == "assigned")
