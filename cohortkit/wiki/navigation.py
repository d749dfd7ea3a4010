from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    kwargs = {"slug": run.course.slug, "run": run.slug}
    links = []
    if roles & {Role.FACILITATOR, Role.COORDINATOR}:
        links.append(
            Link(_("Wiki edits of participants"), reverse("wiki:edits", kwargs=kwargs), "staff")
        )
    if Role.COORDINATOR in roles:
        links.append(Link(_("Wikis of this run"), reverse("wiki:settings", kwargs=kwargs), "staff"))
    if Role.PARTICIPANT in roles:
        links.append(Link(_("Sharing my wiki edits"), reverse("wiki:sharing", kwargs=kwargs)))
    return links
