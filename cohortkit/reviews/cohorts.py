"""From a run's people and works to the allocator's ``Cohort`` and ``Rules``, and back.

The allocator (the ``allocation`` package) knows ids and attribute columns; this module
decides who is an author (a submitted final work), who is a reviewer (authors, plus
participants without a work when the step says so), and what the attribute columns hold.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, RunRole
from cohortkit.reviews.allocation import Cohort, Participant, Rules
from cohortkit.reviews.models import FinalWork, ReviewStep, Spread, WorkState

ZONE_BAND_HOURS = 4


def zone_band(zone: str, at: datetime) -> str:
    """A coarse band of the UTC offset at ``at``: 'UTC-04..+00', 'UTC+04..+08', ...

    Bands are 4 hours wide from UTC-12; an offset on a boundary belongs to the band it starts.
    Half-hour offsets fall inside a band (UTC+05:30 is in 'UTC+04..+08').
    """
    try:
        offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    except (ValueError, KeyError):
        return ""
    if offset is None:
        return ""
    hours = offset.total_seconds() / 3600
    start = int((hours + 12) // ZONE_BAND_HOURS) * ZONE_BAND_HOURS - 12
    return f"UTC{start:+03d}..{start + ZONE_BAND_HOURS:+03d}"


@dataclass(frozen=True)
class RunCohort:
    """The allocator's input for a run, and the objects behind its ids."""

    cohort: Cohort
    rules: Rules
    people: dict[str, User]
    works: dict[str, FinalWork]  # by author id

    @property
    def n_authors(self) -> int:
        return len(self.works)

    @property
    def n_reviewers(self) -> int:
        return sum(self.cohort.reviewer_flags().tolist())


def attributes_of(person: User, step: ReviewStep) -> dict[str, str]:
    values = {"home_community": person.home_community.strip().casefold(), "region": person.region}
    values["zone_band"] = zone_band(person.timezone, step.submissions_close_at)
    return values


def run_cohort(
    step: ReviewStep, *, reviews: int | None = None, not_same: list[str] | None = None
) -> RunCohort:
    """Participants of the step's run as a cohort; rules from the step unless given.

    Two queries: the participants, and their submitted works.
    """
    participant_ids = RunRole.objects.filter(run=step.run_id, role=Role.PARTICIPANT).values(
        "user_id"
    )
    people = {
        str(person.pk): person
        for person in User.objects.filter(pk__in=participant_ids).order_by("pk")
    }
    works = {
        str(work.author_id): work
        for work in FinalWork.objects.filter(
            run=step.run_id, state=WorkState.SUBMITTED, author_id__in=participant_ids
        )
    }
    columns = ["home_community", "region", "zone_band"]
    members = [
        Participant(
            id=pid,
            attributes=attributes_of(person, step),
            is_author=pid in works,
            is_reviewer=pid in works or step.include_non_submitters,
        )
        for pid, person in people.items()
    ]
    rules = Rules(
        reviews=reviews if reviews is not None else step.reviews_per_work,
        not_same=tuple(not_same if not_same is not None else step.not_same),
        spread=step.spread or None if step.spread != Spread.NONE else None,
    )
    return RunCohort(
        cohort=Cohort.from_participants(members, columns=columns),
        rules=rules,
        people=people,
        works=works,
    )
