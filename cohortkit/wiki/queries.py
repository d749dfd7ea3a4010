"""Reads of what the wikis said: a person's experience across a run's wikis, and the
participants' course edits by week."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.wiki.models import EditSharing, RunWikis, Wiki, WikiEdit, WikiFigures


@dataclass(frozen=True)
class Experience:
    """A person's figures summed over a run's wikis: total edits, the oldest registration,
    every group on any of them, edits in the recent window, and the oldest reading."""

    username: str
    edit_count: int
    registered_at: datetime | None
    groups: frozenset[str]
    recent_edits: int
    read_at: datetime
    wikis: tuple[WikiFigures, ...]

    def account_age_days(self, at: datetime) -> int | None:
        if self.registered_at is None:
            return None
        return (at - self.registered_at) // timedelta(days=1)


def experiences(run: Run, person_ids: Iterable[int]) -> dict[int, Experience]:
    """Each person's Experience on the run's wikis (only people with figures for at least
    one of them), in three queries however many people. Recent edits are those of the last
    `WIKI_RECENT_DAYS` days before the latest reading."""
    ids = list(person_ids)
    wiki_ids = list(run_wiki_ids(run))
    if not ids or not wiki_ids:
        return {}
    figures: dict[int, list[WikiFigures]] = {}
    rows = WikiFigures.objects.filter(person_id__in=ids, wiki_id__in=wiki_ids)
    for row in rows.select_related("wiki").order_by("wiki__name", "pk"):
        figures.setdefault(row.person_id, []).append(row)
    if not figures:
        return {}
    window = timedelta(days=int(settings.WIKI_RECENT_DAYS))
    latest = max(row.read_at for rows_ in figures.values() for row in rows_)
    recent: dict[int, list[datetime]] = {}
    for person_id, at in WikiEdit.objects.filter(
        person_id__in=list(figures), wiki_id__in=wiki_ids, at__gte=latest - window
    ).values_list("person_id", "at"):
        recent.setdefault(person_id, []).append(at)
    found: dict[int, Experience] = {}
    for person_id, person_rows in figures.items():
        newest_read = max(row.read_at for row in person_rows)
        registrations = [row.registered_at for row in person_rows if row.registered_at]
        found[person_id] = Experience(
            username=person_rows[0].username,
            edit_count=sum(row.edit_count for row in person_rows),
            registered_at=min(registrations) if registrations else None,
            groups=frozenset(group for row in person_rows for group in row.groups),
            recent_edits=sum(1 for at in recent.get(person_id, []) if at >= newest_read - window),
            read_at=min(row.read_at for row in person_rows),
            wikis=tuple(person_rows),
        )
    return found


def run_wiki_ids(run: Run) -> QuerySet[RunWikis.wikis.through, int]:  # type: ignore[name-defined]
    return RunWikis.wikis.through.objects.filter(runwikis__run=run).values_list(
        "wiki_id", flat=True
    )


def sharing_participants(run: Run) -> QuerySet[User]:
    """The run's participants with a verified wiki account who did not turn sharing off."""
    off = EditSharing.objects.filter(run=run, person=OuterRef("pk"), is_shared=False)
    return (
        User.objects.filter(
            run_roles__run=run, run_roles__role=Role.PARTICIPANT, wiki_identity__isnull=False
        )
        .exclude(Exists(off))
        .distinct()
        .order_by("display_name", "pk")
    )


def wikis_of(run: Run) -> list[Wiki]:
    return list(Wiki.objects.filter(pk__in=run_wiki_ids(run)))


def course_edits(run: Run) -> QuerySet[WikiEdit]:
    """The edits counted for the run: by its participants, on its wikis, during the run,
    under its page prefix if any."""
    row = RunWikis.objects.filter(run=run).first()
    edits = WikiEdit.objects.filter(
        wiki_id__in=run_wiki_ids(run), at__gte=run.starts_at, at__lt=run.ends_at
    )
    if row is not None and row.page_prefix:
        edits = edits.filter(title__startswith=row.page_prefix)
    return edits
