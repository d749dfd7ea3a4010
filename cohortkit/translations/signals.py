"""Keep translation units in step when course content is saved or deleted.

Courses must not import translations, so we listen to its models' signals, and to those of
the models other apps name in their `translation_units.SAVED_WITH` (see registry.py). The
sync runs once per course after the transaction commits, however many objects were saved
in it (a demo load or an outline edit saves dozens).
"""

from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from cohortkit.courses.models import Course, Module, Run, Topic
from cohortkit.translations import registry
from cohortkit.translations.services import sync_units


def _course_id_through(instance: Any, path: str) -> int | None:
    """The course id at the end of `path` (`step__run__course`), starting from the
    instance's own foreign key, so that it also answers for a deleted instance."""
    first, _, rest = path.partition("__")
    field: Any = instance._meta.get_field(first)
    related_id = getattr(instance, field.attname)
    if related_id is None or not rest:
        return related_id
    manager = field.related_model._default_manager
    return manager.filter(pk=related_id).values_list(rest, flat=True).first()


def _course_id(instance: Any) -> int | None:
    if isinstance(instance, Course):
        return instance.pk
    if isinstance(instance, Run):
        return instance.course_id
    if isinstance(instance, Module):
        return Run.objects.filter(pk=instance.run_id).values_list("course_id", flat=True).first()
    if isinstance(instance, Topic):
        return (
            Module.objects.filter(pk=instance.module_id)
            .values_list("run__course_id", flat=True)
            .first()
        )
    path = registry.saved_with().get(type(instance))
    return _course_id_through(instance, path) if path else None


class _Sync:
    """An on-commit callback that syncs one course; recognisable so it is queued once."""

    def __init__(self, course_id: int) -> None:
        self.course_id = course_id

    def __call__(self) -> None:
        course = Course.objects.filter(pk=self.course_id).first()
        if course is not None:
            sync_units(course)


def _sync_later(course_id: int) -> None:
    # Callbacks of rolled-back savepoints leave this list, so a rollback never loses a sync.
    queued = (item[1] for item in connection.run_on_commit)
    if any(isinstance(func, _Sync) and func.course_id == course_id for func in queued):
        return
    transaction.on_commit(_Sync(course_id))


def content_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    course_id = _course_id(instance)
    if course_id is not None:
        _sync_later(course_id)


def connect() -> None:
    models: list[type[Model]] = [Course, Run, Module, Topic, *registry.saved_with()]
    for model in models:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"translations-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"translations-del-{model}")
