"""What peer review holds about a person: their final work, reviews they wrote, and the
reviews their work received (anonymous, as the results page shows them: submitted ones, no
reviewer named).

Erasing empties their final work (title, text, link, file) but keeps the row, so the reviews
others wrote of it still count for those reviewers; reviews they wrote stay (others received
them and the figures count them), naming the tombstone, and reviewers are never shown to
authors anyway."""

from datetime import datetime
from typing import Any

from cohortkit.accounts.models import User
from cohortkit.reviews.models import Criterion, FeedbackPrompt, FinalWork, Review

COVERS = frozenset({"reviews.FinalWork", "reviews.Review"})


def _run(run: Any) -> str:
    return f"{run.course.slug}/{run.slug}"


def _named(values: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {names.get(str(key), str(key)): value for key, value in sorted(values.items())}


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    works = list(FinalWork.objects.filter(author=person).select_related("run__course"))
    given = list(
        Review.objects.filter(reviewer=person).select_related("run__course").order_by("pk")
    )
    received = list(
        Review.objects.filter(work__author=person)
        .submitted()
        .select_related("run__course")
        .order_by("submitted_at", "pk")
    )
    runs = {row.run_id for row in [*given, *received]}
    criteria = {
        str(pk): title
        for pk, title in Criterion.objects.filter(step__run__in=runs).values_list("pk", "title")
    }
    prompts = {
        str(pk): text
        for pk, text in FeedbackPrompt.objects.filter(step__run__in=runs).values_list("pk", "text")
    }

    def review(row: Review) -> dict[str, Any]:
        return {
            "run": _run(row.run),
            "scores": _named(row.scores, criteria),
            "answers": _named(row.answers, prompts),
            "submitted_at": row.submitted_at,
        }

    return {
        "final_work": [
            {
                "run": _run(work.run),
                "title": work.title,
                "text": work.text,
                "link": work.link,
                "file": work.download_name if work.file else "",
                "state": work.state,
                "submitted_at": work.submitted_at,
            }
            for work in works
        ],
        "reviews_given": [{**review(row), "state": row.state} for row in given],
        "reviews_received": [review(row) for row in received],
    }


def uploads(person: User) -> list[tuple[str, Any]]:
    return [
        (f"final-work/{work.download_name}", work.file)
        for work in FinalWork.objects.filter(author=person).order_by("pk")
        if work.file
    ]


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    for work in FinalWork.objects.filter(author=person):
        # Saved one by one so the stored file leaves storage after commit (stored_files.py).
        work.title = work.text = work.link = ""
        work.file = ""  # type: ignore[assignment]
        work.save()
