"""The learning app's part in copying a run (see courses/services.py): assignments (due
dates moved by the same number of days as the start, at the same local time in the new
run's zone) and the completion rules."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from cohortkit.courses.models import Run
from cohortkit.learning.models import Assignment, LearningPolicy


def _moved(due_at: datetime, source: Run, target: Run) -> datetime:
    """The same local wall time, as many days after the new start as it was after the old."""
    local = due_at.astimezone(source.zone)
    days = (local.date() - source.starts_on).days
    wall = datetime.combine(target.starts_on + timedelta(days=days), local.time())
    return wall.replace(tzinfo=target.zone)


def copy_run(source: Run, target: Run) -> Mapping[str, str]:
    modules = {module.position: module for module in target.modules.all()}
    prefixes = {}
    for assignment in Assignment.objects.filter(run=source).select_related("module"):
        copied = Assignment.objects.create(
            run=target,
            module=modules.get(assignment.module.position) if assignment.module else None,
            kind=assignment.kind,
            title=assignment.title,
            instructions=assignment.instructions,
            due_at=_moved(assignment.due_at, source, target),
            accepts_late=assignment.accepts_late,
            is_required=assignment.is_required,
        )
        prefixes[f"learning.{source.slug}.assignment.{assignment.pk}."] = (
            f"learning.{target.slug}.assignment.{copied.pk}."
        )
    policy = LearningPolicy.objects.filter(run=source).first()
    if policy is not None:
        policy.pk = None
        policy.run = target
        policy.save()
    return prefixes
