"""Decisions are recorded once the window has closed and every review is in, or through a
confirmed override that names what is missing; unreviewed applicants are never scored 0."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.applications import services
from cohortkit.applications.models import ApplicationForm, Decision, Outcome, Unreviewed
from cohortkit.applications.queries import selection_readiness
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory

CLOSED = datetime(2021, 1, 16, tzinfo=UTC)
BEFORE_CLOSE = datetime(2020, 12, 25, tzinfo=UTC)


@pytest.fixture
def run(db: None):
    run = RunFactory(capacity=5)
    ApplicationForm.objects.create(run=run, lottery_seed=1)
    return run


def applicant(run, name: str, *scores: float | None):
    """An application with one review per score (None: assigned, not submitted)."""
    application = ApplicationFactory(run=run, applicant__display_name=name)
    for score in scores:
        ApplicationReviewFactory(
            application=application,
            score=score,
            submitted_at=None if score is None else CLOSED,
        )
    return application


def outcomes(run) -> dict[str, tuple[str, int | None, str]]:
    return {
        d.application.applicant.display_name: (d.outcome, d.waitlist_rank, d.reason_code)
        for d in Decision.objects.filter(application__run=run).select_related(
            "application__applicant"
        )
    }


def test_recording_before_the_window_closes_is_refused_naming_the_close(run) -> None:
    applicant(run, "A", 4.0)
    with pytest.raises(services.SelectionNotReady) as refused:
        services.record_selection(run, by=UserFactory(), at=BEFORE_CLOSE)
    assert str(refused.value) == (
        "Decisions cannot be recorded yet: window closes 14 Jan 2021 23:59 UTC."
    )
    assert not Decision.objects.exists()


def test_recording_with_reviews_missing_is_refused_naming_how_many(run) -> None:
    applicant(run, "A", 4.0, None)
    applicant(run, "B", None)
    applicant(run, "C")
    with pytest.raises(services.SelectionNotReady) as refused:
        services.record_selection(run, by=UserFactory(), at=CLOSED)
    assert str(refused.value) == (
        "Decisions cannot be recorded yet: 2 of 3 reviews missing; "
        "2 eligible applicants have no review."
    )
    assert not Decision.objects.exists()


def test_an_override_leaving_unreviewed_out_records_who_when_and_what_was_missing(run) -> None:
    coordinator = UserFactory()
    applicant(run, "A", 4.0)
    applicant(run, "B", None)
    services.record_selection(run, by=coordinator, at=CLOSED, override=Unreviewed.EXCLUDE)
    assert outcomes(run) == {
        "A": (Outcome.SELECTED, None, "selected_by_score"),
        "B": (Outcome.NOT_SELECTED, None, "not_reviewed"),
    }
    form = ApplicationForm.objects.get(run=run)
    assert (
        form.decisions_override_by,
        form.decisions_override_at,
        form.decisions_override_note,
        form.decisions_unreviewed,
    ) == (
        coordinator,
        CLOSED,
        "1 of 2 reviews missing; 1 eligible applicant has no review",
        "exclude",
    )


def test_an_override_can_put_the_unreviewed_at_the_end_of_the_waitlist(run) -> None:
    run.capacity = 1
    run.save()
    applicant(run, "A", 4.0)
    applicant(run, "B", 3.0)
    applicant(run, "C")
    services.record_selection(run, by=UserFactory(), at=CLOSED, override=Unreviewed.WAITLIST)
    assert outcomes(run) == {
        "A": (Outcome.SELECTED, None, "selected_by_score"),
        "B": (Outcome.WAITLISTED, 1, "waitlisted_by_score"),
        "C": (Outcome.WAITLISTED, 2, "waitlisted_not_reviewed"),
    }


def test_a_complete_recording_keeps_no_override(run) -> None:
    applicant(run, "A", 4.0)
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    form = ApplicationForm.objects.get(run=run)
    assert (form.decisions_override_at, form.decisions_override_note) == (None, "")


@pytest.mark.parametrize(
    ("zone", "closes_at", "shown"),
    [
        ("Asia/Kolkata", datetime(2021, 1, 14, 18, 29, tzinfo=UTC), "14 Jan 2021 23:59 IST"),
        ("Australia/Adelaide", datetime(2021, 4, 3, 13, 29, tzinfo=UTC), "3 Apr 2021 23:59 ACDT"),
        ("Australia/Adelaide", datetime(2021, 4, 4, 14, 29, tzinfo=UTC), "4 Apr 2021 23:59 ACST"),
        ("America/New_York", datetime(2021, 3, 14, 7, 30, tzinfo=UTC), "14 Mar 2021 03:30 EDT"),
    ],
)
def test_the_close_is_named_in_the_runs_zone_across_dst(
    db: None, zone: str, closes_at: datetime, shown: str
) -> None:
    run = RunFactory(
        timezone=zone,
        applications_close_at=closes_at,
        notification_at=closes_at + timedelta(days=4),
        onboarding_at=closes_at + timedelta(days=8),
        starts_on=(closes_at + timedelta(days=15)).date(),
    )
    readiness = selection_readiness(run, at=datetime(2021, 1, 1, tzinfo=UTC))
    assert readiness.missing() == f"window closes {shown}"


def test_the_page_offers_a_confirmed_override_and_the_post_needs_it(run) -> None:
    coordinator = UserFactory(is_staff=True)
    applicant(run, "A", 4.0, None)
    client = Client()
    client.force_login(coordinator)
    kwargs = {"slug": run.course.slug, "run": run.slug}
    page = client.get(reverse("applications:selection", kwargs=kwargs)).content.decode()
    assert "<strong>Not ready to record:</strong> 1 of 2 reviews missing." in page
    assert "Record the decisions anyway" in page
    record = reverse("applications:record", kwargs=kwargs)
    refused = client.post(record, {"unreviewed": "exclude"}, follow=True).content.decode()
    assert "Nothing was recorded: confirm the early recording" in refused
    assert "Decisions cannot be recorded yet: 1 of 2 reviews missing." in (
        client.post(record, follow=True).content.decode()
    )
    assert not Decision.objects.exists()
    client.post(record, {"unreviewed": "exclude", "confirm": "on"})
    assert outcomes(run) == {"A": (Outcome.SELECTED, None, "selected_by_score")}
    assert ApplicationForm.objects.get(run=run).decisions_override_by == coordinator
