"""Links to the live-session pages on the run home page."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    def url(name: str) -> str:
        return reverse(f"scheduling:{name}", kwargs={"slug": run.course.slug, "run": run.slug})

    links: list[Link] = []
    if roles:
        links.append(Link(_("Your live sessions"), url("schedule")))
        links.append(Link(_("Add the sessions to your calendar"), url("calendar")))
    if roles & {Role.PARTICIPANT, Role.FACILITATOR, Role.COORDINATOR}:
        links.append(Link(_("When can you attend? Your weekly availability"), url("availability")))
    if roles & {Role.FACILITATOR, Role.COORDINATOR}:
        links.append(Link(_("Plan the live sessions"), url("planner"), section="staff"))
        links.append(Link(_("Attendance"), url("attendance"), section="staff"))
    return links
