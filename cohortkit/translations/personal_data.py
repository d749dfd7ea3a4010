"""What translations holds about a person: the translations they made or reviewed.

Erasing keeps them (learners read them), naming the tombstone."""

from datetime import datetime
from typing import Any

from django.db.models import Q

from cohortkit.accounts.models import User
from cohortkit.translations.models import Translation

COVERS = frozenset({"translations.Translation"})


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    rows = (
        Translation.objects.filter(Q(translator=person) | Q(reviewer=person))
        .select_related("unit__course")
        .order_by("pk")
    )
    return {
        "translations": [
            {
                "course": row.unit.course.slug,
                "key": row.unit.key,
                "language": row.language,
                "text": row.text,
                "as": "translator" if row.translator_id == person.pk else "reviewer",
                "translated_at": row.translated_at,
            }
            for row in rows
        ]
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    """Nothing to erase: the texts are course content; the tombstone is named."""
