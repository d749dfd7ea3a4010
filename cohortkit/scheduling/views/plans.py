"""The session planner: ask for a plan, watch it compute, read and accept its result."""

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Run
from cohortkit.courses.permissions import require_staff, run_for
from cohortkit.scheduling import services
from cohortkit.scheduling.forms import PlanForm
from cohortkit.scheduling.heatmap import coverage_svg
from cohortkit.scheduling.left_out import describe_left_out
from cohortkit.scheduling.models import Session, SessionPlan, WeeklyAvailability
from cohortkit.scheduling.queries import run_participants
from cohortkit.scheduling.views.common import urlargs, weekday_names


@require_http_methods(["GET", "HEAD", "POST"])
def planner(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Plan weekly sessions or office hours for the run's participants."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            plan = services.request_plan(
                the_run,
                kind=form.cleaned_data["kind"],
                sessions=form.cleaned_data["sessions"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                anchor=form.cleaned_data["anchor"],
                fixed_times=form.cleaned_data["fixed_times"],
                by=signed_in_person(request),
            )
            return redirect("scheduling:plan", **urlargs(the_run, pk=plan.pk))
    else:
        initial = {key: request.GET[key] for key in PlanForm.base_fields if key in request.GET}
        form = PlanForm(initial=initial or None)
    plans = SessionPlan.objects.filter(run=the_run).select_related("created_by")[:10]
    participants = run_participants(the_run).count()
    with_availability = WeeklyAvailability.objects.filter(
        run=the_run, user__in=run_participants(the_run)
    ).count()
    return render(
        request,
        "scheduling/planner.html",
        {
            "run": the_run,
            "course": the_run.course,
            "form": form,
            "plans": plans,
            "participants": participants,
            "with_availability": with_availability,
        },
    )


def _first_instant(run: Run, weekday: int, minute: int, anchor: str) -> datetime:
    session = Session(weekday=weekday, anchor=anchor)
    session.start_time = time(minute // 60, minute % 60)
    return session.week_instant(run.starts_on, 0)


@require_safe
def plan_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """A plan's result (heat map, groups, who is left out and why, offset shifts), or its
    progress while the worker computes it (polled with htmx)."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    plan = get_object_or_404(SessionPlan, run=the_run, pk=pk)
    if request.headers.get("HX-Request"):
        if plan.is_finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request, "scheduling/plan_detail.html#progress", {"plan": plan, "run": the_run}
        )
    now = timezone.now()
    context: dict[str, Any] = {
        "run": the_run,
        "course": the_run.course,
        "plan": plan,
        # Offer only what accept_plan will do: nothing after the run, the remaining weeks
        # during it.
        "can_accept": services.can_accept_plans(the_run, at=now),
        "clashes": services.office_hours_clashes(plan),
        "mid_run": now >= the_run.starts_at,
        "now": now,
    }
    result = plan.outcome
    if result is not None:
        people = {person.pk: person for person in User.objects.filter(pk__in=result.people())}
        counts = result.group_counts()
        context["times"] = [
            {
                "label": entry.label,
                "group": index + 1,
                "count": counts[index],
                "first_at": _first_instant(the_run, entry.weekday, entry.minute, plan.anchor),
            }
            for index, entry in enumerate(result.times)
        ]
        context["uncovered"] = sorted(
            (
                {"person": people.get(int(key)), "reason": describe_left_out(reason)}
                for key, reason in result.uncovered.items()
            ),
            key=lambda row: str(row["person"]),
        )
        context["shifts"] = sorted(
            (
                {
                    "person": people.get(int(key)),
                    "changes": [
                        {"week": change.week + 1, "at": change.at, "minutes": change.minutes}
                        for change in changes
                    ],
                }
                for key, changes in result.offset_shifts.items()
            ),
            key=lambda row: str(row["person"]),
        )
        context["covered_share"] = result.covered_share
        context["hand_url_query"] = (
            f"kind={plan.kind}&duration_minutes={plan.duration_minutes}&anchor={plan.anchor}"
            f"&sessions={plan.sessions}&fixed_times="
            + "%3B%20".join(entry.label.replace(" ", "%20") for entry in result.times)
        )
    return render(request, "scheduling/plan_detail.html", context)


@require_safe
def plan_heatmap(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """The plan's coverage of every candidate time, as an SVG picture."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    plan = get_object_or_404(SessionPlan, run=the_run, pk=pk)
    result = plan.outcome
    if result is None:
        raise Http404
    svg = coverage_svg(
        result.coverage,
        chosen=[(entry.weekday, entry.minute // 15) for entry in result.times],
        weekdays=[name[:3] for name in weekday_names()],
        title=_("Participants who can attend every week, by start time in %(zone)s")
        % {"zone": plan.anchor},
        participants=result.participants,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def plan_accept(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    plan = get_object_or_404(SessionPlan, run=the_run, pk=pk)
    try:
        sessions = services.accept_plan(plan, by=signed_in_person(request), at=timezone.now())
    except services.SchedulingError as error:
        messages.error(request, str(error))
        return redirect("scheduling:plan", **urlargs(the_run, pk=plan.pk))
    messages.success(
        request,
        ngettext(
            "The plan is accepted: %(count)s session series with its weekly meetings.",
            "The plan is accepted: %(count)s session series with their weekly meetings.",
            len(sessions),
        )
        % {"count": len(sessions)},
    )
    return redirect("scheduling:schedule", **urlargs(the_run))
