from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    kwargs = {"slug": run.course.slug, "run": run.slug}
    links = []
    now = timezone.now()
    # Applying is for people who are not on the run's team: coordinators, facilitators and
    # reviewers see "Your application" only if they have one.
    on_team = bool(roles & {Role.COORDINATOR, Role.FACILITATOR, Role.REVIEWER})
    if request.user.is_authenticated and (
        (run.accepts_applications_at(now) and not on_team)
        or run.applications.filter(applicant=request.user).exists()
    ):
        links.append(Link(_("Your application"), reverse("applications:apply", kwargs=kwargs)))
    if roles & {Role.REVIEWER, Role.COORDINATOR}:
        links.append(
            Link(_("Applications to review"), reverse("applications:reviews", kwargs=kwargs))
        )
    if Role.COORDINATOR in roles:
        for label, name in [
            (_("Applications"), "applications:list"),
            (_("Application form, rubric and rules"), "applications:setup"),
            (_("Review progress"), "applications:progress"),
            (_("Selection"), "applications:selection"),
            (_("Decision messages"), "applications:outbox"),
        ]:
            links.append(Link(label, reverse(name, kwargs=kwargs), section="staff"))
    return links
