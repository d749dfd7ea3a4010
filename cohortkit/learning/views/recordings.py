from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.permissions import require_member, run_for
from cohortkit.scheduling.models import Occurrence


@require_safe
def recording_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Every recorded live session of the run, for all its members: self-paced learners
    were in no weekly group, and people who missed a week catch up here."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    occurrences = (
        Occurrence.objects.filter(session__run=the_run, is_cancelled=False)
        .exclude(recording_url="")
        .select_related("session")
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "learning/recording_list.html",
        {
            "run": the_run,
            "course": the_run.course,
            "occurrences": occurrences,
            "zone": signed_in_person(request).timezone or the_run.timezone,
        },
    )
