"""Who may do what in a run.

Every run-scoped view starts with `run_for(request, slug, run_slug)` and then one of the
`require_*` checks. Objects of another run are looked up *through* the run
(`get_object_or_404(Thing, run=run, pk=pk)`), so they answer 404, while a missing role
answers 403. Site staff (is_staff) count as coordinators everywhere.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cohortkit.accounts import page_cache
from cohortkit.courses.models import Course, Role, Run, RunRole

STAFF_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR})


def run_for(request: HttpRequest, slug: str, run_slug: str) -> Run:
    """The published run named in the URL (unpublished ones only for site staff), or 404.

    A page showing the run, if kept (`accounts.page_cache`), holds only until the run's
    next phase begins."""
    found = run_named(slug, run_slug)
    if found is None or not (
        found.course.is_published or (request.user.is_authenticated and request.user.is_staff)
    ):
        raise Http404
    page_cache.valid_until(request, found.changes_after(timezone.now()))
    return found


def run_named(slug: str, run_slug: str) -> Run | None:
    """The run (with its course) that the two slugs name, published or not, kept once for
    every request until a run or a course is written (`page_cache.shared`). One query when
    not kept."""

    def read() -> Run | None:
        runs = Run.objects.select_related("course")
        return runs.filter(course__slug=slug, slug=run_slug).first()

    return page_cache.shared(f"run:{slug}/{run_slug}", (Run, Course), read)


def roles_in(request: HttpRequest, run: Run) -> frozenset[Role]:
    """The requesting person's roles in the run, cached on the request."""
    user = request.user
    if not user.is_authenticated:
        return frozenset()
    cache: dict[int, frozenset[Role]] = request.__dict__.setdefault("_cohortkit_roles", {})
    if run.pk not in cache:
        roles = {Role(role) for role in run.roles.filter(user=user).values_list("role", flat=True)}
        if user.is_staff:
            roles.add(Role.COORDINATOR)
        cache[run.pk] = frozenset(roles)
    return cache[run.pk]


def has_role(request: HttpRequest, run: Run, roles: Iterable[Role]) -> bool:
    return bool(roles_in(request, run) & frozenset(roles))


def require_role(request: HttpRequest, run: Run, *roles: Role) -> None:
    """403 unless the person holds one of `roles` (coordinators pass every check)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not has_role(request, run, {*roles, Role.COORDINATOR}):
        raise PermissionDenied


def require_staff(request: HttpRequest, run: Run) -> None:
    require_role(request, run, Role.FACILITATOR)


def require_coordinator(request: HttpRequest, run: Run) -> None:
    require_role(request, run, Role.COORDINATOR)


def require_member(request: HttpRequest, run: Run) -> None:
    """Participants and staff of the run; for a self-paced run, anyone enrolled."""
    require_role(request, run, *Role)


def is_course_coordinator(request: HttpRequest, course: Course) -> bool:
    """Coordinators of the course: site staff, and whoever coordinates any of its runs.

    There is no separate course-level role: the team of a course is the team of its runs.
    The first run of a new course is made by site staff (who make the course), naming its
    coordinator; from then on its coordinators create the next runs themselves.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return RunRole.objects.filter(run__course=course, user=user, role=Role.COORDINATOR).exists()


def require_course_coordinator(request: HttpRequest, course: Course) -> None:
    if not is_course_coordinator(request, course):
        raise PermissionDenied


def course_for(request: HttpRequest, slug: str) -> Course:
    """The course named in the URL: published ones, and unpublished ones for their team."""
    course = get_object_or_404(Course, slug=slug)
    if not course.is_published and not is_course_coordinator(request, course):
        raise Http404
    return course
