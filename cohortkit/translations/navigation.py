from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link
from cohortkit.translations.permissions import TRANSLATING


def run_links(request: HttpRequest, run: Run, roles: frozenset[Role]) -> list[Link]:
    """Translators and staff get the course's translation overview."""
    links = [
        Link(
            _("The course in other languages"),
            reverse("translations:course_text", kwargs={"slug": run.course.slug}),
        )
    ]
    if roles & TRANSLATING:
        links.append(
            Link(
                _("Translations"),
                reverse("translations:overview", kwargs={"slug": run.course.slug}),
                section="staff",
                note=_("Translate the course, review and publish languages."),
            )
        )
    return links
