"""Attendance: one sheet per meeting, saved row by row (htmx) or whole, and the overview."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.permissions import require_staff, run_for
from cohortkit.courses.spreadsheets import csv_response
from cohortkit.scheduling import services
from cohortkit.scheduling.forms import AttendanceRowForm
from cohortkit.scheduling.models import Attendance, Occurrence
from cohortkit.scheduling.queries import attendance_summary, expected_people, run_participants
from cohortkit.scheduling.views.common import staff_occurrence, urlargs


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
def attendance_sheet(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """One page per meeting: a row of radio buttons per person; each row saves on change
    (htmx), and the whole sheet saves with one button without JavaScript."""
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
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
                request,
                ngettext(
                    "Attendance saved for %(count)s person.",
                    "Attendance saved for %(count)s people.",
                    saved,
                )
                % {"count": saved},
            )
        return redirect("scheduling:attendance_sheet", **urlargs(the_run, pk=occurrence.pk))
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
def attendance_row(
    request: HttpRequest, slug: str, run: str, pk: int, user_id: int
) -> HttpResponse:
    """Save one person's attendance (htmx); answers with the row."""
    the_run, occurrence = staff_occurrence(request, slug, run, pk)
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


@require_safe
def attendance_csv(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Every participant's attendance summary as a spreadsheet, in the overview's order."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    summary = attendance_summary(the_run)
    people = sorted(run_participants(the_run), key=lambda person: (str(person), person.pk))
    header = [
        _("Participant"),
        _("E-mail"),
        _("Recorded"),
        _("Present"),
        _("Late"),
        _("Excused"),
        _("Absent"),
        _("Attendance (%)"),
        _("Needs attention"),
    ]
    rows = []
    for person in people:
        item = summary[person.pk]
        rate = "" if item.rate is None else round(100 * item.rate)
        flagged = _("yes") if item.flagged else _("no")
        rows.append(
            [
                str(person),
                person.email,
                item.recorded,
                item.present,
                item.late,
                item.excused,
                item.absent,
                rate,
                flagged,
            ]
        )
    return csv_response(f"attendance-{the_run.course.slug}-{the_run.slug}.csv", header, rows)
