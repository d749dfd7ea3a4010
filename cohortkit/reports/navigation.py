from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    if Role.COORDINATOR not in roles:
        return []
    kwargs = {"slug": run.course.slug, "run": run.slug}
    return [
        Link(
            _("Applications by region, time zone and language"),
            reverse("reports:applications", kwargs=kwargs),
            section="staff",
        ),
        Link(
            _("Cohort report: funnel, attendance, seats"),
            reverse("reports:cohort", kwargs=kwargs),
            section="staff",
        ),
    ]
