"""What exercises holds about a person: their attempts and answers. Erasing deletes them."""

from datetime import datetime
from typing import Any

from cohortkit.accounts.models import User
from cohortkit.exercises.models import Attempt

COVERS = frozenset({"exercises.Attempt"})


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    attempts = (
        Attempt.objects.filter(user=person)
        .select_related("exercise__run__course")
        .prefetch_related("answers__question")
        .order_by("pk")
    )
    return {
        "exercise_attempts": [
            {
                "run": f"{row.exercise.run.course.slug}/{row.exercise.run.slug}",
                "exercise": row.exercise.title,
                "number": row.number,
                "started_at": row.started_at,
                "finished_at": row.finished_at,
                "score": row.score,
                "answers": [
                    {
                        "question": str(answer.question),
                        "response": answer.response,
                        "score": answer.score,
                        "answered_at": answer.answered_at,
                    }
                    for answer in row.answers.all()
                ],
            }
            for row in attempts
        ]
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    Attempt.objects.filter(user=person).delete()
