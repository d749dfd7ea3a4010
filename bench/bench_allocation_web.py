"""Peer-review allocation through the web's service path, on a scratch database.

    .venv/bin/python bench/bench_allocation_web.py [--people 1000]

Without COHORTKIT_VAR_DIR or DATABASE_URL it works in a fresh temporary folder: the SQLite
file under var/ (the demo's) is never touched.

Creates a run with N participants (skewed home communities and regions, every one with a
submitted final work), then times what the coordinator's pages do: the allocation page's
plan (rules checked, nothing saved), the "Allocate" button (allocation and saving the
reviews), a late submission repaired into the allocation, and the mail task's queueing of
notices and reminders (run after the request, not in it). Prints seconds per step.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohortkit.settings")
if "COHORTKIT_VAR_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    os.environ["COHORTKIT_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-web-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402 — after django.setup()

call_command("migrate", verbosity=0)

from cohortkit.accounts.models import User  # noqa: E402 — after django.setup()
from cohortkit.courses.models import Course, Role, Run, RunRole  # noqa: E402 — after django.setup()
from cohortkit.reviews import services  # noqa: E402 — after django.setup()
from cohortkit.reviews.models import FinalWork, ReviewStep, WorkState  # noqa: E402 — after django.setup()

REGIONS = ["africa", "asia-pacific", "europe", "latin-america", "middle-east", "north-america"]


def build(people: int) -> ReviewStep:
    rng = random.Random(6)
    stamp = f"bench{int(time.time())}"
    course = Course.objects.create(
        title="Bench", slug=stamp, summary="s", audience="a", weekly_hours=1,
        contact_email="bench@example.org",
    )  # fmt: skip
    at = datetime(2030, 1, 1, tzinfo=UTC)
    run = Run.objects.create(
        course=course, title="B", slug="b", capacity=people,
        applications_open_at=at - timedelta(days=90), applications_close_at=at - timedelta(days=60),
        notification_at=at - timedelta(days=50), starts_on=(at - timedelta(days=40)).date(),
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(
            email=f"{stamp}-{i}@example.org", username=f"{stamp}-{i}", display_name=f"P {i}",
            home_community=f"community {min(int(rng.paretovariate(0.8)), 25)}",
            region=rng.choice(REGIONS), timezone="UTC",
        )
        for i in range(people)
    )  # fmt: skip
    RunRole.objects.bulk_create(RunRole(run=run, user=u, role=Role.PARTICIPANT) for u in users)
    FinalWork.objects.bulk_create(
        FinalWork(run=run, author=u, text="Plan", state=WorkState.SUBMITTED, submitted_at=at)
        for u in users[:-1]
    )
    return ReviewStep.objects.create(
        run=run, reviews_per_work=3, submissions_close_at=at, reviews_due_at=at + timedelta(days=7),
        not_same=["home_community"], spread="region",
    )  # fmt: skip


def timed(label: str, action: object) -> object:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    people = parser.parse_args().people
    step = timed(f"create {people} participants", lambda: build(people))
    at = step.submissions_close_at  # type: ignore[attr-defined]
    plan = timed("plan (allocation page, nothing saved)", lambda: services.plan_allocation(step))
    print(f"  feasible: {plan.is_feasible}")  # type: ignore[attr-defined]
    outcome = timed(
        "allocate and save (the button)", lambda: services.allocate_reviews(step, at=at)
    )
    print(f"  {outcome.reviews} reviews, spread {outcome.spread_total}/{outcome.spread_bound}")  # type: ignore[attr-defined]
    late = User.objects.filter(run_roles__run=step.run).order_by("-pk").first()  # type: ignore[attr-defined]
    timed(
        "late submission repaired (the service)",
        lambda: services.save_final_work(
            step.run, late, title="", text="Late", link="", file=None, clear_file=False,  # type: ignore[attr-defined]
            submit=True, at=at + timedelta(hours=1),
        ),
    )  # fmt: skip
    timed(
        "queue notices and reminders (the task)",
        lambda: services.notify_reviewers(step, review_ids=None, at=at),  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
