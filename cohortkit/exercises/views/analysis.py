"""Item analysis for the course team: per question, how often it was answered, the share
right at the first try, and which wrong choices people pick; as a table, SVG charts (pygal,
scripts removed, their own strict CSP, as reports/ does) and a CSV."""

import re

import pygal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from pygal.style import Style

from cohortkit.courses.models import Run
from cohortkit.courses.permissions import require_staff, run_for
from cohortkit.courses.spreadsheets import csv_response
from cohortkit.exercises.models import Exercise, Kind
from cohortkit.exercises.queries import ItemStats, WrongPick, item_analysis


def _exercise(request: HttpRequest, slug: str, run: str, pk: int) -> tuple[Run, Exercise]:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    return the_run, get_object_or_404(Exercise.objects.select_related("module"), run=the_run, pk=pk)


def _choice_label(item: ItemStats, position: int, text: str) -> str:
    if item.question.kind == Kind.TRUE_FALSE:
        return _("True") if position == 1 else _("False")
    return text


@require_safe
def analysis(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, exercise = _exercise(request, slug, run, pk)
    items = item_analysis(exercise)
    for item in items:
        for pick in item.wrong_picks:
            pick.text = _choice_label(item, pick.position, pick.text)
    return render(
        request,
        "exercises/analysis.html",
        {"run": the_run, "course": the_run.course, "exercise": exercise, "items": items},
    )


@require_safe
def analysis_chart(
    request: HttpRequest, slug: str, run: str, pk: int, question: int
) -> HttpResponse:
    """A horizontal bar chart (SVG) of how often each wrong choice of a question was picked."""
    _run, exercise = _exercise(request, slug, run, pk)
    item = next((i for i in item_analysis(exercise) if i.question.pk == question), None)
    if item is None:
        raise Http404
    picks = item.wrong_picks
    chart = pygal.HorizontalBar(
        style=Style(background="white", plot_background="white", colors=("#b3261e",)),
        show_legend=False,
        width=800,
        height=max(200, 60 + 32 * len(picks)),
        disable_xml_declaration=False,
        truncate_label=60,
        js=[],
    )
    chart.title = _("Wrong choices picked: question %(n)d") % {"n": item.question.position}
    chart.x_labels = [_choice_label(item, p.position, p.text) for p in reversed(picks)]
    chart.add(_("Times picked"), [p.count for p in reversed(picks)])
    # Shown as an image, so scripts would never run; pygal's tooltip config is dropped.
    svg = re.sub(rb"<script.*?</script>", b"", chart.render(), flags=re.DOTALL)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_safe
def analysis_csv(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """One row per question and wrong choice (UTF-8 with a BOM, so spreadsheets read it)."""
    _run, exercise = _exercise(request, slug, run, pk)
    header = (
        ["question", "title", "type", "answers", "first_tries", "right_first_percent",
         "wrong_choice", "wrong_choice_picked"]
    )  # fmt: skip
    rows: list[list[object]] = []
    for item in item_analysis(exercise):
        base = [
            item.question.position,
            item.question.title or item.question.text,
            item.question.kind,
            item.answers,
            item.first_tries,
            item.right_first_percent,
        ]
        picks: list[WrongPick | None] = list(item.wrong_picks) or [None]
        for pick in picks:
            extra = (
                ["", ""]
                if pick is None
                else [_choice_label(item, pick.position, pick.text), pick.count]
            )
            rows.append(base + extra)
    return csv_response(f"exercise-{exercise.pk}-items.csv", header, rows)
