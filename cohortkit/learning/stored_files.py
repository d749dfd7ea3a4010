"""Uploaded files leave storage with the rows that point at them.

Every model with a FileField (whatever its app) is watched: when a saved row's file is
replaced or cleared, or the row is deleted (also by a cascade), the old file is deleted from
storage after the transaction commits, unless another row still points at the same stored
name (a submission and its handed-in versions share files). Nothing happens on a rollback:
the rows still point at their files.

Connected for every installed model by the learning app's `ready()`, which owns uploads;
the other apps declare FileFields and need do nothing.
"""

from collections.abc import Iterable

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save

_REMEMBERED = "_cohortkit_stored_files"


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def models_with_files() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if file_fields(model)]


def _name(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "name", value) or "")


def _current(instance: models.Model) -> dict[str, str]:
    """The stored names as loaded (deferred fields are left out: unknown, never deleted)."""
    return {
        field.attname: _name(instance.__dict__[field.attname])
        for field in file_fields(type(instance))
        if field.attname in instance.__dict__
    }


def is_referenced(name: str) -> bool:
    """Whether any row of any model still points at this stored name."""
    return any(
        model._default_manager.filter(**{field.name: name}).exists()
        for model in models_with_files()
        for field in file_fields(model)
    )


def delete_unreferenced_after_commit(storage: Storage, names: Iterable[str]) -> None:
    """After commit, delete each stored name no row points at any more."""
    wanted = [name for name in names if name]
    if not wanted:
        return

    def delete() -> None:
        for name in wanted:
            if not is_referenced(name):
                storage.delete(name)

    transaction.on_commit(delete)


def _remember(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    setattr(instance, _REMEMBERED, _current(instance))


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: object
) -> None:
    # A new row replaced nothing (what post_init saw was the upload's own name).
    before: dict[str, str] = {} if created else getattr(instance, _REMEMBERED, {})
    now = _current(instance)
    for field in file_fields(sender):
        old = before.get(field.attname, "")
        if old and field.attname in now and now[field.attname] != old:
            delete_unreferenced_after_commit(field.storage, [old])
    setattr(instance, _REMEMBERED, now)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    names = _current(instance)
    for field in file_fields(sender):
        delete_unreferenced_after_commit(field.storage, [names.get(field.attname, "")])


def connect() -> None:
    for model in models_with_files():
        uid = f"cohortkit.stored_files.{model._meta.label}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
