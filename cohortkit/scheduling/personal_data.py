"""What scheduling holds about a person: weekly availability, calendar feeds, attendance.

Erasing deletes availability and calendar feeds; attendance stays, naming the tombstone, so
a run's attendance figures stay right. Sessions they facilitated and plans they made stay."""

from datetime import datetime
from typing import Any

from cohortkit.accounts.models import User
from cohortkit.scheduling.models import Attendance, CalendarToken, WeeklyAvailability

COVERS = frozenset(
    {
        "scheduling.WeeklyAvailability",
        "scheduling.CalendarToken",
        "scheduling.Attendance",
        "scheduling.SessionPlan",
        "scheduling.Session",
    }
)


def _run(run: Any) -> str:
    return f"{run.course.slug}/{run.slug}"


def export(person: User) -> dict[str, list[dict[str, Any]]]:
    availability = (
        WeeklyAvailability.objects.filter(user=person).select_related("run__course").order_by("pk")
    )
    feeds = CalendarToken.objects.filter(user=person).select_related("run__course").order_by("pk")
    attendance = (
        Attendance.objects.filter(user=person)
        .select_related("occurrence__session__run__course")
        .order_by("occurrence__starts_at", "pk")
    )
    return {
        "availability": [
            {
                "run": _run(row.run),
                "timezone": row.timezone,
                "slots": row.slots,
                "updated_at": row.updated_at,
            }
            for row in availability
        ],
        "calendar_feeds": [
            {
                "run": _run(row.run) if row.run_id else None,
                "created_at": row.created_at,
                "revoked_at": row.revoked_at,
            }
            for row in feeds
        ],
        "attendance": [
            {
                "run": _run(row.occurrence.session.run),
                "session": str(row.occurrence.session),
                "starts_at": row.occurrence.starts_at,
                "status": row.status,
                "recorded_at": row.recorded_at,
            }
            for row in attendance
        ],
    }


def erase(person: User, *, at: datetime, keep_certificates: bool) -> None:
    WeeklyAvailability.objects.filter(user=person).delete()
    CalendarToken.objects.filter(user=person).delete()
