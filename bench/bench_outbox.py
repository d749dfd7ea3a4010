"""Queueing the peer-review mail of an allocation: one message at a time versus queue_mails.

    .venv/bin/python bench/bench_outbox.py [--people 1000] [--repeat 2]

Builds a run with N participants (four languages, time zones from UTC-5 to UTC+05:45), every
one with a submitted final work, allocates K = 3 reviewers per work, then times what the
mail task does after an allocation: one notice per reviewer and one reminder per review, 48
hours before reviews are due, each rendered in the reviewer's language and zone, stored in
the outbox and, after commit, given its sending task. The baseline is the path before
queue_mails (render_mail and queue_mail per message, a task per message); the bulk path is
today's `notify_reviewers`. Both must store the same messages. Prints the best of
``--repeat`` wall-clock runs of each and the ratio of the bulk path to the baseline.

Works on a temporary SQLite database (IMMEDIATE transactions, WAL, as in production), with
the database task backend, so enqueueing a task writes a row as it does on a small site;
var/ and DATABASE_URL are left alone.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SCRATCH = tempfile.TemporaryDirectory(prefix="bench-outbox-")
os.environ["COHORTKIT_VAR_DIR"] = SCRATCH.name
os.environ.pop("DATABASE_URL", None)
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohortkit.settings")
django.setup()

from django.core.management import call_command  # noqa: E402 — after django.setup()
from django.db import connection, transaction  # noqa: E402 — after django.setup()
from django_tasks_db.models import DBTaskResult  # noqa: E402 — after django.setup()

from cohortkit.accounts.models import User  # noqa: E402 — after django.setup()
from cohortkit.courses.models import Course, Role, Run, RunRole  # noqa: E402 — after django.setup()
from cohortkit.notifications.models import OutboxMessage  # noqa: E402 — after django.setup()
from cohortkit.notifications.services import queue_mail, render_mail  # noqa: E402 — after django.setup()
from cohortkit.reviews import services  # noqa: E402 — after django.setup()
from cohortkit.reviews.models import (  # noqa: E402 — after django.setup()
    FinalWork,
    Review,
    ReviewState,
    ReviewStep,
    WorkState,
)

LANGUAGES = ["en", "en", "es", "fr", "ar"]
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu"]


def build(people: int) -> ReviewStep:
    at = datetime(2030, 1, 1, tzinfo=UTC)
    course = Course.objects.create(
        title="Partnership Building", slug="bench", summary="s", audience="a", weekly_hours=1,
        contact_email="bench@example.org",
    )  # fmt: skip
    run = Run.objects.create(
        course=course, title="Bench", slug="bench", capacity=people,
        applications_open_at=at - timedelta(days=90), applications_close_at=at - timedelta(days=60),
        notification_at=at - timedelta(days=50), starts_on=(at - timedelta(days=40)).date(),
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(
            email=f"p{i}@example.org", username=f"p{i}", display_name=f"Participant {i}",
            interface_language=LANGUAGES[i % len(LANGUAGES)], timezone=ZONES[i % len(ZONES)],
        )
        for i in range(people)
    )  # fmt: skip
    RunRole.objects.bulk_create(RunRole(run=run, user=u, role=Role.PARTICIPANT) for u in users)
    FinalWork.objects.bulk_create(
        FinalWork(run=run, author=u, text="Plan", state=WorkState.SUBMITTED, submitted_at=at)
        for u in users
    )
    step = ReviewStep.objects.create(
        run=run, reviews_per_work=3, submissions_close_at=at, reviews_due_at=at + timedelta(days=7)
    )
    services.allocate_reviews(step, at=at)
    return ReviewStep.objects.select_related("run__course").get(pk=step.pk)  # as the task loads it


def notify_one_at_a_time(step: ReviewStep, *, at: datetime) -> int:
    """`notify_reviewers` before queue_mails: render and queue every message on its own."""
    reviews = (
        Review.objects.filter(run=step.run_id, state=ReviewState.ASSIGNED, is_by_staff=False)
        .select_related("reviewer", "work__author")
        .order_by("reviewer_id", "pk")
    )
    by_reviewer: dict[int, list[Review]] = {}
    for review in reviews:
        by_reviewer.setdefault(review.reviewer_id, []).append(review)
    count = 0
    with transaction.atomic():
        for reviewer_reviews in by_reviewer.values():
            reviewer = reviewer_reviews[0].reviewer
            language = services._language(reviewer)
            titles = services._titles(step.run, services._mail_texts(step, [reviewer])[language])
            subject, body = render_mail(
                "reviews/mail/assigned",
                {
                    "step": step, "run": step.run, "reviews": reviewer_reviews, "person": reviewer,
                    "url": services._url(step.run, "reviews:assigned"), **services._due(step, reviewer),
                    **titles,
                },
                language=language,
            )  # fmt: skip
            message = queue_mail(
                recipient=reviewer.email, subject=subject, body=body, kind="reviews-assigned",
                language=language, user=reviewer, run=step.run,
                key=f"reviews:assigned:{step.run_id}:{reviewer.pk}",
            )  # fmt: skip
            count += message is not None
            for review in reviewer_reviews:
                subject, body = render_mail(
                    "reviews/mail/reminder",
                    {
                        "step": step, "run": step.run, "review": review, "person": reviewer,
                        "url": services._url(step.run, "reviews:review", pk=review.pk),
                        **services._due(step, reviewer), **titles,
                    },
                    language=language,
                )  # fmt: skip
                message = queue_mail(
                    recipient=reviewer.email, subject=subject, body=body, kind="reviews-reminder",
                    language=language, send_at=services.reminder_at(step, now=at), user=reviewer,
                    run=step.run, key=f"reviews:reminder:{review.pk}",
                )  # fmt: skip
                count += message is not None
    return count


def outbox() -> list[tuple[object, ...]]:
    """What the recipients get (the notices' send-at is the instant of queueing)."""
    return [
        (m.recipient, m.user_id, m.run_id, m.language, m.subject, m.body, m.kind, m.key, m.state,
         None if m.kind == "reviews-assigned" else m.send_at)
        for m in OutboxMessage.objects.order_by("pk")
    ]  # fmt: skip


def best_of(
    repeat: int, action: Callable[[], int]
) -> tuple[float, int, int, list[tuple[object, ...]]]:
    """Best wall-clock seconds over `repeat` runs from an empty outbox, the messages queued,
    the tasks enqueued, and the outbox of the last run."""
    best = float("inf")
    for _ in range(repeat):
        OutboxMessage.objects.all().delete()
        DBTaskResult.objects.all().delete()
        started = time.perf_counter()
        queued = action()
        best = min(best, time.perf_counter() - started)
    return best, queued, DBTaskResult.objects.count(), outbox()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    assert connection.vendor == "sqlite"
    assert SCRATCH.name in str(connection.settings_dict["NAME"])
    began = time.perf_counter()
    step = build(options.people)
    at = step.submissions_close_at
    reviews = Review.objects.filter(run=step.run_id).count()
    print(
        f"{options.people} participants, K=3: {reviews} reviews, set up in"
        f" {time.perf_counter() - began:.1f} s (SQLite {SCRATCH.name})"
    )
    old_s, old_n, old_tasks, old_outbox = best_of(
        options.repeat, lambda: notify_one_at_a_time(step, at=at)
    )
    new_s, new_n, new_tasks, new_outbox = best_of(
        options.repeat, lambda: services.notify_reviewers(step, review_ids=None, at=at)
    )
    print(f"  one at a time (baseline) {old_s:7.2f} s  {old_n} messages, {old_tasks} tasks")
    print(f"  queue_mails (bulk)       {new_s:7.2f} s  {new_n} messages, {new_tasks} tasks")
    print(f"  ratio bulk / baseline    {new_s / old_s:7.3f}  ({old_s / new_s:.1f} times faster)")
    print(f"  same messages stored: {'yes' if new_outbox == old_outbox else 'NO'}")
    again = time.perf_counter()
    repeated = services.notify_reviewers(step, review_ids=None, at=at)
    print(f"  bulk again, every key taken: {time.perf_counter() - again:.2f} s, {repeated} stored")


if __name__ == "__main__":
    main()
