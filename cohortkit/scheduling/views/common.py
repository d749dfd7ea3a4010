"""What the scheduling pages share: URL arguments, weekday names, who counts as staff,
and finding a meeting through its run."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import has_role, require_staff, run_for
from cohortkit.scheduling.models import Occurrence


def urlargs(run: Run, **extra: object) -> dict[str, Any]:
    return {"slug": run.course.slug, "run": run.slug, **extra}


def weekday_names() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def is_staff_in(request: HttpRequest, run: Run) -> bool:
    return has_role(request, run, {Role.COORDINATOR, Role.FACILITATOR})


def occurrence_in(run: Run, pk: int) -> Occurrence:
    return get_object_or_404(
        Occurrence.objects.select_related("session", "session__facilitator"),
        session__run=run,
        pk=pk,
    )


def staff_occurrence(request: HttpRequest, slug: str, run: str, pk: int) -> tuple[Run, Occurrence]:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    return the_run, occurrence_in(the_run, pk)
