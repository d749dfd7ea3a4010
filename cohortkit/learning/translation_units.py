"""The learning app's translation units: assignment titles and instructions.

Found by the translations app's registry (`cohortkit/translations/registry.py`); this
module is the only place the learning app names it. Keys, per run of the course:

- `learning.<run-slug>.assignment.<pk>.title`: the assignment's title;
- `learning.<run-slug>.assignment.<pk>.instructions.<n>`: the n-th heading, paragraph or
  list item of its Markdown instructions (split like topic bodies).

The primary key keeps a key when assignments are renamed, re-dated or reordered.
"""

from collections.abc import Iterator

from cohortkit.courses.models import Course
from cohortkit.learning.models import Assignment
from cohortkit.translations.registry import UnitSpec, markdown_specs

SAVED_WITH = {Assignment: "run__course"}


def assignment_key(assignment: Assignment, field: str) -> str:
    """The key (for instructions: the key prefix) of one of the assignment's texts."""
    return f"learning.{assignment.run.slug}.assignment.{assignment.pk}.{field}"


def units(course: Course) -> Iterator[UnitSpec]:
    assignments = (
        Assignment.objects.filter(run__course=course)
        .select_related("run")
        .order_by("run__starts_on", "run__pk", "due_at", "pk")
    )
    for assignment in assignments:
        where = f"Run {assignment.run.slug} > assignment “{assignment.title}”"
        yield UnitSpec(
            assignment_key(assignment, "title"), assignment.title, "title", f"{where}: title"
        )
        yield from markdown_specs(
            assignment_key(assignment, "instructions"), assignment.instructions, where
        )
