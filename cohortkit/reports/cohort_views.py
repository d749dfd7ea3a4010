"""The cohort report (coordinators): the funnel by region, time zone and language,
attendance by week and seats filled; each a table, an SVG chart (an image from its own
address) and a CSV file."""

import pygal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from pygal.style import Style

from cohortkit.courses.models import Run
from cohortkit.courses.permissions import require_coordinator, run_for
from cohortkit.courses.spreadsheets import csv_response
from cohortkit.reports.cohort import (
    ACTIVE_DEFINITION,
    BREAKDOWN_DEFINITION,
    DIMENSIONS,
    STAGES,
    attendance_by_week,
    dimension_title,
    funnel,
    seat_figures,
)
from cohortkit.reports.views import STYLE, svg_response

REPORTS = ("funnel", "attendance", "seats")
# Present, late, excused, absent: colours told apart without red and green alone.
ATTENDANCE_STYLE = Style(
    background="white", plot_background="white",
    colors=("#0b5cad", "#6aa6e0", "#a0a0a0", "#8a4b00"),
)  # fmt: skip


def _coordinator_run(request: HttpRequest, slug: str, run: str) -> Run:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    return the_run


@require_safe
def cohort(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = _coordinator_run(request, slug, run)
    now = timezone.now()
    figures = funnel(the_run, at=now)
    return render(
        request,
        "reports/cohort.html",
        {
            "run": the_run,
            "stages": [(str(label), str(definition)) for _key, label, definition in STAGES],
            "active_definition": ACTIVE_DEFINITION,
            "breakdown_definition": BREAKDOWN_DEFINITION,
            "overall": figures.overall(),
            "breakdowns": [
                (dimension, dimension_title(dimension), figures.breakdown(dimension))
                for dimension in DIMENSIONS
            ],
            "attendance": attendance_by_week(the_run),
            "seats": seat_figures(the_run, at=now),
        },
    )


@require_safe
def cohort_chart(request: HttpRequest, slug: str, run: str, report: str) -> HttpResponse:
    the_run = _coordinator_run(request, slug, run)
    if report not in REPORTS:
        raise Http404
    now = timezone.now()
    chart: pygal.graph.graph.Graph
    if report == "funnel":
        rows = funnel(the_run, at=now).overall()
        chart = pygal.HorizontalBar(
            style=STYLE, show_legend=False, width=800, height=max(240, 40 + 28 * len(rows)),
            disable_xml_declaration=False, js=[],
        )  # fmt: skip
        chart.title = _("From application to certificate")
        chart.x_labels = [label for _key, label, _count in reversed(rows)]
        chart.add(_("People"), [count for _key, _label, count in reversed(rows)])
    elif report == "attendance":
        weeks = attendance_by_week(the_run)
        chart = pygal.StackedBar(
            style=ATTENDANCE_STYLE, width=800, height=400, legend_at_bottom=True,
            disable_xml_declaration=False, js=[],
        )  # fmt: skip
        chart.title = _("Attendance by week")
        chart.x_labels = [
            str(week.week + 1) if week.week >= 0 else _("Before the start") for week in weeks
        ]
        chart.add(_("Present"), [week.present for week in weeks])
        chart.add(_("Late"), [week.late for week in weeks])
        chart.add(_("Excused"), [week.excused for week in weeks])
        chart.add(_("Absent"), [week.absent for week in weeks])
    else:
        seats = seat_figures(the_run, at=now)
        chart = pygal.HorizontalStackedBar(
            style=ATTENDANCE_STYLE, width=800, height=220, legend_at_bottom=True,
            disable_xml_declaration=False, js=[],
        )  # fmt: skip
        chart.title = _("Seats: %(capacity)s") % {"capacity": seats.capacity}
        chart.x_labels = [_("Seats")]
        chart.add(_("Confirmed"), [seats.confirmed])
        chart.add(_("Offered, waiting for an answer"), [seats.waiting])
        chart.add(_("Free"), [seats.free])
    return svg_response(chart)


@require_safe
def cohort_csv(request: HttpRequest, slug: str, run: str, report: str) -> HttpResponse:
    """The report's figures as CSV, through the one writer of every export
    (`courses.spreadsheets`: a BOM, every cell quoted, formula-like text shown as text)."""
    the_run = _coordinator_run(request, slug, run)
    if report not in REPORTS:
        raise Http404
    now = timezone.now()
    rows: list[list[object]]
    if report == "funnel":
        figures = funnel(the_run, at=now)
        weeks = [f"active_week_{week + 1}" for week in range(len(figures.active))]
        header = ["dimension", "value", *(key for key, _label, _definition in STAGES), *weeks]
        overall = figures.overall()
        stage_counts = {key: count for key, _label, count in overall}
        rows = [
            ["all", "", *(stage_counts[key] for key, _l, _d in STAGES),
             *(len(people) for people in figures.active)]
        ]  # fmt: skip
        for dimension in DIMENSIONS:
            for value, counts, weekly in figures.breakdown(dimension):
                rows.append([dimension, value, *counts, *weekly])
    elif report == "attendance":
        header = ["week", "week_starts_on", "present", "late", "excused", "absent", "rate"]
        rows = [
            [week.week + 1, week.starts_on.isoformat(), week.present, week.late, week.excused,
             week.absent, "" if week.rate is None else f"{week.rate:.2f}"]
            for week in attendance_by_week(the_run)
        ]  # fmt: skip
    else:
        seats = seat_figures(the_run, at=now)
        header = ["date", "confirmed_that_day", "confirmed_total", "capacity"]
        rows = [
            [day.isoformat(), count, total, seats.capacity] for day, count, total in seats.by_day
        ]
    return csv_response(f"{report}-{the_run.slug}.csv", header, rows)
