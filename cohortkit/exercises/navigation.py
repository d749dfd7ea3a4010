from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    if not roles:
        return []
    kwargs = {"slug": run.course.slug, "run": run.slug}
    links = [Link(_("Exercises and your scores"), reverse("exercises:list", kwargs=kwargs))]
    if roles & {Role.COORDINATOR, Role.FACILITATOR}:
        links.append(
            Link(
                _("Import questions (GIFT, Aiken)"),
                reverse("exercises:import", kwargs=kwargs),
                section="staff",
            )
        )
    return links
