"""The personal schedule: a person's meetings in their own zone; staff see them all."""

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.discovery import discover
from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Run
from cohortkit.courses.permissions import require_member, run_for
from cohortkit.scheduling.models import Occurrence, Session, SessionKind, WeeklyAvailability
from cohortkit.scheduling.queries import (
    attendance_summary,
    local_shift_minutes,
    occurrences_for_person,
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
    occurrences = occurrences_for_person(the_run, user, everything=is_staff)
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
        occurrence.record = occurrence.my_attendance[0] if occurrence.my_attendance else None  # type: ignore[attr-defined]
    # A self-paced learner (learning's `study_modes`, found without importing learning) is
    # told that live sessions and attendance do not apply to them.
    at_own_pace = not is_staff and any(
        module.studies_at_own_pace(the_run, user) for module in discover("study_modes")
    )
    summary = None if is_staff or at_own_pace else attendance_summary_for(the_run, user)
    groups = Session.objects.filter(run=the_run, kind=SessionKind.WEEKLY).aggregate(
        total=Count("pk", distinct=True),
        mine=Count("pk", filter=Q(members=user), distinct=True),
    )
    without_group = not is_staff and groups["total"] > 0 and groups["mine"] == 0
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
            "has_availability": WeeklyAvailability.objects.filter(run=the_run, user=user).exists(),
        },
    )


def attendance_summary_for(run: Run, user: User) -> Any:
    return attendance_summary(run, people=[user.pk]).get(user.pk)
