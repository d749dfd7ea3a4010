from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    kwargs = {"slug": run.course.slug, "run": run.slug}
    if not roles:
        if request.user.is_authenticated and run.is_self_paced and timezone.now() >= run.ends_at:
            return [
                Link(
                    _("Study this course at your own pace"),
                    reverse("learning:modules", kwargs=kwargs),
                )
            ]
        return []
    links = [
        Link(_("Modules and your progress"), reverse("learning:modules", kwargs=kwargs)),
        Link(_("Assignments"), reverse("learning:assignments", kwargs=kwargs)),
        Link(_("Questions and answers"), reverse("learning:talk", kwargs=kwargs)),
        Link(_("Session recordings"), reverse("learning:recordings", kwargs=kwargs)),
    ]
    if roles & {Role.COORDINATOR, Role.FACILITATOR}:
        links += [
            Link(_("Progress grid"), reverse("learning:grid", kwargs=kwargs), section="staff"),
            Link(
                _("Completion and certificates"),
                reverse("learning:completion", kwargs=kwargs),
                section="staff",
            ),
        ]
    if roles & {Role.COORDINATOR, Role.FACILITATOR}:
        links.append(
            Link(
                _("People falling behind"),
                reverse("learning:at_risk", kwargs=kwargs),
                section="staff",
            )
        )
    if Role.PARTICIPANT in roles:
        links.append(
            Link(_("Can't keep up? Ask for help"), reverse("learning:ask_help", kwargs=kwargs))
        )
    links.append(
        Link(
            _("Write to the course team (%(address)s)") % {"address": run.course.contact_email},
            f"mailto:{run.course.contact_email}",
        )
    )
    return links
