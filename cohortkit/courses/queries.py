"""Reads for the public pages: a fixed number of queries however many runs and modules."""

from django.db.models import Prefetch, QuerySet

from cohortkit.accounts.models import User
from cohortkit.courses.models import Course, Module, Role, Run, RunRole, Topic


def published_courses() -> QuerySet[Course]:
    """Published courses with their runs (newest first): two queries."""
    return Course.objects.filter(is_published=True).prefetch_related(
        Prefetch("runs", queryset=Run.objects.order_by("-starts_on"))
    )


def course_page(slug: str) -> QuerySet[Course]:
    """One course with runs, each run's outline (modules, topics) and coordinators: five queries."""
    return Course.objects.filter(slug=slug).prefetch_related(
        Prefetch(
            "runs",
            queryset=Run.objects.order_by("-starts_on").prefetch_related(
                Prefetch(
                    "modules",
                    queryset=Module.objects.order_by("position").prefetch_related(
                        Prefetch(
                            "topics", queryset=Topic.objects.order_by("position").defer("body")
                        )
                    ),
                ),
                Prefetch(
                    "roles",
                    queryset=RunRole.objects.filter(role=Role.COORDINATOR).select_related("user"),
                    to_attr="coordinator_roles",
                ),
            ),
        )
    )


def run_participants(run: Run) -> QuerySet[User]:
    """The run's participants, by display name."""
    return (
        User.objects.filter(run_roles__run=run, run_roles__role=Role.PARTICIPANT)
        .distinct()
        .order_by("display_name", "pk")
    )
