"""Unanswered offers expire inside the app: the worker's own task at each deadline, a mail
to each person whose offer expired, promoted deadlines never after the start, and waitlist
positions kept current."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cohortkit.applications import services
from cohortkit.applications.models import (
    ApplicationForm,
    Decision,
    Offer,
    OfferState,
    Outcome,
)
from cohortkit.notifications.models import OutboxMessage
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory, ApplicationReviewFactory

CLOSED = datetime(2021, 1, 16, tzinfo=UTC)


def scored(run, score: float):
    application = ApplicationFactory(run=run, applicant__display_name=f"S{score}")
    ApplicationReviewFactory(application=application, score=score, submitted_at=CLOSED)
    return application


def released(run, *scores: float) -> list:
    applications = [scored(run, s) for s in scores]
    services.record_selection(run, by=UserFactory(), at=CLOSED)
    services.release_decisions(run, at=CLOSED)
    return applications


def expiry_tasks() -> list[datetime]:
    return sorted(
        task.run_after
        for task in DBTaskResult.objects.filter(task_path__endswith=".task_expire_offers")
    )


def waitlist(run) -> dict[str, int | None]:
    return {
        d.application.applicant.display_name: d.waitlist_rank
        for d in Decision.objects.filter(
            application__run=run, outcome=Outcome.WAITLISTED
        ).select_related("application__applicant")
    }


@pytest.fixture
def run(db: None):
    run = RunFactory(capacity=1)
    ApplicationForm.objects.create(run=run, offer_days=7, lottery_seed=7)
    return run


def test_releasing_decisions_enqueues_the_expiry_task_at_the_deadline(
    run, django_capture_on_commit_callbacks: Any
) -> None:
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        released(run, 5, 4)
    assert expiry_tasks() == [run.notification_at + timedelta(days=7)]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_worker_expires_the_offer_mails_the_person_and_promotes_the_next() -> None:
    run = RunFactory(capacity=1)
    ApplicationForm.objects.create(run=run, offer_days=7, lottery_seed=7)
    first, second, _third = released(run, 5, 4, 3)
    deadline = run.notification_at + timedelta(days=7)
    assert expiry_tasks() == [deadline]
    assert waitlist(run) == {"S4": 1, "S3": 2}
    with time_machine.travel(deadline - timedelta(minutes=1), tick=False):
        call_command("db_worker", batch=True, queue_name="default", verbosity=0)
    assert Offer.objects.get(application=first).state == OfferState.OPEN
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        call_command("db_worker", batch=True, queue_name="default", verbosity=0)
    states = {o.application_id: o.state for o in Offer.objects.all()}
    assert states == {first.pk: OfferState.EXPIRED, second.pk: OfferState.OPEN}
    assert waitlist(run) == {"S3": 1}
    mail = OutboxMessage.objects.get(kind="application-offer-expired")
    assert (mail.recipient, mail.subject) == (
        first.applicant.email,
        f"Your offered seat in {run.course.title} has expired",
    )
    assert "had no answer by" in mail.body
    # The promoted offer got its own expiry task, at its own deadline.
    assert expiry_tasks()[-1] == Offer.objects.get(application=second).respond_by


@pytest.mark.parametrize(
    ("zone", "starts_on", "at", "respond_by"),
    [
        # Adelaide (+10:30 → +9:30 on 4 Apr 2021): the start is midnight after the change.
        (
            "Australia/Adelaide",
            date(2021, 4, 5),
            datetime(2021, 4, 1, 12, tzinfo=UTC),
            datetime(2021, 4, 4, 14, 30, tzinfo=UTC),
        ),
        # New York (-5 → -4 on 14 Mar 2021).
        (
            "America/New_York",
            date(2021, 3, 15),
            datetime(2021, 3, 12, 12, tzinfo=UTC),
            datetime(2021, 3, 15, 4, tzinfo=UTC),
        ),
        # Kolkata (+5:30), with a week still left: the form's offer days apply.
        (
            "Asia/Kolkata",
            date(2021, 3, 1),
            datetime(2021, 2, 1, 12, tzinfo=UTC),
            datetime(2021, 2, 8, 12, tzinfo=UTC),
        ),
    ],
)
def test_a_promoted_deadline_never_passes_the_start_of_the_run(
    db: None, zone: str, starts_on: date, at: datetime, respond_by: datetime
) -> None:
    run = RunFactory(timezone=zone, starts_on=starts_on)
    assert services.promotion_deadline(run, at=at, offer_days=7) == respond_by


def test_nobody_is_promoted_when_less_than_a_day_is_left(db: None) -> None:
    run = RunFactory(timezone="Asia/Kolkata", starts_on=date(2021, 3, 1))
    start = datetime(2021, 2, 28, 18, 30, tzinfo=UTC)  # midnight in Kolkata
    assert services.promotion_deadline(run, at=start - timedelta(hours=25), offer_days=7) == start
    assert services.promotion_deadline(run, at=start - timedelta(hours=23), offer_days=7) is None


def test_a_late_decline_offers_no_seat_and_keeps_the_waitlist(run) -> None:
    first, _second = released(run, 5, 4)
    too_late = run.starts_at - timedelta(hours=2)
    assert services.decline_offer(Offer.objects.get(application=first), at=too_late) == []
    assert waitlist(run) == {"S4": 1}


def test_a_seat_given_up_goes_down_the_waitlist_and_renumbers_it(run) -> None:
    first, second, _third = released(run, 5, 4, 3)
    offer = Offer.objects.get(application=first)
    services.confirm_offer(offer, at=run.notification_at)
    made = services.give_up_seat(offer, at=run.notification_at + timedelta(days=1))
    assert [o.application for o in made] == [second]
    assert waitlist(run) == {"S3": 1}
