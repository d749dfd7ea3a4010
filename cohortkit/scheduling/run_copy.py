"""The scheduling app's part in a new run (see courses/services.py): the onboarding call
becomes a live session at the run's onboarding instant (shown in the run's reference zone),
and moves with it when the run's dates change. Weekly sessions are planned per run."""

from cohortkit.courses.models import Run
from cohortkit.scheduling.models import Occurrence, SessionKind
from cohortkit.scheduling.services import add_one_off, move_occurrence


def set_up_run(run: Run) -> None:
    if run.onboarding_at is not None:
        add_one_off(run, kind=SessionKind.ONBOARDING, starts_at=run.onboarding_at)


def run_changed(run: Run, before: Run) -> None:
    if run.onboarding_at == before.onboarding_at or run.onboarding_at is None:
        return
    onboarding = (
        Occurrence.objects.filter(session__run=run, session__kind=SessionKind.ONBOARDING)
        .select_related("session__run__course")
        .order_by("starts_at")
        .first()
    )
    if onboarding is None:
        set_up_run(run)
    elif not onboarding.is_cancelled:
        move_occurrence(onboarding, starts_at=run.onboarding_at, note=onboarding.note)
