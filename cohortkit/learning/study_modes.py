"""How a person studies a run, for apps that come before learning (found through
`courses.discovery`): scheduling's schedule page tells a self-paced learner that live
sessions and attendance do not apply to them."""

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.learning.deadlines import self_paced_since


def studies_at_own_pace(run: Run, user: User) -> bool:
    """Whether the person studies the run at their own pace (enrolled for self-study, or
    switched from the cohort). One query."""
    return bool(self_paced_since(run, [user]))
