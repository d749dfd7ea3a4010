"""Who may translate, review and publish a course's languages.

Translation is per course while roles are per run: a person's roles in a course are their
roles in any of its runs. Translators, facilitators and coordinators translate;
facilitators, coordinators and a language version's designated reviewers approve; only
facilitators and coordinators publish. Site staff count as coordinators everywhere.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from cohortkit.courses.models import Course, Role, RunRole
from cohortkit.translations.models import LanguageVersion

TRANSLATING = frozenset({Role.TRANSLATOR, Role.FACILITATOR, Role.COORDINATOR})
MANAGING = frozenset({Role.FACILITATOR, Role.COORDINATOR})


def course_roles(request: HttpRequest, course: Course) -> frozenset[Role]:
    """The person's roles in any run of the course, cached on the request."""
    user = request.user
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[Role]] = request.__dict__.setdefault("_translation_roles", {})
    if course.pk not in cache:
        roles = {
            Role(role)
            for role in RunRole.objects.filter(run__course=course, user=user).values_list(
                "role", flat=True
            )
        }
        if user.is_staff:
            roles.add(Role.COORDINATOR)
        cache[course.pk] = frozenset(roles)
    return cache[course.pk]


def course_for(request: HttpRequest, slug: str) -> Course:
    """The course named in the URL: published ones for everybody, others for its people."""
    course = Course.objects.filter(slug=slug).first()
    if course is None or not (course.is_published or course_roles(request, course)):
        raise Http404
    return course


def version_for(course: Course, language: str) -> LanguageVersion:
    version = LanguageVersion.objects.filter(course=course, language=language).first()
    if version is None or language == course.language:
        raise Http404
    return version


def may_translate(request: HttpRequest, course: Course) -> bool:
    return bool(course_roles(request, course) & TRANSLATING)


def may_manage(request: HttpRequest, course: Course) -> bool:
    return bool(course_roles(request, course) & MANAGING)


def may_review(request: HttpRequest, version: LanguageVersion) -> bool:
    if may_manage(request, version.course):
        return True
    return request.user.is_authenticated and version.reviewers.filter(pk=request.user.pk).exists()


def require_translator(request: HttpRequest, course: Course) -> None:
    """403 unless the person may translate this course."""
    if not may_translate(request, course):
        raise PermissionDenied


def require_manager(request: HttpRequest, course: Course) -> None:
    if not may_manage(request, course):
        raise PermissionDenied
