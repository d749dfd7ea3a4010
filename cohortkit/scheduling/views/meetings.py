"""One meeting: its page, and the staff's changes (move, cancel, restore, recording,
the series' details)."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import require_member, run_for
from cohortkit.scheduling import services
from cohortkit.scheduling.forms import MoveForm, NoteForm, RecordingForm, SessionDetailsForm
from cohortkit.scheduling.models import Attendance, Occurrence, SessionKind
from cohortkit.scheduling.queries import is_invited, weekly_clashes
from cohortkit.scheduling.views.common import is_staff_in, occurrence_in, staff_occurrence, urlargs


@require_safe
def occurrence_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    occurrence = occurrence_in(the_run, pk)
    user = signed_in_person(request)
    is_staff = is_staff_in(request, the_run)
    return render(
        request,
        "scheduling/occurrence_detail.html",
        _occurrence_context(request, the_run, occurrence, is_staff=is_staff, user=user),
    )


def _staff_people(run: Run) -> Any:
    return (
        User.objects.filter(
            run_roles__run=run, run_roles__role__in=[Role.FACILITATOR, Role.COORDINATOR]
        )
        .distinct()
        .order_by("display_name")
    )


def _occurrence_context(
    request: HttpRequest,
    run: Run,
    occurrence: Occurrence,
    *,
    is_staff: bool,
    user: User,
    **forms: object,
) -> dict[str, Any]:
    zone = user.timezone or "UTC"
    session = occurrence.session
    context: dict[str, Any] = {
        "run": run,
        "course": run.course,
        "occurrence": occurrence,
        "session": session,
        "is_staff": is_staff,
        "is_invited": is_staff or is_invited(occurrence, user),
        "zone": zone,
        "record": Attendance.objects.filter(occurrence=occurrence, user=user).first(),
    }
    if is_staff:
        local = occurrence.starts_at.astimezone(ZoneInfo(zone))
        context.update(
            move_form=forms.get("move_form")
            or MoveForm(initial={"starts_at": local.strftime("%Y-%m-%dT%H:%M"), "timezone": zone}),
            cancel_form=forms.get("cancel_form") or NoteForm(),
            recording_form=forms.get("recording_form")
            or RecordingForm(initial={"recording_url": occurrence.recording_url}),
            details_form=forms.get("details_form")
            or SessionDetailsForm(
                initial={
                    "video_url": session.video_url,
                    "agenda": session.agenda,
                    "facilitator": session.facilitator_id,
                },
                staff=_staff_people(run),
            ),
        )
    return context


def _invalid(
    request: HttpRequest, run: Run, occurrence: Occurrence, **forms: object
) -> HttpResponse:
    messages.error(request, _("Please correct the form below."))
    context = _occurrence_context(
        request,
        run,
        occurrence,
        is_staff=True,
        user=signed_in_person(request),
        **forms,
    )
    return render(request, "scheduling/occurrence_detail.html", context, status=400)


@require_POST
def occurrence_move(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
    form = MoveForm(request.POST, clash="despite_clash" in request.POST)
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, move_form=form)
    session = occurrence.session
    if session.kind == SessionKind.OFFICE_HOURS and not form.cleaned_data.get("despite_clash"):
        start = form.cleaned_data["instant"]
        clashes = weekly_clashes(
            session.facilitator, [(start, start + (occurrence.ends_at - occurrence.starts_at))]
        )
        if clashes:
            # A warning, not a refusal: the page names the meetings and asks to confirm,
            # keeping what was typed.
            context = _occurrence_context(
                request,
                the_run,
                occurrence,
                is_staff=True,
                user=signed_in_person(request),
                move_form=MoveForm(request.POST, clash=True),
            )
            context["move_clashes"] = clashes
            return render(request, "scheduling/occurrence_detail.html", context)
    try:
        services.move_occurrence(
            occurrence, starts_at=form.cleaned_data["instant"], note=form.cleaned_data["note"]
        )
    except services.SchedulingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The session is moved; calendars and reminders follow."))
    return redirect("scheduling:occurrence", **urlargs(the_run, pk=occurrence.pk))


@require_POST
def occurrence_cancel(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, cancel_form=form)
    services.cancel_occurrence(occurrence, note=form.cleaned_data["note"])
    messages.success(request, _("The session is cancelled; its reminders are withdrawn."))
    return redirect("scheduling:occurrence", **urlargs(the_run, pk=occurrence.pk))


@require_POST
def occurrence_restore(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
    services.restore_occurrence(occurrence)
    messages.success(request, _("The session takes place again."))
    return redirect("scheduling:occurrence", **urlargs(the_run, pk=occurrence.pk))


@require_POST
def occurrence_recording(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, recording_form=form)
    services.set_recording(occurrence, recording_url=form.cleaned_data["recording_url"])
    messages.success(request, _("The recording link is saved."))
    return redirect("scheduling:occurrence", **urlargs(the_run, pk=occurrence.pk))


@require_POST
def session_details(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
    form = SessionDetailsForm(request.POST, staff=_staff_people(the_run))
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, details_form=form)
    services.update_session_details(
        occurrence.session,
        video_url=form.cleaned_data["video_url"],
        agenda=form.cleaned_data["agenda"],
        facilitator=form.cleaned_data["facilitator"],
    )
    messages.success(request, _("The series' details are saved for all its weeks."))
    return redirect("scheduling:occurrence", **urlargs(the_run, pk=occurrence.pk))
