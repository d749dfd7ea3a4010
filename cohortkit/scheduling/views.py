"""Pages for live sessions. Each begins with `run_for` and a check from courses.permissions."""

import hashlib
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import (
    has_role,
    require_member,
    require_role,
    require_staff,
    run_for,
)
from cohortkit.scheduling import services
from cohortkit.scheduling.availability import SLOTS_PER_DAY, WEEKDAYS, Availability
from cohortkit.scheduling.calendars import calendar_for
from cohortkit.scheduling.forms import (
    AttendanceRowForm,
    AvailabilityForm,
    MoveForm,
    NoteForm,
    PlanForm,
    RecordingForm,
    SessionDetailsForm,
)
from cohortkit.scheduling.heatmap import coverage_svg
from cohortkit.scheduling.models import (
    Attendance,
    CalendarToken,
    Occurrence,
    Session,
    SessionKind,
    SessionPlan,
    WeeklyAvailability,
    availability_from_hex,
)
from cohortkit.scheduling.queries import (
    attendance_summary,
    expected_people,
    is_invited,
    local_shift_minutes,
    occurrences_for_person,
    run_participants,
    weekly_clashes,
)
from cohortkit.scheduling.translation_units import session_keys
from cohortkit.translations.mail import person_texts
from cohortkit.translations.queries import content_lookup

ICS = "text/calendar; charset=utf-8"


def _urlargs(run: Run, **extra: object) -> dict[str, Any]:
    return {"slug": run.course.slug, "run": run.slug, **extra}


def _weekday_names() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


def _is_staff(request: HttpRequest, run: Run) -> bool:
    return has_role(request, run, {Role.COORDINATOR, Role.FACILITATOR})


# ---- personal schedule -----------------------------------------------------------------------


@require_safe
@login_required
def schedule(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The person's sessions in their own zone; staff see every session of the run."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    user = signed_in_person(request)
    zone = user.timezone or "UTC"
    is_staff = _is_staff(request, the_run)
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
    summary = None if is_staff else attendance_summary_for(the_run, user)
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
            "without_group": without_group,
            "has_availability": WeeklyAvailability.objects.filter(run=the_run, user=user).exists(),
        },
    )


def attendance_summary_for(run: Run, user: User) -> Any:
    return attendance_summary(run).get(user.pk)


# ---- availability ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def availability(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The week grid: click (or drag) the quarter hours you can attend, in your local time."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT, Role.FACILITATOR)
    user = signed_in_person(request)
    stored = WeeklyAvailability.objects.filter(run=the_run, user=user).first()
    if request.method == "POST":
        form = AvailabilityForm(request.POST)
        if form.is_valid():
            services.save_availability(
                the_run,
                user,
                availability=form.cleaned_data["availability"],
                zone=form.cleaned_data["timezone"],
            )
            messages.success(request, _("Your availability is saved."))
            return redirect("scheduling:availability", **_urlargs(the_run))
        chosen = {int(value) for value in request.POST.getlist("slot") if value.isdigit()}
    else:
        current = stored.availability if stored else availability_from_hex("")
        form = AvailabilityForm(
            initial={"timezone": stored.timezone if stored else user.timezone or "UTC"}
        )
        chosen = {int(i) for i in current.to_array().nonzero()[0]}
    names = _weekday_names()
    rows = [
        {
            "label": f"{slot * 15 // 60:02d}:{slot * 15 % 60:02d}",
            "is_hour": slot % 4 == 0,
            "cells": [
                {
                    "index": day * SLOTS_PER_DAY + slot,
                    "checked": day * SLOTS_PER_DAY + slot in chosen,
                    "label": f"{names[day]} {slot * 15 // 60:02d}:{slot * 15 % 60:02d}",
                }
                for day in range(7)
            ],
        }
        for slot in range(SLOTS_PER_DAY)
    ]
    return render(
        request,
        "scheduling/availability_form.html",
        {
            "run": the_run,
            "course": the_run.course,
            "form": form,
            "rows": rows,
            "weekdays": names,
            "short_weekdays": WEEKDAYS,
            "stored": stored,
            "text": Availability.from_slots(chosen).to_text() if chosen else "",
        },
    )


