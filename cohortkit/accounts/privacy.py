"""A person's own data: what each app holds about them, to download and to erase.

Each app that stores something about a person contributes a module `<app>/personal_data.py`,
found through the app registry (as translations finds `translation_units.py`), so accounts
never imports the apps that come after it. Such a module defines:

- `COVERS`: the labels of its models with a foreign key to the user (`"learning.Thread"`);
  a test fails when a model with such a key is covered by no module.
- `export(person) -> dict[str, list[dict]]`: its sections of the download, JSON-ready
  (datetimes are written as ISO 8601).
- `uploads(person) -> list[tuple[str, FieldFile]]` (optional): files for the zip, by name.
- `erase(person, *, at, keep_certificates) -> None`: delete or anonymise what it holds,
  keeping what other people depend on; called in reverse app order, accounts last.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import Any, Protocol

from django.apps import apps
from django.db.models.fields.files import FieldFile

from cohortkit.accounts.discovery import discover
from cohortkit.accounts.models import User


class PersonalDataModule(Protocol):
    COVERS: frozenset[str]

    def export(self, person: User) -> dict[str, list[dict[str, Any]]]: ...

    def erase(self, person: User, *, at: datetime, keep_certificates: bool) -> None: ...


@dataclass(frozen=True)
class Contribution:
    app: str
    module: ModuleType


@cache
def contributions() -> tuple[Contribution, ...]:
    """Each app's `personal_data` module, in INSTALLED_APPS order."""
    return tuple(
        Contribution(config.label, module)
        for module in discover("personal_data")
        if (config := apps.get_containing_app_config(module.__name__)) is not None
    )


def covered_models() -> frozenset[str]:
    return frozenset(label for item in contributions() for label in item.module.COVERS)


def uploads(person: User) -> Iterator[tuple[str, FieldFile]]:
    for item in contributions():
        source = getattr(item.module, "uploads", None)
        if source is not None:
            yield from source(person)
