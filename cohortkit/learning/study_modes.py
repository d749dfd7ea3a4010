"""How a person studies a run, for apps that come before learning (found through
`courses.discovery`): scheduling's schedule page tells a self-paced learner that live
sessions and attendance do not apply to them."""

from cohortkit.accounts import page_cache
from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.learning.models import ParticipantState, ParticipantStatus


def self_paced_people(run: Run) -> frozenset[int]:
    """The user ids of the run's self-paced learners (enrolled for self-study, or switched
    from the cohort: a status row saying so, as `deadlines.self_paced_since` reads), kept
    once for every page until a status is written (`page_cache.shared`). One query when
    not kept."""

    def read() -> frozenset[int]:
        rows = ParticipantStatus.objects.filter(run=run, state=ParticipantState.SELF_PACED)
        return frozenset(rows.values_list("user_id", flat=True))

    return page_cache.shared(f"self-paced:{run.pk}", (ParticipantStatus,), read)


def studies_at_own_pace(run: Run, user: User) -> bool:
    """Whether the person studies the run at their own pace."""
    return user.pk in self_paced_people(run)
