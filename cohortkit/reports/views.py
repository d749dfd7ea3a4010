import re

import pygal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from pygal.style import Style

from cohortkit.courses.permissions import require_coordinator, run_for
from cohortkit.reports.queries import application_counts, privacy_request_counts

DIMENSIONS = ("region", "timezone", "language")
# Bars a chart draws at most; the table below it lists every row.
CHART_ROWS = 20


def shown_of(rows: list[tuple[str, int]]) -> str:
    """The caption of a chart that leaves rows out ("The 20 largest of 35 ..."), else ""."""
    if len(rows) <= CHART_ROWS:
        return ""
    return _("The chart shows the %(shown)s largest of %(total)s; the table lists them all.") % {
        "shown": CHART_ROWS,
        "total": len(rows),
    }


STYLE = Style(background="white", plot_background="white", colors=("#0b5cad",))


@require_safe
def applications(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    counts = application_counts(the_run)
    return render(
        request,
        "reports/applications.html",
        {
            "run": the_run,
            "tables": [
                (key, title, counts[key], shown_of(counts[key]))
                for key, title in [
                    ("region", _("By region")),
                    ("timezone", _("By time zone")),
                    ("language", _("By language")),
                ]
            ],
            "privacy": privacy_request_counts(),
        },
    )


@require_safe
def applications_chart(request: HttpRequest, slug: str, run: str, dimension: str) -> HttpResponse:
    """A horizontal bar chart (SVG) of submitted applications by one dimension."""
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    if dimension not in DIMENSIONS:
        raise Http404
    every = application_counts(the_run)[dimension]
    rows = every[:CHART_ROWS]
    chart = pygal.HorizontalBar(
        style=STYLE, show_legend=False, width=800, height=max(200, 40 + 28 * len(rows)),
        disable_xml_declaration=False, js=[],
    )  # fmt: skip
    chart.title = {
        "region": _("Applications by region"),
        "timezone": _("Applications by time zone"),
        "language": _("Applications by language"),
    }[dimension]
    if caption := shown_of(every):
        chart.title = f"{chart.title}\n{caption}"
    chart.x_labels = [label for label, _count in reversed(rows)]
    chart.add(_("Applications"), [count for _label, count in reversed(rows)])
    return svg_response(chart)


def svg_response(chart: pygal.graph.graph.Graph) -> HttpResponse:
    """The chart as an SVG image. Shown with <img>, so scripts would never run: pygal's
    tooltip script is dropped, and the image's own policy allows only its inline styles
    (the pages keep the strict one)."""
    svg = re.sub(rb"<script.*?</script>", b"", chart.render(), flags=re.DOTALL)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
