"""The mail of an allocation: notices and reminders, in each reviewer's language and zone."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cohortkit.accounts.timezones import zone_label
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.reviews import services
from cohortkit.reviews.models import Review, ReviewStep
from tests.reviews.test_services import AT, cohort_with_works

pytestmark = pytest.mark.django_db


def test_each_reviewer_gets_the_notice_then_a_reminder_per_review_in_their_language() -> None:
    step, people = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    ines = people[1]
    ines.interface_language, ines.timezone = "es", "Asia/Kolkata"
    ines.save()
    services.allocate_reviews(step, at=AT)
    with time_machine.travel(AT, tick=False):  # the notice goes now, the task's instant
        assert services.notify_reviewers(step, review_ids=None, at=AT) == 4 + 8

    outbox = list(OutboxMessage.objects.order_by("pk"))
    assert [(m.user, m.kind) for m in outbox] == [
        (person, kind)
        for person in sorted(people, key=lambda p: p.pk)
        for kind in ["reviews-assigned", "reviews-reminder", "reviews-reminder"]
    ]
    reviews = list(Review.objects.filter(reviewer=ines).order_by("pk"))
    kwargs = {"slug": step.run.course.slug, "run": step.run.slug}
    due = step.reviews_due_at.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%Y-%m-%d %H:%M")
    zone = zone_label("Asia/Kolkata", step.reviews_due_at)
    with translation.override("es"):
        course = step.run.course.title
        expected = [
            (
                "reviews-assigned",
                f"reviews:assigned:{step.run_id}:{ines.pk}",
                translation.gettext("Final presentations to review in %(run)s") % {"run": course},
                AT,
                [
                    translation.ngettext(
                        "You have %(counter)s final presentation to review in %(run)s.",
                        "You have %(counter)s final presentations to review in %(run)s.",
                        2,
                    )
                    % {"counter": 2, "run": step.run},
                    translation.gettext("Reviews are due by %(due)s (%(zone)s).")
                    % {"due": due, "zone": zone},
                    settings.SITE_URL + reverse("reviews:assigned", kwargs=kwargs),
                ],
            ),
        ] + [
            (
                "reviews-reminder",
                f"reviews:reminder:{review.pk}",
                translation.gettext("Reminder: a peer review is due soon in %(run)s")
                % {"run": course},
                step.reviews_due_at - timedelta(hours=48),
                [
                    f"({zone})",
                    settings.SITE_URL
                    + reverse("reviews:review", kwargs={**kwargs, "pk": review.pk}),
                ],
            )
            for review in reviews
        ]
    mine = [m for m in outbox if m.user == ines]
    assert [(m.kind, m.key, m.subject, m.send_at) for m in mine] == [e[:4] for e in expected]
    assert [all(line in m.body for line in e[4]) for m, e in zip(mine, expected, strict=True)] == [
        True,
        True,
        True,
    ]
    assert {(m.recipient, m.language, m.state) for m in mine} == {
        (ines.email, "es", MailState.QUEUED)
    }


def notify_queries(capture: Any, people: int) -> int:
    step, _ = cohort_with_works(people, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    step = ReviewStep.objects.select_related("run__course").get(pk=step.pk)  # as the task does
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        assert services.notify_reviewers(step, review_ids=None, at=AT) == people * 3
    return len(queries)


def test_notifying_reviewers_makes_the_same_queries_for_few_or_many(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert notify_queries(django_capture_on_commit_callbacks, 3) == notify_queries(
        django_capture_on_commit_callbacks, 30
    )


def test_moving_the_review_deadline_moves_the_queued_reminders_and_keeps_sent_ones() -> None:
    step, _ = cohort_with_works(4, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    services.notify_reviewers(step, review_ids=None, at=AT)
    sent = OutboxMessage.objects.filter(kind="reviews-reminder").first()
    assert sent is not None
    sent.state, sent.sent_at = MailState.SENT, AT
    sent.save()
    later = step.reviews_due_at + timedelta(days=3)
    with time_machine.travel(AT, tick=False):
        services.configure_review_step(
            step.run, settings={"reviews_due_at": later}, criteria=[], prompts=[]
        )
    reminders = OutboxMessage.objects.filter(kind="reviews-reminder").order_by("pk")
    assert sorted((m.state, m.send_at) for m in reminders) == sorted(
        [(MailState.SENT, step.reviews_due_at - timedelta(hours=48))]
        + [(MailState.QUEUED, later - timedelta(hours=48))] * 7
    )
    assert reminders.values("key").distinct().count() == 8


def test_no_reminder_is_queued_once_the_deadline_has_passed() -> None:
    step, _ = cohort_with_works(3, communities=[""], regions=[""], reviews_per_work=2)
    services.allocate_reviews(step, at=AT)
    after = datetime(2021, 4, 1, tzinfo=UTC)
    assert services.notify_reviewers(step, review_ids=None, at=after) == 3
    assert not OutboxMessage.objects.filter(kind="reviews-reminder").exists()
