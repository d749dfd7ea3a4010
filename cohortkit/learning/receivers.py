"""What learning does when other apps report progress (connected in `apps.py`)."""

from typing import Any

from cohortkit.courses.models import Run
from cohortkit.exercises.models import Attempt
from cohortkit.learning.deadlines import is_self_paced
from cohortkit.learning.models import Certificate
from cohortkit.learning.queries import completion
from cohortkit.learning.services.certificates import claim_certificate


def certify_after_exercise(sender: type, *, attempt: Attempt, run: Run, **kwargs: Any) -> None:
    """A self-paced learner whose finished exercise completes the run gets the certificate
    at once (and its mail), with no one on the staff involved. Cohort participants wait
    for the coordinator, as before."""
    user = attempt.user
    if not is_self_paced(run, user) or Certificate.objects.filter(run=run, user=user).exists():
        return
    [result] = completion(run, [user])
    if result.is_complete:
        claim_certificate(run, user=user, at=attempt.finished_at or attempt.started_at)
