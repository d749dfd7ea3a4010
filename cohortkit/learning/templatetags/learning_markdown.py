"""`{{ text|markdown }}`: sanitised HTML from Markdown (markdown-it, then nh3); and
`{% grid_cells row %}`: a progress grid row's cells."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.queries import GridRow

register = template.Library()


@register.filter
def markdown(value: object) -> SafeString:
    return render_markdown(str(value or ""))


@register.simple_tag
def grid_cells(row: GridRow) -> SafeString:
    """A grid row's cells (topics done of the module's, the counted exercise score), built
    here rather than in a template loop: a page of 50 people by 8 modules is 400 cells, and
    the template loop was most of the page's time. Every value is escaped."""
    score_label = gettext("exercise %(score)s%%")
    # One format_html for the row (each value escaped once), not one per cell and part.
    fragments: list[str] = []
    values: list[object] = []
    for done, total, score in row.columns:
        values += ["cell-done" if total and done == total else "cell-some" if done else ""]
        values += [done, total]
        if score is None:
            fragments.append('<td class="{}">{}/{}</td>')
        else:
            fragments.append('<td class="{}">{}/{}<br><span class="exercise-score">{}</span></td>')
            values.append(score_label % {"score": score})
    if not fragments:  # a run without modules yet
        return format_html("{}", "")
    return format_html("".join(fragments), *values)