# ---- planner ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
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
            return redirect("scheduling:plan", **_urlargs(the_run, pk=plan.pk))
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
@login_required
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
    result = plan.result
    if result:
        ids = {int(key) for key in result["uncovered"]} | {
            int(key) for key in result["offset_shifts"]
        }
        people = {person.pk: person for person in User.objects.filter(pk__in=ids)}
        counts = [0] * len(result["times"])
        for value in result["assignment"].values():
            if value is not None:
                counts[value] += 1
        context["times"] = [
            {
                **entry,
                "group": index + 1,
                "count": counts[index],
                "first_at": _first_instant(the_run, entry["weekday"], entry["minute"], plan.anchor),
            }
            for index, entry in enumerate(result["times"])
        ]
        context["uncovered"] = sorted(
            (
                {"person": people.get(int(key)), "reason": reason}
                for key, reason in result["uncovered"].items()
            ),
            key=lambda row: str(row["person"]),
        )
        context["shifts"] = sorted(
            (
                {
                    "person": people.get(int(key)),
                    "changes": [
                        {
                            "week": change["week"] + 1,
                            "at": datetime.fromisoformat(change["at"]),
                            "minutes": change["after"] - change["before"],
                        }
                        for change in changes
                    ],
                }
                for key, changes in result["offset_shifts"].items()
            ),
            key=lambda row: str(row["person"]),
        )
        context["covered_share"] = (
            round(100 * result["covered"] / result["participants"]) if result["participants"] else 0
        )
        context["hand_url_query"] = (
            f"kind={plan.kind}&duration_minutes={plan.duration_minutes}&anchor={plan.anchor}"
            f"&sessions={plan.sessions}&fixed_times="
            + "%3B%20".join(entry["label"].replace(" ", "%20") for entry in result["times"])
        )
    return render(request, "scheduling/plan_detail.html", context)


