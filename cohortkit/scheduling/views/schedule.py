"""The personal schedule: a person's meetings in their own zone; staff see them all."""

from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.discovery import discover
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import require_member, roles_in, run_for
from cohortkit.scheduling.models import AttendanceStatus, Occurrence
from cohortkit.scheduling.queries import (
    local_shift_minutes,
    occurrences_for_person,
    own_attendance,
    run_meetings,
    summary_of_own,
)
from cohortkit.scheduling.views.common import is_staff_in


@page_cache.personal_page
@require_safe
def schedule(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The person's sessions in their own zone; staff see every session of the run."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    user = signed_in_person(request)
    zone = user.timezone or "UTC"
    is_staff = is_staff_in(request, the_run)
    meetings = run_meetings(the_run)
    occurrences = occurrences_for_person(the_run, user, everything=is_staff)
    records = {} if is_staff else own_attendance(the_run, user)
    first_of: dict[int, Occurrence] = {}
    now = timezone.now()
    local_zone = ZoneInfo(zone)
    for occurrence in occurrences:
        first = first_of.setdefault(occurrence.session_id, occurrence)
        shift = local_shift_minutes(occurrence, first, zone)
        occurrence.shift = shift  # type: ignore[attr-defined]
        occurrence.shift_minutes = abs(shift)  # type: ignore[attr-defined]
        anchor_day = occurrence.starts_at.astimezone(ZoneInfo(occurrence.session.anchor)).date()
        occurrence.other_day = occurrence.starts_at.astimezone(local_zone).date() != anchor_day  # type: ignore[attr-defined]
        occurrence.is_past = occurrence.ends_at <= now  # type: ignore[attr-defined]
        record = records.get(occurrence.pk)
        occurrence.attendance_label = AttendanceStatus(record[1]).label if record else None  # type: ignore[attr-defined]
    # A self-paced learner (learning's `study_modes`, found without importing learning) is
    # told that live sessions and attendance do not apply to them.
    at_own_pace = not is_staff and any(
        module.studies_at_own_pace(the_run, user) for module in discover("study_modes")
    )
    is_participant = Role.PARTICIPANT in roles_in(request, the_run)
    summary = None
    if is_participant and not (is_staff or at_own_pace):
        summary = summary_of_own(meetings, records)
    without_group = not is_staff and meetings.has_groups and not meetings.in_a_group(user)
    return render(
        request,
        "scheduling/schedule.html",
        {
            "run": the_run,
            "course": the_run.course,
            "occurrences": occurrences,
            "zone": zone,
            "is_staff": is_staff,
            "summary": summary,
            "without_group": without_group and not at_own_pace,
            "at_own_pace": at_own_pace,
            "has_availability": user.pk in meetings.with_availability,
        },
    )
