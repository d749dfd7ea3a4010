"""Reads of what the wikis said: a person's experience across a run's wikis, and the
participants' course edits by week."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.wiki.models import (
    EditSharing,
    RunWikis,
    Wiki,
    WikiEdit,
    WikiFigures,
    WikiIdentity,
    WikiRead,
)


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

    @property
    def sorted_groups(self) -> list[str]:
        return sorted(self.groups)

    def account_age_days(self, at: datetime, zone: ZoneInfo) -> int | None:
        """Calendar days from the registration date to the date of `at`, both in `zone` (so
        a day shortened or lengthened by a clock change still counts as one day)."""
        if self.registered_at is None:
            return None
        return (at.astimezone(zone).date() - self.registered_at.astimezone(zone).date()).days


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


def verified_username(person: User) -> str:
    """The person's verified wiki username, or "" without a verified account."""
    return (
        WikiIdentity.objects.filter(person=person).values_list("username", flat=True).first() or ""
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


@dataclass(frozen=True)
class EditLink:
    title: str
    label: str  # the title without the run's page prefix, which the page names once
    at: datetime
    page_url: str
    diff_url: str
    wiki: str


@dataclass(frozen=True)
class ParticipantEdits:
    person: User
    username: str  # "" without a verified wiki account
    is_shared: bool
    weeks: tuple[int, ...]
    total: int
    latest: tuple[EditLink, ...]


def _link(edit: WikiEdit, prefix: str) -> EditLink:
    index = edit.wiki.index_url
    label = edit.title.removeprefix(prefix) if prefix else edit.title
    return EditLink(
        title=edit.title,
        label=label or edit.title,
        at=edit.at,
        page_url=f"{index}?{urlencode({'title': edit.title})}",
        diff_url=f"{index}?{urlencode({'diff': edit.revision_id})}",
        wiki=edit.wiki.name,
    )


def participant_edits(run: Run, *, latest: int = 5) -> list[ParticipantEdits]:
    """Every participant of the run with their course edits counted by week of the run (weeks
    start at midnight in the run's zone) and their latest edits as links; people without a
    verified wiki account or who turned sharing off are listed with nothing counted. A fixed
    number of queries however many participants and edits."""
    people = list(
        User.objects.filter(run_roles__run=run, run_roles__role=Role.PARTICIPANT)
        .distinct()
        .select_related("wiki_identity")
        .order_by("display_name", "pk")
    )
    hidden = set(
        EditSharing.objects.filter(run=run, is_shared=False).values_list("person_id", flat=True)
    )
    starts = [run.starts_at + timedelta(days=7 * week) for week in range(run.weeks)]
    prefix = RunWikis.objects.filter(run=run).values_list("page_prefix", flat=True).first() or ""
    counted: dict[int, list[WikiEdit]] = {}
    shared_ids = [p.pk for p in people if p.pk not in hidden and _username(p)]
    for edit in (
        course_edits(run).filter(person_id__in=shared_ids).select_related("wiki").order_by("at")
    ):
        counted.setdefault(edit.person_id, []).append(edit)
    rows = []
    for person in people:
        edits = counted.get(person.pk, [])
        weeks = [0] * run.weeks
        for edit in edits:
            week = max(i for i, start in enumerate(starts) if start <= edit.at)
            weeks[week] += 1
        rows.append(
            ParticipantEdits(
                person=person,
                username=_username(person),
                is_shared=person.pk not in hidden,
                weeks=tuple(weeks),
                total=len(edits),
                latest=tuple(_link(edit, prefix) for edit in reversed(edits[-latest:])),
            )
        )
    return rows


def _username(person: User) -> str:
    identity = getattr(person, "wiki_identity", None)
    return identity.username if identity is not None else ""


def last_read(*, person: User | None = None, run: Run | None = None) -> WikiRead | None:
    """The last background read of the person's figures, or of the run's course edits."""
    if person is not None:
        return WikiRead.objects.filter(person=person).first()
    return WikiRead.objects.filter(run=run).first()


def failed_reads(run: Run) -> list[WikiRead]:
    """The run's participants whose last read of figures met a problem, by name."""
    return list(
        WikiRead.objects.filter(
            person__run_roles__run=run, person__run_roles__role=Role.PARTICIPANT
        )
        .exclude(problems=[])
        .select_related("person")
        .distinct()
        .order_by("person__display_name", "pk")
    )
