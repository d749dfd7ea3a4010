"""Links to peer-review pages on the run home page."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link
from cohortkit.reviews.models import ReviewStep


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    if not roles:
        return []

    def url(name: str) -> str:
        return reverse(f"reviews:{name}", kwargs={"slug": run.course.slug, "run": run.slug})

    links: list[Link] = []
    has_step = ReviewStep.objects.filter(run=run).exists()
    if has_step and Role.PARTICIPANT in roles:
        links += [
            Link(_("Your final presentation"), url("work")),
            Link(_("Peer reviews to give"), url("assigned")),
            Link(_("Reviews of your final presentation"), url("results")),
        ]
    elif has_step and roles & {Role.FACILITATOR, Role.COORDINATOR}:
        links.append(Link(_("Your peer reviews"), url("assigned")))
    if has_step and roles & {Role.FACILITATOR, Role.COORDINATOR}:
        links.append(Link(_("Peer review: works and reviews"), url("overview"), "staff"))
    if Role.COORDINATOR in roles:
        links.append(Link(_("Peer review: setup"), url("setup"), "staff"))
        if has_step:
            links.append(Link(_("Peer review: allocation"), url("allocation"), "staff"))
    return links
