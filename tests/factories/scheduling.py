"""Live-session helpers: weekly series with their occurrences, built like accept_plan does."""

from datetime import time, timedelta

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.scheduling.models import Occurrence, Session, SessionKind


def weekly_series(
    run: Run,
    *,
    weekday: int = 0,
    start: time = time(14, 0),
    anchor: str = "UTC",
    duration_minutes: int = 120,
    members: list[User] | None = None,
    kind: str = SessionKind.WEEKLY,
    title: str = "Weekly live session",
    reminder_minutes: int = 0,
) -> Session:
    """A series on `weekday` at `start` in `anchor`, one occurrence per run week.

    Reminders are off by default (tests about reminders turn them on).
    """
    session = Session.objects.create(
        run=run,
        kind=kind,
        title=title,
        group=1 if kind == SessionKind.WEEKLY else None,
        anchor=anchor,
        weekday=weekday,
        start_time=start,
        duration_minutes=duration_minutes,
        reminder_minutes=reminder_minutes,
    )
    if members:
        session.members.set(members)
    for week in range(run.weeks):
        at = session.week_instant(run.starts_on, week)
        Occurrence.objects.create(
            session=session,
            week=week,
            starts_at=at,
            ends_at=at + timedelta(minutes=duration_minutes),
            original_starts_at=at,
        )
    return session