@require_safe
@login_required
def plan_heatmap(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """The plan's coverage of every candidate time, as an SVG picture."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    plan = get_object_or_404(SessionPlan, run=the_run, pk=pk)
    if not plan.result:
        raise Http404
    result = plan.result
    svg = coverage_svg(
        result["coverage"],
        chosen=[(entry["weekday"], entry["minute"] // 15) for entry in result["times"]],
        weekdays=[name[:3] for name in _weekday_names()],
        title=_("Participants who can attend every week, by start time in %(zone)s")
        % {"zone": plan.anchor},
        participants=result["participants"],
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def plan_accept(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    plan = get_object_or_404(SessionPlan, run=the_run, pk=pk)
    try:
        sessions = services.accept_plan(plan, by=signed_in_person(request), at=timezone.now())
    except services.SchedulingError as error:
        messages.error(request, str(error))
        return redirect("scheduling:plan", **_urlargs(the_run, pk=plan.pk))
    messages.success(
        request,
        _("The plan is accepted: %(count)s session series with their weekly meetings.")
        % {"count": len(sessions)},
    )
    return redirect("scheduling:schedule", **_urlargs(the_run))


# ---- one meeting -----------------------------------------------------------------------------


def _occurrence(run: Run, pk: int) -> Occurrence:
    return get_object_or_404(
        Occurrence.objects.select_related("session", "session__facilitator"),
        session__run=run,
        pk=pk,
    )


@require_safe
@login_required
def occurrence_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    occurrence = _occurrence(the_run, pk)
    user = signed_in_person(request)
    is_staff = _is_staff(request, the_run)
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


def _staff_occurrence(request: HttpRequest, slug: str, run: str, pk: int) -> tuple[Run, Occurrence]:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    return the_run, _occurrence(the_run, pk)


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
@login_required
def occurrence_move(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
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
    return redirect("scheduling:occurrence", **_urlargs(the_run, pk=occurrence.pk))


@require_POST
@login_required
def occurrence_cancel(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, cancel_form=form)
    services.cancel_occurrence(occurrence, note=form.cleaned_data["note"])
    messages.success(request, _("The session is cancelled; its reminders are withdrawn."))
    return redirect("scheduling:occurrence", **_urlargs(the_run, pk=occurrence.pk))


@require_POST
@login_required
def occurrence_restore(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
    services.restore_occurrence(occurrence)
    messages.success(request, _("The session takes place again."))
    return redirect("scheduling:occurrence", **_urlargs(the_run, pk=occurrence.pk))


@require_POST
@login_required
def occurrence_recording(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, the_run, occurrence, recording_form=form)
    services.set_recording(occurrence, recording_url=form.cleaned_data["recording_url"])
    messages.success(request, _("The recording link is saved."))
    return redirect("scheduling:occurrence", **_urlargs(the_run, pk=occurrence.pk))


@require_POST
@login_required
def session_details(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
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
    return redirect("scheduling:occurrence", **_urlargs(the_run, pk=occurrence.pk))


# ---- calendars -------------------------------------------------------------------------------


def _ics(
    request: HttpRequest, body: bytes, filename: str, occurrences: list[Occurrence]
) -> HttpResponse:
    """The calendar with validators for polling clients: an ETag of its content (DTSTAMP,
    the moment of writing, left out) and Last-Modified, the latest change of its meetings;
    a repeated request answers 304 Not Modified (If-None-Match first, as RFC 9110 says)."""
    content = b"\r\n".join(line for line in body.split(b"\r\n") if not line.startswith(b"DTSTAMP"))
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    last_modified = max((o.updated_at for o in occurrences), default=None)
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = HttpResponse(body, content_type=ICS)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
@login_required
def occurrence_ics(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    occurrence = _occurrence(the_run, pk)
    user = signed_in_person(request)
    with_link = _is_staff(request, the_run) or is_invited(occurrence, user)
    body = calendar_for(
        [occurrence],
        run=the_run,
        with_link=with_link,
        stamp=timezone.now(),
        texts=content_lookup(request, the_run.course),  # the reader's content language
    )
    return _ics(request, body, f"session-{occurrence.pk}.ics", [occurrence])


@require_safe
def run_feed(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's public calendar: every session's time and title, without call links, in
    the course's own language (it is no one's in particular)."""
    the_run = run_for(request, slug, run)
    occurrences = list(Occurrence.objects.filter(session__run=the_run).select_related("session"))
    body = calendar_for(occurrences, run=the_run, with_link=False, stamp=timezone.now())
    return _ics(request, body, f"{the_run.course.slug}-{the_run.slug}.ics", occurrences)


@require_safe
def personal_feed(request: HttpRequest, slug: str, run: str, token: str) -> HttpResponse:
    """A person's sessions with call links, for calendar apps: the secret URL is the key.
    Titles and agendas are in the person's content language (`person_texts`: the calendar
    app fetching the feed says nothing about its reader)."""
    the_run = run_for(request, slug, run)
    found = get_object_or_404(
        CalendarToken.objects.select_related("user"),
        run=the_run,
        token=token,
        revoked_at__isnull=True,
    )
    roles = set(found.user.run_roles.filter(run=the_run).values_list("role", flat=True))
    if not roles:
        raise Http404  # the role ended: so did the feed (and its call links)
    found_occurrences = Occurrence.objects.for_person(the_run, found.user)
    if roles & {Role.FACILITATOR, Role.COORDINATOR}:
        found_occurrences = Occurrence.objects.filter(session__run=the_run)
    occurrences = list(found_occurrences.select_related("session").distinct())
    sessions = {occurrence.session_id: occurrence.session for occurrence in occurrences}
    texts = person_texts(
        the_run.course,
        found.user,
        runs=[the_run],
        keys=session_keys(the_run, sessions.values()),
    )
    body = calendar_for(occurrences, run=the_run, with_link=True, stamp=timezone.now(), texts=texts)
    return _ics(request, body, f"{the_run.course.slug}-{the_run.slug}-mine.ics", occurrences)


@require_safe
@login_required
def calendar(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Where to subscribe: the person's secret feed URL (made on request) and the public one."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    token = CalendarToken.objects.filter(
        run=the_run, user=signed_in_person(request), revoked_at__isnull=True
    ).first()
    feed_url = (
        request.build_absolute_uri(
            reverse("scheduling:personal_feed", kwargs=_urlargs(the_run, token=token.token))
        )
        if token
        else ""
    )
    return render(
        request,
        "scheduling/calendar.html",
        {"run": the_run, "course": the_run.course, "token": token, "feed_url": feed_url},
    )


@require_POST
@login_required
def calendar_new(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    services.issue_calendar_token(the_run, signed_in_person(request), at=timezone.now())
    messages.success(
        request, _("Your private calendar link is ready. Any older link stops working.")
    )
    return redirect("scheduling:calendar", **_urlargs(the_run))


@require_POST
@login_required
def calendar_revoke(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    services.revoke_calendar_token(the_run, signed_in_person(request), at=timezone.now())
    messages.success(request, _("Your private calendar link no longer works."))
    return redirect("scheduling:calendar", **_urlargs(the_run))


# ---- attendance ------------------------------------------------------------------------------


def _sheet_rows(occurrence: Occurrence, data: Any = None) -> list[dict[str, Any]]:
    statuses = dict(
        Attendance.objects.filter(occurrence=occurrence).values_list("user_id", "status")
    )
    return [
        {
            "person": person,
            "form": AttendanceRowForm(
                data,
                prefix=f"p{person.pk}",
                initial={"status": statuses.get(person.pk)},
            ),
            "status": statuses.get(person.pk),
        }
        for person in expected_people(occurrence)
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attendance_sheet(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """One page per meeting: a row of radio buttons per person; each row saves on change
    (htmx), and the whole sheet saves with one button without JavaScript."""
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
    if request.method == "POST":
        rows = _sheet_rows(occurrence, request.POST)
        chosen = [
            (row["person"], row["form"].cleaned_data["status"])
            for row in rows
            if row["form"].is_valid()
        ]
        try:
            saved = services.record_attendance_bulk(
                occurrence,
                chosen,
                by=signed_in_person(request),
                at=timezone.now(),
            )
        except services.SchedulingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Attendance saved for %(count)s people.") % {"count": saved}
            )
        return redirect("scheduling:attendance_sheet", **_urlargs(the_run, pk=occurrence.pk))
    return render(
        request,
        "scheduling/attendance_sheet.html",
        {
            "run": the_run,
            "course": the_run.course,
            "occurrence": occurrence,
            "rows": _sheet_rows(occurrence),
            "zone": signed_in_person(request).timezone or "UTC",
        },
    )


@require_POST
@login_required
def attendance_row(
    request: HttpRequest, slug: str, run: str, pk: int, user_id: int
) -> HttpResponse:
    """Save one person's attendance (htmx); answers with the row."""
    the_run, occurrence = _staff_occurrence(request, slug, run, pk)
    person = get_object_or_404(expected_people(occurrence), pk=user_id)
    form = AttendanceRowForm(request.POST, prefix=f"p{person.pk}")
    error = ""
    status = None
    if form.is_valid():
        try:
            row = services.record_attendance(
                occurrence,
                person,
                status=form.cleaned_data["status"],
                by=signed_in_person(request),
                at=timezone.now(),
            )
            status = row.status
        except services.SchedulingError as problem:
            error = str(problem)
    else:
        error = _("Choose present, late, excused or absent.")
    context = {
        "run": the_run,
        "occurrence": occurrence,
        "row": {"person": person, "form": form, "status": status},
        "saved": not error,
        "error": error,
    }
    return render(
        request, "scheduling/attendance_sheet.html#row", context, status=400 if error else 200
    )


@require_safe
@login_required
def attendance_overview(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Every participant's attendance, low attendance first, for the coordinator."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    summary = attendance_summary(the_run)
    people = {person.pk: person for person in run_participants(the_run)}
    rows: list[dict[str, Any]] = sorted(
        ({"person": people[user_id], "summary": item} for user_id, item in summary.items()),
        key=lambda row: (not row["summary"].flagged, row["summary"].rate or 0, str(row["person"])),
    )
    past = (
        Occurrence.objects.filter(session__run=the_run, starts_at__lte=timezone.now())
        .select_related("session")
        .order_by("-starts_at")[:20]
    )
    return render(
        request,
        "scheduling/attendance_overview.html",
        {
            "run": the_run,
            "course": the_run.course,
            "rows": rows,
            "flagged": sum(1 for row in rows if row["summary"].flagged),
            "past": past,
        },
    )
